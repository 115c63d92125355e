import { createHmac, timingSafeEqual } from 'node:crypto';
import { localPnrKey } from '../lib/local-key.ts';
import { formatToken, TOKEN_MAC_HEX_LENGTH, tokenMacInput, type CaseToken } from '../domain/providers/token.ts';

export type ProviderTokens = {
  /** "[BL-FF-2026-0142-3f9a0c1b2d]" for this case and provider. */
  tokenFor: (caseRef: string, providerId: string) => string;
  /** True when the token's MAC is the one we would give this provider for this case. */
  verifies: (token: CaseToken, providerId: string) => boolean;
};

/**
 * The MAC key: PROVIDER_TOKEN_KEY when set, otherwise derived from the personnummer key (so a
 * single secret suffices, and a leaked token key does not reveal the personnummer key).
 */
export function providerTokenKey(tokenKeyHex: string | undefined, pnrKeyHex: string): Buffer {
  if (tokenKeyHex !== undefined) return Buffer.from(tokenKeyHex, 'hex');
  return createHmac('sha256', Buffer.from(pnrKeyHex, 'hex')).update('boendelotsen/provider-token-key/v1').digest();
}

export function createProviderTokens(key: Buffer): ProviderTokens {
  const mac = (caseRef: string, providerId: string) =>
    createHmac('sha256', key).update(tokenMacInput(caseRef, providerId)).digest('hex').slice(0, TOKEN_MAC_HEX_LENGTH);
  return {
    tokenFor: (caseRef, providerId) => formatToken({ caseRef, mac: mac(caseRef, providerId) }),
    verifies: (token, providerId) => {
      const expected = Buffer.from(mac(token.caseRef, providerId));
      const given = Buffer.from(token.mac.toLowerCase());
      // Constant time: a sender must not learn the MAC a digit at a time.
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}

/** The tokens from the settings: PROVIDER_TOKEN_KEY, or derived from the personnummer key in use. */
export function providerTokensFromConfig(config: { providerTokenKeyHex: string | undefined; pnrKeyHex: string | undefined; db: { dataDir: string } }): ProviderTokens {
  const pnrKeyHex = config.pnrKeyHex ?? localPnrKey(config.db.dataDir);
  return createProviderTokens(providerTokenKey(config.providerTokenKeyHex, pnrKeyHex));
}
