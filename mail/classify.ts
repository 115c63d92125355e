/**
 * What the listener does with a mail before any business rule sees it (DESIGN.md, "Auto-replies,
 * bounces and our own mails are never acted on"). Pure: headers in, a decision out.
 */

export type IgnoreReason = 'own_mail' | 'bounce' | 'auto_reply' | 'bulk';

export type Classification =
  | { kind: 'ignore'; reason: IgnoreReason }
  | { kind: 'quarantine'; reason: 'too_large' }
  | { kind: 'handle' };

/** Header names lower-cased; each value unfolded, as many as the mail carries. */
export type HeaderMap = ReadonlyMap<string, readonly string[]>;

export type MailFacts = {
  headers: HeaderMap;
  /** Decoded Subject. */
  subject: string;
  /** The From address, lower-cased; null when missing or unparseable. */
  fromAddress: string | null;
  sizeBytes: number;
};

export type ClassifyContext = {
  /** Boendelotsen's own sending address (MAIL_FROM). */
  ownAddress: string | undefined;
  maxSizeBytes: number;
};

/** Marks every mail Boendelotsen sends, so a copy that comes back is recognised (no loops). */
export const OWN_MAIL_HEADER = 'x-boendelotsen';

// Swedish, English and neighbouring languages' out-of-office prefixes (Outlook, Gmail, Exchange).
const OUT_OF_OFFICE = /^\s*(automatiskt svar|autosvar|frånvaro(meddelande)?|fr[åa]nvarande|out of (the )?office|auto(matic)?[- ]?reply|autoreply|auto response|abwesend|automatische antwort|fraværende|automatisk svar|poissa)\b/i;

const BOUNCE_SENDER = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;

export function classifyMail(mail: MailFacts, ctx: ClassifyContext): Classification {
  const h = (name: string) => mail.headers.get(name)?.[0]?.trim();

  // Our own mail first: never answer ourselves, whatever else the mail looks like.
  if (mail.headers.has(OWN_MAIL_HEADER)) return { kind: 'ignore', reason: 'own_mail' };
  if (ctx.ownAddress !== undefined && mail.fromAddress === ctx.ownAddress.toLowerCase()) return { kind: 'ignore', reason: 'own_mail' };

  // Bounces (RFC 3464 reports, MDNs, the null return path) must never get a reply: RFC 3834.
  const contentType = (h('content-type') ?? '').toLowerCase();
  const returnPath = h('return-path');
  if (contentType.startsWith('multipart/report')) return { kind: 'ignore', reason: 'bounce' };
  if (returnPath !== undefined && /^<\s*>$/.test(returnPath)) return { kind: 'ignore', reason: 'bounce' };
  if (mail.fromAddress !== null && BOUNCE_SENDER.test(mail.fromAddress)) return { kind: 'ignore', reason: 'bounce' };
  if (mail.headers.has('x-failed-recipients')) return { kind: 'ignore', reason: 'bounce' };

  // Auto-replies (RFC 3834 Auto-Submitted, the older X- headers, vacation subjects).
  const autoSubmitted = h('auto-submitted')?.toLowerCase();
  if (autoSubmitted !== undefined && !/^no\b/.test(autoSubmitted)) return { kind: 'ignore', reason: 'auto_reply' };
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond') || mail.headers.has('x-autoresponse')) return { kind: 'ignore', reason: 'auto_reply' };
  if (OUT_OF_OFFICE.test(mail.subject)) return { kind: 'ignore', reason: 'auto_reply' };

  const precedence = h('precedence')?.toLowerCase();
  if (precedence === 'bulk' || precedence === 'auto_reply' || precedence === 'junk' || precedence === 'list') return { kind: 'ignore', reason: 'bulk' };

  if (mail.sizeBytes > ctx.maxSizeBytes) return { kind: 'quarantine', reason: 'too_large' };
  return { kind: 'handle' };
}

/** Header lines as mailparser gives them (`headerLines`) into a map of unfolded values. */
export function headerMap(lines: readonly { key: string; line: string }[]): HeaderMap {
  const map = new Map<string, string[]>();
  for (const { key, line } of lines) {
    const colon = line.indexOf(':');
    const value = (colon < 0 ? '' : line.slice(colon + 1)).replace(/\r?\n[ \t]+/g, ' ').trim();
    const name = key.toLowerCase();
    const list = map.get(name);
    if (list) list.push(value);
    else map.set(name, [value]);
  }
  return map;
}
