import { bigint, bigserial, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * How a mail on the server is known: account and folder, UIDVALIDITY and UID, its Message-ID and
 * the hash of its bytes. Shared by the ledger and the quarantined-BB store, which point at it.
 */
export function mailIdentityColumns() {
  return {
    /** Account and folder, e.g. `boendelotsen@kommun.se/INBOX`. */
    mailbox: text('mailbox').notNull(),
    /** IMAP UIDVALIDITY and UID: both 32-bit unsigned, so bigint. */
    uidValidity: bigint('uid_validity', { mode: 'number' }).notNull(),
    uid: bigint('uid', { mode: 'number' }).notNull(),
    messageId: text('message_id'),
    /** sha256 (hex) of the bytes read: the whole mail, or only its header when it was too large. */
    sha256: text('sha256').notNull(),
  };
}

/**
 * One row per incoming mail the listener has dealt with, written in the same transaction as the
 * mail's effects (DESIGN.md, "Mail intake never loses or doubles a mail"). The unique key is the
 * server's identity of the message; a row here means "acted on", so a restart only moves it.
 */
export const mailLedger = pgTable(
  'mail_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ...mailIdentityColumns(),
    sizeBytes: integer('size_bytes').notNull(),
    fromAddress: text('from_address'),
    /** 'processed' | 'quarantined' | 'ignored' */
    outcome: text('outcome').notNull(),
    /** A code, never text from the mail: e.g. auto_reply, not_planeringsledare, too_large. */
    reason: text('reason'),
    caseRef: text('case_ref'),
    /** The server's INTERNALDATE, when it gave one. */
    receivedAt: timestamp('received_at', { withTimezone: true }),
    handledAt: timestamp('handled_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('mail_ledger_key_idx').on(t.mailbox, t.uidValidity, t.uid),
    index('mail_ledger_sha256_idx').on(t.mailbox, t.sha256),
    index('mail_ledger_message_id_idx').on(t.messageId),
  ],
);

/**
 * How often handling a mail has been started, written (and committed) before each try: a mail
 * that crashes the process or times out is known after the restart, and after a few tries it is
 * quarantined instead of stopping the mailbox again and again.
 */
export const mailAttempts = pgTable(
  'mail_attempts',
  {
    mailbox: text('mailbox').notNull(),
    uidValidity: bigint('uid_validity', { mode: 'number' }).notNull(),
    uid: bigint('uid', { mode: 'number' }).notNull(),
    attempts: integer('attempts').notNull(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('mail_attempts_key_idx').on(t.mailbox, t.uidValidity, t.uid)],
);
