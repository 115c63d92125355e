import { createHash, randomUUID } from 'node:crypto';
import type { Db } from './client.ts';
import { enqueue } from './outbox.ts';

/** What a 'mail' outbox row carries; the row's message_id is the mail's Message-ID. */
export type MailPayload = {
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html: string;
  inReplyTo?: string;
  references?: string[];
  attachments?: MailAttachment[];
  /**
   * May leave the internal domains (a provider, a landlord). Set only where a routine says the
   * mail goes outside; without it the sender refuses any address outside MAIL_INTERNAL_DOMAINS.
   */
  external?: boolean;
  /**
   * The addresses to hand to SMTP this time (RCPT TO), when not every To/Cc: set on a follow-up
   * row that re-sends the same mail to recipients the server did not accept the first time.
   */
  envelopeTo?: string[];
};

export type MailAttachment = { filename: string; contentType: string; contentBase64: string };

/** What a sent mail keeps of an attachment: enough to prove what went, not the document. */
export type SentAttachment = { filename: string; contentType: string; sizeBytes: number; sha256: string };

/**
 * A sent mail's payload without its attachments' bytes (a BB with name, personnummer and
 * health details): each becomes its size and sha256. The follow-up rows for recipients the
 * server refused were queued with the bytes before this, so nothing still to be sent loses them.
 */
export function withoutAttachmentBytes(payload: MailPayload): Omit<MailPayload, 'attachments'> & { attachments?: SentAttachment[] } {
  const { attachments, ...rest } = payload;
  if (!attachments || attachments.length === 0) return rest;
  return {
    ...rest,
    attachments: attachments.map((a) => {
      const bytes = Buffer.from(a.contentBase64, 'base64');
      return { filename: a.filename, contentType: a.contentType, sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    }),
  };
}

export type EnqueueMailInput = MailPayload & {
  /**
   * The logical identity of this mail, e.g. `bb-distribution:<ledger key>:<role>`: queuing the
   * same key again (a retried transaction, a replayed event) is a no-op.
   */
  key: string;
  caseRef?: string | null;
};

/** A Message-ID on our own domain, fixed at queue time so a retry is the same mail. */
function newMessageId(from: string): string {
  const domain = from.split('@')[1] ?? 'boendelotsen.invalid';
  return `<${randomUUID()}@${domain}>`;
}

/**
 * Queues a mail in the caller's transaction; the mail outbox worker sends it after commit.
 * Returns the Message-ID, or undefined when this key was already queued.
 */
export async function enqueueMail(tx: Db, input: EnqueueMailInput, ctx: { from: string; now: Date }): Promise<string | undefined> {
  const { key, caseRef, ...payload } = input;
  const messageId = newMessageId(ctx.from);
  const queued = await enqueue(
    tx,
    {
      channel: 'mail',
      dedupeKey: `mail:${key}`,
      messageId,
      recipient: [...payload.to, ...(payload.cc ?? [])].join(', '),
      caseRef: caseRef ?? null,
      payload,
    },
    ctx.now,
  );
  return queued ? messageId : undefined;
}
