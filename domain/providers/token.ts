/**
 * The case token a provider mail carries in its subject: "[BL-FF-2026-0142-3f9a0c1b2d]". The hex
 * part is a MAC over (case reference, provider id) that the shell computes with a secret key, so a
 * provider cannot make up a token for a case, and one provider's token does not work for another.
 * Pure: the MAC itself is computed by the shell (node:crypto); this file fixes the format and
 * what is MAC'ed.
 */

/** 40 bits: enough that guessing one by mail is hopeless, short enough to survive in a subject. */
export const TOKEN_MAC_HEX_LENGTH = 10;

export type CaseToken = { caseRef: string; mac: string };

/** Only the start of a subject is searched for a token: replies keep it near the front. */
const MAX_SUBJECT_CHARS = 2_000;

// The case reference may itself hold hyphens (FF-2026-0142-1 for a follow-on case); the MAC is
// always the last hyphen-separated part, so the greedy match gives the reference back whole.
const TOKEN_RE = /\[\s{0,3}BL-([A-ZÅÄÖ0-9][A-ZÅÄÖ0-9-]{2,40})-([0-9a-f]{10})\s*\]/i;

/** The bytes the MAC covers: versioned so a future format cannot collide with this one. */
export function tokenMacInput(caseRef: string, providerId: string): string {
  return `boendelotsen/provider-token/v1\n${caseRef}\n${providerId}`;
}

export function formatToken(token: CaseToken): string {
  return `[BL-${token.caseRef}-${token.mac.slice(0, TOKEN_MAC_HEX_LENGTH).toLowerCase()}]`;
}

/** The token in a subject ("SV: Re: Beställning [BL-…]"), or null when there is none. */
export function findToken(subject: string): CaseToken | null {
  const m = TOKEN_RE.exec(subject.slice(0, MAX_SUBJECT_CHARS));
  if (!m?.[1] || !m[2]) return null;
  return { caseRef: m[1], mac: m[2].toLowerCase() };
}

/** True when a subject carries something shaped like our token, genuine or not. */
export function hasTokenShape(subject: string): boolean {
  // Bounded between the brackets: an unbounded [^\]]+ rescans to the end from every "[BL-".
  return /\[\s{0,3}BL-[^\]]{1,80}\]/i.test(subject.slice(0, MAX_SUBJECT_CHARS));
}

export type TokenCheck =
  | { ok: true }
  | { ok: false; reason: 'unknown_sender_domain' | 'token_forged' | 'token_other_provider' | 'not_case_provider' };

/**
 * Judges a reply from the checks the shell made: whose domain sent it, whether the MAC verifies
 * for that provider, for some other provider, and whom the case is ordered from now.
 */
export function judgeToken(input: {
  senderProviderId: string | null;
  macMatchesSender: boolean;
  macMatchesOtherProvider: boolean;
  caseProviderId: string | null;
}): TokenCheck {
  if (input.senderProviderId === null) return { ok: false, reason: 'unknown_sender_domain' };
  if (!input.macMatchesSender) return { ok: false, reason: input.macMatchesOtherProvider ? 'token_other_provider' : 'token_forged' };
  // A genuine token of a provider the case has since moved from: the old provider no longer acts.
  if (input.caseProviderId !== input.senderProviderId) return { ok: false, reason: 'not_case_provider' };
  return { ok: true };
}
