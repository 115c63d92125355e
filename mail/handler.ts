import { createHash } from 'node:crypto';
import { simpleParser } from './simple-parser.ts';
import type { Db } from '../db/client.ts';
import type { MailKey } from '../db/mail-ledger.ts';
import { headerMap, type HeaderMap } from './classify.ts';
import type { QuarantineReason } from './quarantine-reply.ts';

/**
 * The seam between the mailbox and the business: the listener hands each mail that is not an
 * auto-reply, a bounce, our own or too large to an IncomingMailHandler, inside the transaction
 * that also records the mail in the ledger. Whatever the handler writes (case state, audit,
 * outbox rows) commits or rolls back together with that record.
 */
export type IncomingMail = {
  key: MailKey;
  /** The whole mail as stored on the server (.eml bytes). */
  source: Buffer;
  sizeBytes: number;
  sha256: string;
  receivedAt: Date | null;
  messageId: string | null;
  /** The From address, lower-cased. */
  from: string | null;
  /** Decoded. May carry personal data: never log it or copy it into a subject. */
  subject: string;
  /** References + In-Reply-To of this mail, for threading a reply. */
  references: string[];
  /** The To and Cc addresses, lower-cased: they have the mail already (a distribution skips them). */
  toAndCc: string[];
  headers: HeaderMap;
};

export type HandleResult =
  | { outcome: 'processed'; reason?: string; caseRef?: string }
  | {
      outcome: 'quarantined';
      reason: Exclude<QuarantineReason, 'too_large' | 'processing_failed'>;
      caseRef?: string;
      /** For not_a_bb: the missing or unreadable fields, in Swedish, for the reply. */
      missingFields?: string[];
      /** For not_expected: the routine's Swedish reason (case reference and facts only). */
      detail?: string;
    };

/**
 * Runs inside the ledger transaction. Queue every reply or distribution with enqueueMail(tx, …)
 * (never send from here). Return 'quarantined' with a reason and the listener replies to the
 * sender in Swedish and files the mail in Quarantine; do not send that reply yourself.
 * Throwing rolls everything back; the mail is tried again, and after a few failures quarantined.
 */
export type IncomingMailHandler = (tx: Db, mail: IncomingMail) => Promise<HandleResult>;

/** The sender of a BB mail, once found in the directory as a planeringsledare. */
export type BbSender = { id: string };

export type DefaultHandlerDeps = {
  /** The registered planeringsledare with this address; undefined for anyone else. */
  findPlaneringsledare: (tx: Db, email: string) => Promise<BbSender | undefined>;
  /** Parses the BB, matches the case, completes the step, distributes (the lead wires this). */
  actOnBehovsbedomning: (tx: Db, mail: IncomingMail, sender: BbSender) => Promise<HandleResult>;
};

/** BB mails are accepted only from registered planeringsledare (DESIGN.md, Privacy). */
export function createDefaultMailHandler(deps: DefaultHandlerDeps): IncomingMailHandler {
  return async (tx, mail) => {
    const sender = mail.from === null ? undefined : await deps.findPlaneringsledare(tx, mail.from);
    if (sender === undefined) return { outcome: 'quarantined', reason: 'not_planeringsledare' };
    return deps.actOnBehovsbedomning(tx, mail, sender);
  };
}

/** Reads the fields the listener and handlers need; only the header is parsed here. */
export async function readIncomingMail(source: Buffer, meta: { key: MailKey; sizeBytes: number; receivedAt: Date | null }): Promise<IncomingMail> {
  const crlf = source.indexOf('\r\n\r\n');
  const lf = crlf < 0 ? source.indexOf('\n\n') : -1;
  const header = crlf >= 0 ? source.subarray(0, crlf + 4) : lf >= 0 ? source.subarray(0, lf + 2) : source;
  const parsed = await simpleParser(header, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  const fromAddress = parsed.from?.value[0]?.address;
  const refs = typeof parsed.references === 'string' ? [parsed.references] : (parsed.references ?? []);
  const inReplyTo = parsed.inReplyTo;
  return {
    key: meta.key,
    source,
    sizeBytes: meta.sizeBytes,
    sha256: createHash('sha256').update(source).digest('hex'),
    receivedAt: meta.receivedAt,
    messageId: parsed.messageId ?? null,
    from: fromAddress ? fromAddress.toLowerCase() : null,
    subject: parsed.subject ?? '',
    references: inReplyTo !== undefined && !refs.includes(inReplyTo) ? [...refs, inReplyTo] : refs,
    toAndCc: [parsed.to, parsed.cc]
      .flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? a : [a]))
      .flatMap((a) => a.value.map((v) => v.address?.toLowerCase() ?? ''))
      .filter((address) => address !== ''),
    headers: headerMap(parsed.headerLines),
  };
}
