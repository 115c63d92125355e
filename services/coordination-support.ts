import { areasOf, inAreas } from '../domain/areas.ts';
import type { Db } from '../db/client.ts';
import { appendAudit } from '../db/audit.ts';
import type { UnitRow, VacancyRow } from '../db/coordination.ts';
import { enqueue } from '../db/outbox.ts';
import { caseStateRoleHolder, findCaseIdArea } from '../db/case-lookup.ts';
import { activeSubstitute, findByEmail, findPersonById, peopleWithRole, type PersonRow } from '../db/people.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import type { WorkingTime } from '../domain/calendar/working-time.ts';
import type { FactValue } from '../domain/engine/types.ts';
import { stepIdForHook, type RoutineHook } from '../domain/routines/hooks.ts';
import { roleTitle, type RoleId } from '../domain/roles.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { enqueueMail } from '../db/outbox-mail.ts';
import type { CaseEngine } from './case-service.ts';
import type { ServiceRefusal, ServiceResult } from './types.ts';
import { escapeHtml } from '../lib/html.ts';

export type CoordinationDeps = {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Drives the routine 5 / routine 3 case steps when the person has such a case; absent: queue only. */
  engine?: CaseEngine | undefined;
  /** Our mail domain, for Message-IDs. */
  mailFrom: string;
  /** OFFER_ANSWER_WORKING_DAYS */
  offerAnswerWorkingDays: number;
  /** WORKING_HOURS: an offer made after them counts from the next working day. Default 07:00–17:00. */
  workingTime?: WorkingTime | undefined;
};

/** What every operation answers: a Swedish sentence for the one who acted. */
export type CoordinationResult = ServiceResult<{ message: string }>;

/** An expected refusal found mid-transaction: thrown to roll the transaction back, then returned. */
export class Refused extends Error {
  constructor(readonly refusal: ServiceRefusal) {
    super(refusal.message);
  }
}

export function refuse(code: ServiceRefusal['code'], message: string): never {
  throw new Refused({ ok: false, code, message });
}

/** Runs one operation as one transaction; a Refused rolls it back and becomes the answer. */
export async function inTransaction(deps: CoordinationDeps, run: (tx: Db, now: Date) => Promise<string>): Promise<CoordinationResult> {
  const now = deps.clock.now();
  try {
    const message = await deps.db.transaction((tx) => run(tx, now));
    return { ok: true, message };
  } catch (err) {
    if (err instanceof Refused) return err.refusal;
    throw err;
  }
}

/** A sentence ending in initials ("E.B.") takes no second full stop. */
export function withStop(text: string): string {
  return text.endsWith('.') ? text : `${text}.`;
}

/** Vacancies are named "L12" in chat and cards. */
export function vacancyLabel(v: Pick<VacancyRow, 'id'>): string {
  return `L${v.id}`;
}

export function parseVacancyRef(ref: string): number | undefined {
  const m = /^L-?(\d{1,9})$/i.exec(ref.trim());
  return m ? Number(m[1]) : undefined;
}

export function today(deps: CoordinationDeps): string {
  return stockholmDate(deps.clock.now());
}

/** The organisation role check (vacancies are not on a case): the directory's roles decide. */
export async function requireRole(tx: Db, personId: string, allowed: readonly RoleId[], what: string): Promise<PersonRow> {
  const person = await findPersonById(tx, personId);
  if (!person) refuse('forbidden', 'Du finns inte i personalkatalogen.');
  if (!person.roles.some((r) => (allowed as readonly string[]).includes(r))) {
    refuse('forbidden', `Bara ${allowed.map(roleTitle).join(' eller ')} kan ${what}.`);
  }
  return person;
}

/** Staff holding a role, in the area when any there do (planeringsledare, verksamhetschef). */
export async function holdersOfRole(tx: Db, role: RoleId, area: string): Promise<PersonRow[]> {
  const all = await peopleWithRole(tx, role);
  const inArea = all.filter((p) => p.area === area);
  return inArea.length > 0 ? inArea : all;
}

/**
 * Routine 5: "ansvarig enhetschef" registers, offers and confirms for the unit's own vacancies. The
 * manager is the one `units import` names (units.manager_email), or whoever stands in for them
 * today; another enhetschef is refused with the name of the one who can. A unit without a named
 * manager falls back to the role check alone.
 */
export async function requireUnitManager(tx: Db, personId: string, unit: UnitRow, what: string, day: string): Promise<PersonRow> {
  const person = await requireRole(tx, personId, ['enhetschef_utforare'], what);
  const manager = unit.managerEmail ? await findByEmail(tx, unit.managerEmail) : undefined;
  if (!manager || manager.id === person.id) return person;
  if ((await activeSubstitute(tx, manager.id, day)) === person.id) return person;
  return refuse('forbidden', `Bara ansvarig enhetschef för ${unit.name}, ${manager.name}, eller dennes ersättare kan ${what}.`);
}

