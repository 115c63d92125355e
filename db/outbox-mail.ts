import { randomUUID } from 'node:crypto';
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

export type EnqueueMailInput = MailPayload & {
  /**
   * The logical identity of this mail, e.g. `bb-distribution:<ledger key>:<role>`: queuing the
   * same key again (a retried transaction, a replayed event) is a no-op.
   */
  key: string;
  caseRef?: string | null;
};

/** A Message-ID on our own domain, fixed at queue time so a retry is the same mail. */
export function newMessageId(from: string): string {
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
