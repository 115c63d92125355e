import { createHmac, timingSafeEqual } from 'node:crypto';
import { localPnrKey } from '../lib/local-key.ts';
import type { Clock } from '../lib/clock.ts';
import { addDays } from '../domain/calendar/local-date.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { formatToken, TOKEN_MAC_HEX_LENGTH, tokenMacInput, type CaseToken } from '../domain/providers/token.ts';

/** How long a token is believed when no setting says otherwise: a year covers a plan, follow-ups and monthly reports. */
const DEFAULT_PROVIDER_TOKEN_DAYS = 365;

export type ProviderTokens = {
  /** "[BL-FF-2026-0142-17-20271201-3f9a0c1b2d]": valid through `days` days from today (Stockholm). */
  tokenFor: (order: { caseRef: string; providerId: string; orderId: number }) => string;
  /** True when the token's MAC is the one we would give this provider for this case, order and day. */
  verifies: (token: CaseToken, providerId: string) => boolean;
  days: number;
  /** The clock the days count from (also when an order is opened). */
  now: () => Date;
};

/**
 * The MAC key: PROVIDER_TOKEN_KEY when set, otherwise derived from the personnummer key (so a
 * single secret suffices, and a leaked token key does not reveal the personnummer key).
 */
function providerTokenKey(tokenKeyHex: string | undefined, pnrKeyHex: string): Buffer {
  if (tokenKeyHex !== undefined) return Buffer.from(tokenKeyHex, 'hex');
  return createHmac('sha256', Buffer.from(pnrKeyHex, 'hex')).update('boendelotsen/provider-token-key/v1').digest();
}

export function createProviderTokens(key: Buffer, opts: { clock: Clock; days?: number }): ProviderTokens {
  const days = opts.days ?? DEFAULT_PROVIDER_TOKEN_DAYS;
  const mac = (token: Omit<CaseToken, 'mac'>, providerId: string) =>
    createHmac('sha256', key).update(tokenMacInput(token, providerId)).digest('hex').slice(0, TOKEN_MAC_HEX_LENGTH);
  return {
    days,
    now: () => opts.clock.now(),
    tokenFor: ({ caseRef, providerId, orderId }) => {
      const body = { caseRef, orderId, expiresOn: addDays(stockholmDate(opts.clock.now()), days) };
      return formatToken({ ...body, mac: mac(body, providerId) });
    },
    verifies: (token, providerId) => {
      const expected = Buffer.from(mac(token, providerId));
      const given = Buffer.from(token.mac.toLowerCase());
      // Constant time: a sender must not learn the MAC a digit at a time.
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}

/** The tokens from the settings: PROVIDER_TOKEN_KEY, or derived from the personnummer key in use. */
export function providerTokensFromConfig(
  config: { providerTokenKeyHex: string | undefined; providerTokenDays?: number; pnrKeyHex: string | undefined; db: { dataDir: string } },
  clock: Clock,
): ProviderTokens {
  const pnrKeyHex = config.pnrKeyHex ?? localPnrKey(config.db.dataDir);
  return createProviderTokens(providerTokenKey(config.providerTokenKeyHex, pnrKeyHex), { clock, ...(config.providerTokenDays === undefined ? {} : { days: config.providerTokenDays }) });
}
