import { and, asc, eq, inArray, isNotNull, lte, ne, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { internalMoves, offers, queueEntries, units, vacancies } from './schema/index.ts';

export type UnitRow = typeof units.$inferSelect;
export type VacancyRow = typeof vacancies.$inferSelect;
export type QueueEntryRow = typeof queueEntries.$inferSelect;
export type OfferRow = typeof offers.$inferSelect;
export type InternalMoveRow = typeof internalMoves.$inferSelect;

const LIVE_OFFER = ['reserved', 'offered', 'accepted'] as const;
const OPEN_INTERNAL_MOVE = ['awaiting_planeringsledare', 'awaiting_verksamhetschef', 'approved'] as const;

/** Units by code, case-insensitive ("solrosen" finds "Solrosen"). */
export async function findUnit(db: Db, id: string): Promise<UnitRow | undefined> {
  const [row] = await db.select().from(units).where(sql`lower(${units.id}) = lower(${id.trim()})`);
  return row;
}

export async function listUnits(db: Db): Promise<UnitRow[]> {
  return db.select().from(units).orderBy(asc(units.id));
}

/** The import file is the source of truth: a unit's row is replaced whole. */
export async function upsertUnits(db: Db, rows: Array<typeof units.$inferInsert>): Promise<void> {
  for (const row of rows) {
    const { id: _id, ...rest } = row;
    await db.insert(units).values(row).onConflictDoUpdate({ target: units.id, set: rest });
  }
}

export async function insertVacancy(db: Db, row: typeof vacancies.$inferInsert): Promise<VacancyRow | undefined> {
  const [inserted] = await db.insert(vacancies).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function findVacancy(db: Db, id: number): Promise<VacancyRow | undefined> {
  const [row] = await db.select().from(vacancies).where(eq(vacancies.id, id));
  return row;
}

export async function listOpenVacancies(db: Db): Promise<VacancyRow[]> {
  return db.select().from(vacancies).where(ne(vacancies.status, 'occupied')).orderBy(asc(vacancies.freeFrom), asc(vacancies.id));
}

/**
 * Compare-and-set on the vacancy's status: of two people acting on one apartment at once, only the
 * one whose expected status still holds gets a row back; the other learns it lost (STYLE.md §4).
 */
export async function moveVacancy(db: Db, id: number, from: readonly string[], to: string, now: Date): Promise<VacancyRow | undefined> {
  const [row] = await db
    .update(vacancies)
    .set({ status: to, version: sql`${vacancies.version} + 1`, updatedAt: now })
    .where(and(eq(vacancies.id, id), inArray(vacancies.status, [...from])))
    .returning();
  return row;
}

export async function insertQueueEntry(db: Db, row: typeof queueEntries.$inferInsert): Promise<QueueEntryRow | undefined> {
  const [inserted] = await db.insert(queueEntries).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function findQueueEntry(db: Db, id: number): Promise<QueueEntryRow | undefined> {
  const [row] = await db.select().from(queueEntries).where(eq(queueEntries.id, id));
  return row;
}

/** Active entries for a case, the housing decision before the change-of-home list. */
export async function activeEntriesFor(db: Db, caseRef: string): Promise<QueueEntryRow[]> {
  const rows = await db.select().from(queueEntries).where(and(eq(queueEntries.caseRef, caseRef), eq(queueEntries.status, 'active')));
  return rows.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'decision' ? -1 : 1));
}

export async function listActiveEntries(db: Db, kind: string): Promise<QueueEntryRow[]> {
  return db.select().from(queueEntries).where(and(eq(queueEntries.kind, kind), eq(queueEntries.status, 'active')));
}

/** Compare-and-set on the entry's status (ending a decision races a reservation). */
export async function updateQueueEntry(db: Db, id: number, expectedStatus: string, set: Partial<typeof queueEntries.$inferInsert>): Promise<QueueEntryRow | undefined> {
  const [row] = await db.update(queueEntries).set(set).where(and(eq(queueEntries.id, id), eq(queueEntries.status, expectedStatus))).returning();
  return row;
}

export async function countDecline(db: Db, id: number): Promise<void> {
  await db.update(queueEntries).set({ declines: sql`${queueEntries.declines} + 1` }).where(eq(queueEntries.id, id));
}

export async function insertOffer(db: Db, row: typeof offers.$inferInsert): Promise<OfferRow> {
  const [inserted] = await db.insert(offers).values(row).returning();
  if (!inserted) throw new Error('insert into offers returned nothing');
  return inserted;
}

export async function liveOfferForVacancy(db: Db, vacancyId: number): Promise<OfferRow | undefined> {
  const [row] = await db.select().from(offers).where(and(eq(offers.vacancyId, vacancyId), inArray(offers.status, [...LIVE_OFFER])));
  return row;
}

export async function liveOfferForEntry(db: Db, entryId: number): Promise<OfferRow | undefined> {
  const [row] = await db.select().from(offers).where(and(eq(offers.queueEntryId, entryId), inArray(offers.status, [...LIVE_OFFER])));
  return row;
}

export async function liveOffers(db: Db): Promise<OfferRow[]> {
  return db.select().from(offers).where(inArray(offers.status, [...LIVE_OFFER]));
}

/** Compare-and-set on the offer's status, for the same reason as moveVacancy. */
export async function moveOffer(db: Db, id: number, from: string, set: Partial<typeof offers.$inferInsert> & { status: string }, now: Date): Promise<OfferRow | undefined> {
  const [row] = await db.update(offers).set({ ...set, updatedAt: now }).where(and(eq(offers.id, id), eq(offers.status, from))).returning();
  return row;
}

/** Offers still waiting for an answer whose reminder time has come. */
export async function offersDueForAnswerReminder(db: Db, now: Date, limit: number): Promise<OfferRow[]> {
  return db.select().from(offers).where(and(eq(offers.status, 'offered'), lte(offers.answerRemindAt, now))).orderBy(asc(offers.answerRemindAt)).limit(limit);
}

/**
 * Claims an offer's answer reminder: compare-and-set on the reminder time and the status, so of
 * two sweepers (or a sweeper and an answer) exactly one sees a row back.
 */
export async function claimAnswerReminder(db: Db, id: number): Promise<boolean> {
  const rows = await db
    .update(offers)
    .set({ answerRemindAt: null })
    .where(and(eq(offers.id, id), eq(offers.status, 'offered'), isNotNull(offers.answerRemindAt)))
    .returning({ id: offers.id });
  return rows.length > 0;
}

export async function insertInternalMove(db: Db, row: typeof internalMoves.$inferInsert): Promise<InternalMoveRow> {
  const [inserted] = await db.insert(internalMoves).values(row).returning();
  if (!inserted) throw new Error('insert into internal_moves returned nothing');
  return inserted;
}

export async function openInternalMove(db: Db, vacancyId: number): Promise<InternalMoveRow | undefined> {
  const [row] = await db.select().from(internalMoves).where(and(eq(internalMoves.vacancyId, vacancyId), inArray(internalMoves.status, [...OPEN_INTERNAL_MOVE])));
  return row;
}

/** Compare-and-set on the internal move's status: the planeringsledare and verksamhetschef answer once. */
export async function moveInternalMove(db: Db, id: number, from: string, set: Partial<typeof internalMoves.$inferInsert>, now: Date): Promise<InternalMoveRow | undefined> {
  const [row] = await db.update(internalMoves).set({ ...set, updatedAt: now }).where(and(eq(internalMoves.id, id), eq(internalMoves.status, from))).returning();
  return row;
}
