import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export const TEST_TENANT = '11111111-2222-3333-4444-555555555555';
export const FOREIGN_TENANT = '99999999-8888-7777-6666-555555555555';
export const TAB_CLIENT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const TAB_RESOURCE = `api://boende.kommun.example/${TAB_CLIENT_ID}`;

export type SsoIssuer = {
  /** TAB_OPENID_METADATA_URL to configure. */
  metadataUrl: string;
  /** A Teams SSO token as Entra signs it (v2 issuer of the token's tenant). */
  sign: (claims: { oid: string; tid?: string; aud?: string; expiresInSeconds?: number; key?: 'known' | 'unknown'; issuer?: string }) => Promise<string>;
  stop: () => Promise<void>;
};

/** Plays Entra's side of Teams SSO on loopback: an OpenID configuration, a key set, tokens signed with its key. */
export async function startSsoIssuer(): Promise<SsoIssuer> {
  const known = await keyPair();
  const unknown = await keyPair();
  const server: Server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/openid') res.end(JSON.stringify({ issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0', jwks_uri: `${base}/keys` }));
    else if (req.url === '/keys') res.end(JSON.stringify({ keys: [known.jwk] }));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    metadataUrl: `http://127.0.0.1:${port}/openid`,
    sign: async ({ oid, tid = TEST_TENANT, aud = TAB_CLIENT_ID, expiresInSeconds = 3600, key = 'known', issuer }) => {
      const k = key === 'known' ? known : unknown;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ oid, tid, scp: 'access_as_user', ver: '2.0' })
        .setProtectedHeader({ alg: 'RS256', kid: k.jwk.kid ?? '', typ: 'JWT' })
        .setIssuer(issuer ?? `https://login.microsoftonline.com/${tid}/v2.0`)
        .setAudience(aud)
        .setIssuedAt(now - 300 + Math.min(0, expiresInSeconds))
        .setNotBefore(now - 300 + Math.min(0, expiresInSeconds))
        .setExpirationTime(now + expiresInSeconds)
        .sign(k.privateKey);
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function keyPair(): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk: { ...jwk, kid: randomUUID(), use: 'sig', alg: 'RS256' } };
}
