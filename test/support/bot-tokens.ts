import { createHmac, randomUUID } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { FakeConnector } from './fake-connector.ts';

export type TokenIssuer = {
  /** The BOT_OPENID_METADATA_URL to configure. */
  metadataUrl: string;
  /** A token as the Bot Framework channel signs it. */
  sign: (claims: { aud: string; serviceUrl: string; expiresInSeconds?: number; key?: 'known' | 'unknown' }) => Promise<string>;
  /**
   * A forged token with the same claims: `alg: none` (no signature), or HS256 with the published
   * public key as the HMAC secret (the classic algorithm-confusion attack).
   */
  forge: (how: 'alg-none' | 'hs256-public-key', claims: { aud: string; serviceUrl: string }) => Promise<string>;
};

/**
 * Plays the Bot Framework's token service: an OpenID configuration and a key set served from the
 * fake connector, and tokens signed with that key (or with a key nobody published).
 */
export async function startTokenIssuer(connector: FakeConnector): Promise<TokenIssuer> {
  const known = await keyPair();
  const unknown = await keyPair();
  connector.routes.set('/openid', () => ({ issuer: 'https://api.botframework.com', jwks_uri: `${connector.url}jwks`, id_token_signing_alg_values_supported: ['RS256'] }));
  connector.routes.set('/jwks', () => ({ keys: [{ ...known.jwk, endorsements: ['msteams', 'emulator', 'webchat'] }] }));
  return {
    metadataUrl: `${connector.url}openid`,
    sign: async ({ aud, serviceUrl, expiresInSeconds = 600, key = 'known' }) => {
      const k = key === 'known' ? known : unknown;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ serviceurl: serviceUrl })
        .setProtectedHeader({ alg: 'RS256', kid: k.jwk.kid ?? '', typ: 'JWT' })
        .setIssuer('https://api.botframework.com')
        .setAudience(aud)
        .setIssuedAt(now - 60 + Math.min(0, expiresInSeconds))
        .setNotBefore(now - 60 + Math.min(0, expiresInSeconds))
        .setExpirationTime(now + expiresInSeconds)
        .sign(k.privateKey);
    },
    forge: async (how, { aud, serviceUrl }) => {
      const now = Math.floor(Date.now() / 1000);
      const payload = { serviceurl: serviceUrl, iss: 'https://api.botframework.com', aud, iat: now - 60, nbf: now - 60, exp: now + 600 };
      const header = { alg: how === 'alg-none' ? 'none' : 'HS256', kid: known.jwk.kid ?? '', typ: 'JWT' };
      const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
      if (how === 'alg-none') return `${signingInput}.`;
      const secret = await exportSPKI(known.publicKey);
      return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
    },
  };
}

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

async function keyPair(): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey, publicKey, jwk: { ...jwk, kid: randomUUID(), use: 'sig', alg: 'RS256' } };
}