export async function unitManager(tx: Db, unit: UnitRow, vacancy: VacancyRow): Promise<string> {
  const manager = unit.managerEmail ? await findByEmail(tx, unit.managerEmail) : undefined;
  return manager?.id ?? vacancy.registeredBy;
}

/** Who holds a role on a case (the case's own roles), if the case exists. */
export async function caseRoleHolder(tx: Db, caseRef: string, role: RoleId): Promise<string | null> {
  return caseStateRoleHolder(tx, caseRef, role);
}

/** A Teams line to a person, queued in the operation's transaction; keyed so a retry never doubles it. */
export async function tell(tx: Db, n: { personId: string; ref: string; key: string; message: string }, now: Date): Promise<void> {
  const key = `teams:coord:${n.key}:${n.personId}`;
  await enqueue(tx, { channel: 'teams', dedupeKey: key, messageId: key, recipient: n.personId, caseRef: n.ref, payload: { kind: 'info', caseRef: n.ref, stepKey: null, personId: n.personId, message: n.message } }, now);
}

export async function mail(tx: Db, deps: CoordinationDeps, m: { key: string; to: string[]; subject: string; text: string; external?: boolean; caseRef?: string | null }, now: Date): Promise<void> {
  if (m.to.length === 0) return;
  const html = `<p>${escapeHtml(m.text).replace(/\n/g, '<br>')}</p>`;
  await enqueueMail(tx, { key: `coord:${m.key}`, to: m.to, subject: m.subject, text: m.text, html, caseRef: m.caseRef ?? null, ...(m.external ? { external: true } : {}) }, { from: deps.mailFrom, now });
}

export async function audit(tx: Db, personId: string, action: string, caseRef: string | null, detail: Record<string, unknown>, now: Date): Promise<void> {
  await appendAudit(tx, { actor: personId, action, caseRef, detail }, now);
}

/** Why a coordination operation did not move the person's case: expected, never an error. */
export type DriveSkip = 'no_engine' | 'no_case' | 'no_hooked_step' | 'step_not_open' | 'not_role_holder';
export type DriveOutcome = { driven: true } | { driven: false; skipped: DriveSkip };

/**
 * Where the person's case runs a routine with a step for `hook` (the routine file names it), that
 * step is open and the actor holds its role on the case, the step is completed through the engine
 * in this same transaction, so the case timeline shows it. Otherwise the skip is returned as a
 * value and the queue alone records the operation. A routine rule that refuses rolls the whole
 * operation back.
 */
export async function driveCase(
  tx: Db,
  deps: CoordinationDeps,
  p: { caseRef: string; hook: RoutineHook; actorId: string; data: Record<string, FactValue>; action: string },
): Promise<DriveOutcome> {
  const engine = deps.engine;
  if (!engine) return { driven: false, skipped: 'no_engine' };
  if (!(await findCaseIdArea(tx, p.caseRef))) return { driven: false, skipped: 'no_case' };
  // Set inside the event builder; a skip aborts the event, and is told apart from a routine's refusal by this, not by words.
  const skip: { reason?: DriveSkip } = {};
  const skipped = (reason: DriveSkip): ServiceRefusal => {
    skip.reason = reason;
    return { ok: false, code: 'step_not_open', message: `coordination skipped: ${reason}` };
  };
  const outcome = await engine.applyIn(
    tx,
    p.caseRef,
    async (state, row, etx) => {
      const def = engine.routineOf(row);
      const stepId = def ? stepIdForHook(def, p.hook) : undefined;
      if (stepId === undefined) return skipped('no_hooked_step');
      const step = Object.values(state.steps).find((s) => s.status === 'open' && s.stepId === stepId);
      if (!step) return skipped('step_not_open');
      const actor = await engine.actorOn(etx, row, p.actorId);
      if (!actor.roles.includes(step.role)) return skipped('not_role_holder');
      return { type: 'complete', stepKey: step.key, actor, data: p.data };
    },
    { actor: p.actorId, action: p.action, detail: { via: 'coordination', hook: p.hook } },
  );
  if (outcome.ok) return { driven: true };
  if (skip.reason !== undefined) return { driven: false, skipped: skip.reason };
  // The case vanished between the look and the lock: as if it never was.
  if (outcome.code === 'not_found') return { driven: false, skipped: 'no_case' };
  return refuse(outcome.code, outcome.message);
}

/**
 * A queue entry of another area is, to this person, an entry that does not exist: the same words
 * as "not in the queue", so the queue cannot be probed across areas. Entries from before areas
 * were recorded (area null) stay visible to every reader.
 */
export function entryVisibleTo(person: Pick<PersonRow, 'area'>, entry: { area: string | null }): boolean {
  return entry.area === null || inAreas(entry.area, areasOf(person.area));
}
