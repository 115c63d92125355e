import { formatLocalDate, isLocalDate, type LocalDate } from '../calendar/local-date.ts';

/**
 * The case token a provider mail carries in its subject: "[BL-FF-2026-0142-17-20270301-3f9a0c1b2d]".
 * It names the case, the order (the provider's engagement on the case, a row the shell keeps) and
 * the last day it is valid; the hex part is a MAC over all of them and the provider's id, which
 * the shell computes with a secret key. So a provider cannot make up a token, one provider's token
 * does not work for another, a token outlives neither its order nor its last day, and a changed
 * day or order number breaks the MAC. Pure: the MAC itself is computed by the shell
 * (node:crypto); this file fixes the format and what is MAC'ed.
 */

/** 40 bits: enough that guessing one by mail is hopeless, short enough to survive in a subject. */
export const TOKEN_MAC_HEX_LENGTH = 10;

export type CaseToken = {
  caseRef: string;
  /** The provider order the token was issued for. */
  orderId: number;
  /** The last Stockholm day on which a reply carrying it is believed. */
  expiresOn: LocalDate;
  mac: string;
};

/** Only the start of a subject is searched for a token: replies keep it near the front. */
const MAX_SUBJECT_CHARS = 2_000;

// The case reference may itself hold hyphens (FF-2026-0142-1 for a follow-on case); the order,
// the day and the MAC are always the last three hyphen-separated parts, each of a fixed shape,
// so the match gives the reference back whole. Every quantifier is bounded.
const TOKEN_RE = /\[\s{0,3}BL-([A-ZÅÄÖ0-9][A-ZÅÄÖ0-9-]{2,40})-(\d{1,12})-(\d{8})-([0-9a-f]{10})\s{0,3}\]/i;

/** The bytes the MAC covers: versioned so a future format cannot collide with this one. */
export function tokenMacInput(token: Omit<CaseToken, 'mac'>, providerId: string): string {
  return `boendelotsen/provider-token/v2\n${token.caseRef}\n${providerId}\n${token.orderId}\n${token.expiresOn}`;
}

export function formatToken(token: CaseToken): string {
  return `[BL-${token.caseRef}-${token.orderId}-${token.expiresOn.replaceAll('-', '')}-${token.mac.slice(0, TOKEN_MAC_HEX_LENGTH).toLowerCase()}]`;
}

/** The token in a subject ("SV: Re: Beställning [BL-…]"), or null when there is none. */
export function findToken(subject: string): CaseToken | null {
  const m = TOKEN_RE.exec(subject.slice(0, MAX_SUBJECT_CHARS));
  if (!m?.[1] || !m[2] || !m[3] || !m[4]) return null;
  const orderId = Number(m[2]);
  const expiresOn = formatLocalDate(Number(m[3].slice(0, 4)), Number(m[3].slice(4, 6)), Number(m[3].slice(6, 8)));
  if (!Number.isSafeInteger(orderId) || !isLocalDate(expiresOn)) return null;
  return { caseRef: m[1], orderId, expiresOn, mac: m[4].toLowerCase() };
}

/** True when a subject carries something shaped like our token, genuine or not. */
export function hasTokenShape(subject: string): boolean {
  // Bounded between the brackets: an unbounded [^\]]+ rescans to the end from every "[BL-".
  return /\[\s{0,3}BL-[^\]]{1,80}\]/i.test(subject.slice(0, MAX_SUBJECT_CHARS));
}

export type TokenRejection = 'unknown_sender_domain' | 'token_forged' | 'token_other_provider' | 'token_expired' | 'token_other_order' | 'not_case_provider';
export type TokenCheck = { ok: true } | { ok: false; reason: TokenRejection };

/**
 * Judges a reply from the checks the shell made: whose domain sent it, whether the MAC verifies
 * for that provider or for some other provider, whether the reply came after the token's last
 * day, whether the token's order is still the case's order with that provider, and whom the case
 * is ordered from now. Expiry and order are judged only for a genuine MAC: before that, the day
 * and the order number in the subject are the sender's word.
 */
export function judgeToken(input: {
  senderProviderId: string | null;
  macMatchesSender: boolean;
  macMatchesOtherProvider: boolean;
  expired: boolean;
  orderCurrent: boolean;
  caseProviderId: string | null;
}): TokenCheck {
  if (input.senderProviderId === null) return { ok: false, reason: 'unknown_sender_domain' };
  if (!input.macMatchesSender) return { ok: false, reason: input.macMatchesOtherProvider ? 'token_other_provider' : 'token_forged' };
  if (input.expired) return { ok: false, reason: 'token_expired' };
  // A genuine token of a provider the case has since moved from: the old provider no longer acts.
  if (input.caseProviderId !== input.senderProviderId) return { ok: false, reason: 'not_case_provider' };
  // The case's provider, but a token of an order since ended (the case moved away and back).
  if (!input.orderCurrent) return { ok: false, reason: 'token_other_order' };
  return { ok: true };
}

/** A reply is believed through the token's last day, Stockholm time, by the day the server received it. */
export function tokenExpired(token: Pick<CaseToken, 'expiresOn'>, receivedOn: LocalDate): boolean {
  return receivedOn > token.expiresOn;
}
