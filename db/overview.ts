import { and, asc, eq, gte, inArray, isNotNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client.ts';
import { auditLog, caseRoles, cases, caseSteps, offers, queueEntries, remindersSent } from './schema/index.ts';

/**
 * Queries for the overview tab and the report of ej verkställda beslut. Which cases a person may
 * see is decided in services/case-access.ts; these functions take its answer (`CaseScope`) and
 * only turn it into SQL.
 */
export type CaseScope = {
  holders: readonly string[];
  /** Area values as cases spell them, opened by a coordinator role. */
  areas: readonly string[];
  /** The coordinator's own areas as the directory spells them (for rows that are not cases: queue entries). */
  coordinatorAreas: readonly string[];
};

function inScope(scope: CaseScope): SQL | undefined {
  const held =
    scope.holders.length === 0
      ? undefined
      : sql`exists (select 1 from ${caseRoles} where ${caseRoles.caseId} = ${cases.id} and ${inArray(caseRoles.personId, [...scope.holders])})`;
  const area = scope.areas.length === 0 ? undefined : inArray(cases.area, [...scope.areas]);
  if (!held && !area) return sql`false`;
  return or(held, area);
}

/** The distinct areas cases carry, so the caller can match a person's areas by the shared rule. */
export async function caseAreaValues(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ area: cases.area }).from(cases).where(isNotNull(cases.area));
  return rows.map((r) => r.area).filter((a): a is string => a !== null);
}

/** Open steps with a deadline up to `until` (late ones included) of open cases in scope, with the holder and any escalation sent. */
export async function scopedOpenSteps(db: Db, scope: CaseScope, until: string) {
  return db
    .select({
      caseRef: cases.caseRef,
      clientInitials: cases.clientInitials,
      routineId: cases.routineId,
      routineVersion: cases.routineVersion,
      stepKey: caseSteps.stepKey,
      title: caseSteps.title,
      role: caseSteps.role,
      due: caseSteps.due,
      holder: caseRoles.personId,
      escalatedAt: remindersSent.sentAt,
      escalatedTo: remindersSent.recipient,
    })
    .from(caseSteps)
    .innerJoin(cases, eq(cases.id, caseSteps.caseId))
    .leftJoin(caseRoles, and(eq(caseRoles.caseId, caseSteps.caseId), eq(caseRoles.role, caseSteps.role)))
    .leftJoin(remindersSent, and(eq(remindersSent.caseId, caseSteps.caseId), eq(remindersSent.stepKey, caseSteps.stepKey), eq(remindersSent.level, 'escalation')))
    .where(and(eq(caseSteps.status, 'open'), eq(cases.status, 'open'), isNotNull(caseSteps.due), lte(caseSteps.due, until), inScope(scope)))
    .orderBy(asc(caseSteps.due), asc(cases.caseRef));
}

/** Steps done since `since` in cases in scope: the lead times per routine step. */
export async function scopedDoneSteps(db: Db, scope: CaseScope, since: Date) {
  return db
    .select({
      routineId: cases.routineId,
      stepId: caseSteps.stepId,
      title: caseSteps.title,
      openedAt: caseSteps.openedAt,
      completedAt: caseSteps.completedAt,
      due: caseSteps.due,
    })
    .from(caseSteps)
    .innerJoin(cases, eq(cases.id, caseSteps.caseId))
    .where(and(eq(caseSteps.status, 'done'), gte(caseSteps.completedAt, since), inScope(scope)));
}

/** The facts a housing decision leaves in a case: when it was decided, carried out, interrupted, resumed. */
const fact = (name: string) => sql<string | null>`${cases.state} -> 'facts' ->> ${name}`;

/** Cases of the housing routines that carry a decision date, with what shows whether it was carried out. */
export async function housingDecisionCases(db: Db, routineIds: readonly string[], scope?: CaseScope) {
  return db
    .select({
      id: cases.id,
      caseRef: cases.caseRef,
      clientInitials: cases.clientInitials,
      routineId: cases.routineId,
      legalBasis: cases.legalBasis,
      area: cases.area,
      status: cases.status,
      closedAt: sql<string | null>`${cases.state} ->> 'closedAt'`,
      closeReason: sql<string | null>`${cases.state} ->> 'closeReason'`,
      purchaseDecidedOn: fact('purchaseDecidedOn'),
      auDecisionOn: fact('auDecisionOn'),
      auApproved: fact('auApproved'),
      moveInDate: fact('moveInDate'),
      placementStart: fact('placementStart'),
      interruptedOn: fact('interruptedOn'),
      resumedOn: fact('resumedOn'),
    })
    .from(cases)
    .where(and(inArray(cases.routineId, [...routineIds]), scope ? inScope(scope) : undefined))
    .orderBy(asc(cases.caseRef));
}

/** Decisions in the queue for a home (routine 5), with the move-in that carried them out and when one was ended. */
export async function queuedDecisions(db: Db) {
  const movedIn = sql<string | null>`(select max(${offers.actualMoveIn}) from ${offers} where ${offers.queueEntryId} = ${queueEntries.id} and ${offers.status} = 'moved_in')`;
  const endedAt = sql<Date | null>`(select min(${auditLog.at}) from ${auditLog} where ${auditLog.caseRef} = ${queueEntries.caseRef} and ${auditLog.action} = 'queue.end')`;
  return db
    .select({
      id: queueEntries.id,
      caseRef: queueEntries.caseRef,
      clientInitials: queueEntries.clientInitials,
      decisionDate: queueEntries.decisionDate,
      legalBasis: queueEntries.legalBasis,
      housingKind: queueEntries.housingKind,
      area: queueEntries.area,
      status: queueEntries.status,
      endReason: queueEntries.endReason,
      movedIn,
      endedAt,
    })
    .from(queueEntries)
    .where(eq(queueEntries.kind, 'decision'))
    .orderBy(asc(queueEntries.caseRef));
}

/** The offers made on a queue entry, oldest first. */
export async function offersForEntries(db: Db, entryIds: readonly number[]) {
  if (entryIds.length === 0) return [];
  return db
    .select({ queueEntryId: offers.queueEntryId, status: offers.status, reservedAt: offers.reservedAt, viewingOn: offers.viewingOn, declineReason: offers.declineReason })
    .from(offers)
    .where(inArray(offers.queueEntryId, [...entryIds]))
    .orderBy(asc(offers.id));
}

/** When each offer step of these cases was done (routine 5's 'erbjudande'), oldest first. */
export async function offerStepDates(db: Db, caseRefs: readonly string[]) {
  if (caseRefs.length === 0) return [];
  return db
    .select({ caseRef: cases.caseRef, completedAt: caseSteps.completedAt })
    .from(caseSteps)
    .innerJoin(cases, eq(cases.id, caseSteps.caseId))
    .where(and(inArray(cases.caseRef, [...caseRefs]), eq(caseSteps.stepId, 'erbjudande'), eq(caseSteps.status, 'done')))
    .orderBy(asc(caseSteps.seq));
}

/** The sealed personnummer of cases, for the one service that reads födelseår and kön from it. */
export async function sealedPnrs(db: Db, caseRefs: readonly string[]): Promise<Map<string, string>> {
  if (caseRefs.length === 0) return new Map();
  const rows = await db.select({ caseRef: cases.caseRef, pnrCipher: cases.pnrCipher }).from(cases).where(inArray(cases.caseRef, [...caseRefs]));
  return new Map(rows.filter((r) => r.pnrCipher !== null).map((r) => [r.caseRef, r.pnrCipher as string]));
}

