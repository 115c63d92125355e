import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { mailAttempts, mailLedger } from './schema/index.ts';

export type MailOutcome = 'processed' | 'quarantined' | 'ignored';
export type MailLedgerRow = typeof mailLedger.$inferSelect;

/** The server's identity of one message. A new UIDVALIDITY means every UID is new. */
export type MailKey = { mailbox: string; uidValidity: number; uid: number };

export type NewMailLedgerEntry = MailKey & {
  messageId: string | null;
  sha256: string;
  sizeBytes: number;
  fromAddress: string | null;
  outcome: MailOutcome;
  reason: string | null;
  caseRef: string | null;
  receivedAt: Date | null;
  handledAt: Date;
};

/** Which of these UIDs are already recorded, with their outcome (one query for a whole pass). */
export async function findRecordedUids(db: Db, params: { mailbox: string; uidValidity: number; uids: number[] }): Promise<Map<number, MailOutcome>> {
  if (params.uids.length === 0) return new Map();
  const rows = await db
    .select({ uid: mailLedger.uid, outcome: mailLedger.outcome })
    .from(mailLedger)
    .where(and(eq(mailLedger.mailbox, params.mailbox), eq(mailLedger.uidValidity, params.uidValidity), inArray(mailLedger.uid, params.uids)));
  return new Map(rows.map((r) => [r.uid, r.outcome as MailOutcome]));
}

/**
 * Serialises every transaction that handles this one message until it commits, so two
 * instances that both see it (a lost mailbox lock) cannot both act: the second waits, then
 * finds the ledger row. The unique key on the table is the last guard behind this.
 */
export async function lockMailKey(tx: Db, key: MailKey): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${key.mailbox}|${key.uidValidity}|${key.uid}`}, 0))`);
}

/**
 * What the ledger already holds of a mail, in one read: its own row (`sameKey`), or the same
 * bytes recorded in this mailbox under another key (`sameBytes`: the server reset UIDVALIDITY).
 */
export async function findRecorded(db: Db, key: MailKey, sha256: string): Promise<{ sameKey?: MailLedgerRow; sameBytes?: MailLedgerRow }> {
  const rows = await db
    .select()
    .from(mailLedger)
    .where(and(eq(mailLedger.mailbox, key.mailbox), or(and(eq(mailLedger.uidValidity, key.uidValidity), eq(mailLedger.uid, key.uid)), eq(mailLedger.sha256, sha256))));
  const sameKey = rows.find((r) => r.uidValidity === key.uidValidity && r.uid === key.uid);
  const sameBytes = rows.find((r) => r !== sameKey);
  return { ...(sameKey ? { sameKey } : {}), ...(sameBytes ? { sameBytes } : {}) };
}

/** Records a handled mail inside the transaction that carries its effects. */
export async function recordMail(tx: Db, entry: NewMailLedgerEntry): Promise<MailLedgerRow> {
  const [row] = await tx.insert(mailLedger).values(entry).returning();
  if (!row) throw new Error('mail_ledger insert returned no row');
  return row;
}

export async function listLedger(db: Db, params: { mailbox?: string; outcome?: MailOutcome } = {}): Promise<MailLedgerRow[]> {
  const conditions = [
    params.mailbox === undefined ? undefined : eq(mailLedger.mailbox, params.mailbox),
    params.outcome === undefined ? undefined : eq(mailLedger.outcome, params.outcome),
  ].filter((c) => c !== undefined);
  return db.select().from(mailLedger).where(and(...conditions)).orderBy(asc(mailLedger.id));
}

/**
 * Counts one more try at handling a mail and returns the count. Committed on its own, before the
 * try: if the try kills the process, the count survives the restart.
 */
export async function markMailAttempt(db: Db, key: MailKey, now: Date): Promise<number> {
  const rows = await db
    .insert(mailAttempts)
    .values({ ...key, attempts: 1, lastAttemptAt: now })
    .onConflictDoUpdate({
      target: [mailAttempts.mailbox, mailAttempts.uidValidity, mailAttempts.uid],
      set: { attempts: sql`${mailAttempts.attempts} + 1`, lastAttemptAt: now },
    })
    .returning({ attempts: mailAttempts.attempts });
  return rows[0]?.attempts ?? 1;
}

/**
 * Counts one more try at each of several mails in one statement (a batch the mailbox pipeline is
 * about to read and handle) and returns each count by UID. Committed on its own, before the tries.
 */
export async function markMailAttempts(db: Db, keys: MailKey[], now: Date): Promise<Map<number, number>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .insert(mailAttempts)
    .values(keys.map((key) => ({ ...key, attempts: 1, lastAttemptAt: now })))
    .onConflictDoUpdate({
      target: [mailAttempts.mailbox, mailAttempts.uidValidity, mailAttempts.uid],
      set: { attempts: sql`${mailAttempts.attempts} + 1`, lastAttemptAt: now },
    })
    .returning({ uid: mailAttempts.uid, attempts: mailAttempts.attempts });
  return new Map(rows.map((r) => [r.uid, r.attempts]));
}

/** Tries so far at the mails asked for (a mail tried before and not recorded may have killed the process). */
export async function findAttempts(db: Db, params: { mailbox: string; uidValidity: number; uids: number[] }): Promise<Map<number, number>> {
  if (params.uids.length === 0) return new Map();
  const rows = await db
    .select({ uid: mailAttempts.uid, attempts: mailAttempts.attempts })
    .from(mailAttempts)
    .where(and(eq(mailAttempts.mailbox, params.mailbox), eq(mailAttempts.uidValidity, params.uidValidity), inArray(mailAttempts.uid, params.uids)));
  return new Map(rows.map((r) => [r.uid, r.attempts]));
}
