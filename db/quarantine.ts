import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from './client.ts';
import { quarantinedBb } from './schema/index.ts';

/** The purpose bound into the seal of `quarantined_bb.raw`. */
export const QUARANTINE_RAW = 'quarantined_bb.raw';

export type QuarantinedBbRow = typeof quarantinedBb.$inferSelect;
export type NewQuarantinedBb = Omit<typeof quarantinedBb.$inferInsert, 'id' | 'status' | 'linkedCaseRef' | 'linkedBy' | 'linkedAt'>;

/** Keeps a quarantined BB inside the mail's ledger transaction; a replay of the same key adds nothing. */
export async function keepQuarantinedBb(tx: Db, row: NewQuarantinedBb): Promise<number | undefined> {
  const [inserted] = await tx
    .insert(quarantinedBb)
    .values(row)
    .onConflictDoNothing({ target: [quarantinedBb.mailbox, quarantinedBb.uidValidity, quarantinedBb.uid] })
    .returning({ id: quarantinedBb.id });
  return inserted?.id;
}

/** A person's mails still waiting for a link, newest first (no bytes: the list shows ids and dates). */
export async function listWaitingFor(db: Db, personId: string) {
  return db
    .select({ id: quarantinedBb.id, namedCaseRef: quarantinedBb.namedCaseRef, receivedAt: quarantinedBb.receivedAt, quarantinedAt: quarantinedBb.quarantinedAt })
    .from(quarantinedBb)
    .where(and(eq(quarantinedBb.senderPersonId, personId), eq(quarantinedBb.status, 'waiting')))
    .orderBy(desc(quarantinedBb.id));
}

export async function findQuarantinedBb(db: Db, id: number): Promise<QuarantinedBbRow | undefined> {
  const [row] = await db.select().from(quarantinedBb).where(eq(quarantinedBb.id, id));
  return row;
}

/**
 * Marks the row linked only if it is still waiting. Two clicks (or two instances) race here:
 * the one whose update finds status 'waiting' wins, the other gets false and must roll back.
 */
export async function markLinked(tx: Db, params: { id: number; caseRef: string; personId: string; now: Date }): Promise<boolean> {
  const updated = await tx
    .update(quarantinedBb)
    .set({ status: 'linked', linkedCaseRef: params.caseRef, linkedBy: params.personId, linkedAt: params.now })
    .where(and(eq(quarantinedBb.id, params.id), eq(quarantinedBb.status, 'waiting')))
    .returning({ id: quarantinedBb.id });
  return updated.length > 0;
}


/** Linked mails of one mailbox not yet moved out of the Quarantine folder (oldest first, a bounded batch). */
export async function listLinkedAwaitingRelease(db: Db, mailbox: string, limit = 50) {
  return db
    .select({ id: quarantinedBb.id, messageId: quarantinedBb.messageId, sha256: quarantinedBb.sha256, receivedAt: quarantinedBb.receivedAt, quarantinedAt: quarantinedBb.quarantinedAt })
    .from(quarantinedBb)
    .where(and(eq(quarantinedBb.mailbox, mailbox), eq(quarantinedBb.status, 'linked'), isNull(quarantinedBb.releasedAt)))
    .orderBy(asc(quarantinedBb.id))
    .limit(limit);
}

/** Compare-and-set: records the move once, whichever instance made it. */
export async function markReleased(db: Db, params: { id: number; now: Date }): Promise<boolean> {
  const updated = await db
    .update(quarantinedBb)
    .set({ releasedAt: params.now })
    .where(and(eq(quarantinedBb.id, params.id), isNull(quarantinedBb.releasedAt)))
    .returning({ id: quarantinedBb.id });
  return updated.length > 0;
}
