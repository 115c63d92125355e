import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Logger } from '../lib/logger.ts';

/** Who the token says is asking, after its signature, issuer, tenant, audience and lifetime held. */
export type TabCaller = { aadObjectId: string; tenantId: string };

export type TabAuthSettings = {
  /** The Entra app (client) id the SSO token is issued for. */
  clientId: string;
  /** The Application ID URI (api://host/client id); Teams may put either in `aud`. */
  resource: string | undefined;
  /** Entra's OpenID configuration; its jwks_uri is the published key set. */
  openIdMetadataUrl: string;
  /** Lower-case tenant ids; empty: any tenant (development only, config.ts refuses it in production). */
  allowedTenants: readonly string[];
};

export type TabAuthenticator = { verify: (authorization: string | undefined) => Promise<TabCaller | undefined> };

const MAX_TOKEN_CHARS = 16 * 1024;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Checks a Teams SSO token as Entra issues it: RS256 only (no `none`, no HMAC with a public key),
 * signed by a key in the published set, issued by the token's own tenant (v1 or v2 issuer) which
 * must be an allowed one, for this app, and not expired (a minute's clock skew). The signature is
 * jose's, a well-kept library; nothing here does cryptography.
 */
export function createTabAuthenticator(settings: TabAuthSettings, logger: Logger): TabAuthenticator {
  const allowed = new Set(settings.allowedTenants);
  const audience = [settings.clientId, settings.resource].filter((a): a is string => !!a);
  let keys: Promise<JWTVerifyGetKey> | undefined;

  async function keySet(): Promise<JWTVerifyGetKey> {
    const res = await fetch(settings.openIdMetadataUrl, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`OpenID configuration answered ${res.status}`);
    const meta = (await res.json()) as { jwks_uri?: unknown };
    if (typeof meta.jwks_uri !== 'string') throw new Error('OpenID configuration has no jwks_uri');
    return createRemoteJWKSet(new URL(meta.jwks_uri), { cooldownDuration: 30_000, cacheMaxAge: 24 * 3_600_000 });
  }

  function refuse(reason: string): undefined {
    logger.warn({ code: 'TAB_UNAUTHORIZED', reason }, 'rejected a request to the overview tab');
    return undefined;
  }

  async function verify(authorization: string | undefined): Promise<TabCaller | undefined> {
    const token = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization?.slice(0, MAX_TOKEN_CHARS + 7) ?? '')?.[1];
    if (!token || token.length > MAX_TOKEN_CHARS) return refuse('no bearer token');
    let tid: string;
    try {
      // Read unverified only to know which tenant's issuer to demand; the signature covers it below.
      const claimed = decodeJwt(token).tid;
      tid = typeof claimed === 'string' ? claimed.toLowerCase() : '';
    } catch {
      return refuse('malformed token');
    }
    if (!GUID.test(tid)) return refuse('no tenant');
    if (allowed.size > 0 && !allowed.has(tid)) return refuse('tenant not allowed');
    try {
      keys ??= keySet().catch((err: unknown) => {
        keys = undefined;
        throw err;
      });
      const { payload } = await jwtVerify(token, await keys, {
        algorithms: ['RS256'],
        issuer: [`https://login.microsoftonline.com/${tid}/v2.0`, `https://sts.windows.net/${tid}/`],
        audience,
        clockTolerance: 60,
        requiredClaims: ['exp', 'oid', 'tid'],
      });
      const oid = typeof payload.oid === 'string' ? payload.oid.toLowerCase() : '';
      if (typeof payload.tid !== 'string' || payload.tid.toLowerCase() !== tid || oid === '') return refuse('claims');
      return { aadObjectId: oid, tenantId: tid };
    } catch (err) {
      return refuse(err instanceof Error ? (err as { code?: string }).code ?? err.name : 'unknown');
    }
  }

  return { verify };
}
