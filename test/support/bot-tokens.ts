import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { FakeConnector } from './fake-connector.ts';

export type TokenIssuer = {
  /** The BOT_OPENID_METADATA_URL to configure. */
  metadataUrl: string;
  /** A token as the Bot Framework channel signs it. */
  sign: (claims: { aud: string; serviceUrl: string; expiresInSeconds?: number; key?: 'known' | 'unknown' }) => Promise<string>;
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
  };
}

async function keyPair(): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk: { ...jwk, kid: randomUUID(), use: 'sig', alg: 'RS256' } };
}
