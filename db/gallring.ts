import { and, asc, eq, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { cases, outbox, providerInboxTasks, quarantinedBb } from './schema/index.ts';

/**
 * Queries behind gallring (services/gallring.ts): which rows are due, and their removal. Each
 * removal repeats the "due" condition in its WHERE, so a row that changed since it was listed (a
 * case reopened, a mail re-queued) is left alone.
 */
/** The key a gallrad payload carries (a literal in the SQL below). */
const KEPT_AFTER_GALLRING = sql.raw(`jsonb_build_object('gallrad', true, 'subject', "outbox"."payload"->'subject', 'to', "outbox"."payload"->'to')`);

/** Sent or failed mail whose text is still kept, finished before `before`. */
const mailContentDue = (before: Date) =>
  and(eq(outbox.channel, 'mail'), inArray(outbox.status, ['sent', 'failed']), sql`coalesce(${outbox.sentAt}, ${outbox.createdAt}) < ${before.toISOString()}::timestamptz`, sql`not (${outbox.payload} ? 'gallrad')`);

const replyDue = (before: Date) => and(eq(providerInboxTasks.status, 'done'), lt(providerInboxTasks.doneAt, before), sql`${providerInboxTasks.body} <> ''`);

const quarantineDue = (before: Date) => and(eq(quarantinedBb.status, 'linked'), lt(quarantinedBb.linkedAt, before));

const closedCaseDue = (before: Date) =>
  and(eq(cases.status, 'closed'), lt(cases.updatedAt, before), or(isNotNull(cases.pnrCipher), isNotNull(cases.pnrHash), sql`${cases.clientInitials} <> ''`));

export type GallringCutoffs = { mailContent: Date; quarantine: Date; closedCase: Date };

export async function countDue(db: Db, cut: GallringCutoffs) {
  const count = async (q: Promise<{ n: number }[]>) => Number((await q)[0]?.n ?? 0);
  const n = sql<number>`count(*)::int`;
  return {
    mailContent: await count(db.select({ n }).from(outbox).where(mailContentDue(cut.mailContent))),
    providerReplies: await count(db.select({ n }).from(providerInboxTasks).where(replyDue(cut.mailContent))),
    quarantinedMail: await count(db.select({ n }).from(quarantinedBb).where(quarantineDue(cut.quarantine))),
    closedCases: await count(db.select({ n }).from(cases).where(closedCaseDue(cut.closedCase))),
  };
}

/** Keeps who, when and what kind; drops the text, the html and attachment metadata. */
export async function stripMailContent(db: Db, before: Date, limit: number): Promise<number[]> {
  const ids = (await db.select({ id: outbox.id }).from(outbox).where(mailContentDue(before)).orderBy(asc(outbox.id)).limit(limit)).map((r) => r.id);
  if (ids.length === 0) return [];
  const done = await db
    .update(outbox)
    .set({ payload: KEPT_AFTER_GALLRING, lastError: null })
    .where(and(inArray(outbox.id, ids), mailContentDue(before)))
    .returning({ id: outbox.id });
  return done.map((r) => r.id);
}

export async function clearReplyBodies(db: Db, before: Date, limit: number): Promise<number[]> {
  const ids = (await db.select({ id: providerInboxTasks.id }).from(providerInboxTasks).where(replyDue(before)).orderBy(asc(providerInboxTasks.id)).limit(limit)).map((r) => r.id);
  if (ids.length === 0) return [];
  const done = await db.update(providerInboxTasks).set({ body: '' }).where(and(inArray(providerInboxTasks.id, ids), replyDue(before))).returning({ id: providerInboxTasks.id });
  return done.map((r) => r.id);
}

export async function deleteLinkedQuarantine(db: Db, before: Date, limit: number): Promise<number[]> {
  const ids = (await db.select({ id: quarantinedBb.id }).from(quarantinedBb).where(quarantineDue(before)).orderBy(asc(quarantinedBb.id)).limit(limit)).map((r) => r.id);
  if (ids.length === 0) return [];
  const done = await db.delete(quarantinedBb).where(and(inArray(quarantinedBb.id, ids), quarantineDue(before))).returning({ id: quarantinedBb.id });
  return done.map((r) => r.id);
}

export async function closedCasesDue(db: Db, before: Date, limit: number) {
  return db.select({ id: cases.id, caseRef: cases.caseRef, pnrHash: cases.pnrHash }).from(cases).where(closedCaseDue(before)).orderBy(asc(cases.id)).limit(limit);
}

/**
 * A closed case's personal data goes: personnummer (cipher and hash), initials, provider reply
 * texts and mails kept for it. Steps, dates and the audit trail stay (what was done, by whom).
 */
export async function forgetCasePerson(db: Db, p: { id: number; caseRef: string; before: Date }): Promise<boolean> {
  const done = await db
    .update(cases)
    .set({ pnrCipher: null, pnrHash: null, clientInitials: '' })
    .where(and(eq(cases.id, p.id), closedCaseDue(p.before)))
    .returning({ id: cases.id });
  if (done.length === 0) return false;
  await db.update(providerInboxTasks).set({ body: '' }).where(eq(providerInboxTasks.caseRef, p.caseRef));
  await db.delete(quarantinedBb).where(eq(quarantinedBb.linkedCaseRef, p.caseRef));
  await db
    .update(outbox)
    .set({ payload: KEPT_AFTER_GALLRING })
    .where(and(eq(outbox.caseRef, p.caseRef), eq(outbox.channel, 'mail'), inArray(outbox.status, ['sent', 'failed'])));
  return true;
}
