import type { Db } from '../db/client.ts';
import { appendAudit } from '../db/audit.ts';
import { caseRolesHeldBySelfOrCovered, roleHolderEmails } from '../db/case-roles.ts';
import { countCasesWithRefPrefix, insertCase, loadCaseForUpdate, type CaseRow } from '../db/cases.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { decide } from '../domain/engine/decide.ts';
import { openDocumentStep } from '../domain/engine/handlers.ts';
import type { Actor, CaseEvent, CaseState, Decision, Effect, FactValue } from '../domain/engine/types.ts';
import { isRoleId, type RoleId } from '../domain/roles.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { settleAll } from '../lib/settle.ts';
import type { PnrCrypto } from '../lib/pnr-crypto.ts';
import { DEFAULT_WORKING_TIME, isWorkingTime, nextWorkingTime, type WorkingTime } from '../domain/calendar/working-time.ts';
import { applyEffects, type MailExtras } from './apply-effects.ts';
import { nextVersion, saveCaseRoles, saveCaseState } from './case-store.ts';
import type { PeopleDirectory } from '../db/people.ts';
import type { RoutineCatalog } from '../domain/routines/registry.ts';
import type { RoutineDefinition } from '../domain/routines/types.ts';
import type { ServiceRefusal, StartCaseInput } from './types.ts';

export type CaseEngineDeps = {
  db: Db;
  /** The directory over a db or a transaction: inside an event it must read through the event's tx
   * (PGlite has one connection, and a read outside would wait on the open transaction forever). */
  directory: (db: Db) => PeopleDirectory;
  pnr: PnrCrypto;
  clock: Clock;
  logger: Logger;
  /** Domain of our own Message-IDs (from MAIL_FROM). */
  mailDomain: string;
  /** The routines read from ROUTINES_DIR at start, every version (a case keeps the one it began on). */
  routines: RoutineCatalog;
  /** Addresses of roles that are mailboxes (administration, a provider); empty when unknown. */
  roleMailboxes?: (role: RoleId, caseRow: CaseRow, tx: Db) => Promise<string[]>;
  /** A role's own rendering of routine mail (providers: the case token in the subject); read through `tx`. */
  roleMail?: (role: RoleId, template: string, data: Record<string, FactValue>, caseRow: CaseRow, tx: Db) => Promise<{ subject: string; text: string; html: string } | undefined>;
  /** When messages the system sends by itself (timers) may leave; default 07:00–17:00 on working days. */
  workingTime?: WorkingTime;
};

export type ApplyOutcome =
  | { ok: true; before: CaseState; next: CaseState; effects: Effect[]; caseRow: CaseRow }
  | ServiceRefusal;

/** Who caused an event, for the audit trail: a person id, 'system', 'mail', 'timer'. */
export type Origin = { actor: string; action: string; detail?: Record<string, unknown> };

/**
 * The one way an event reaches a case: lock the case row, let the pure engine decide, then write
 * state, timers, outbox rows and the audit entry in the same transaction (DESIGN.md).
 */
export function createCaseEngine(deps: CaseEngineDeps) {
  const workingTime = deps.workingTime ?? DEFAULT_WORKING_TIME;
  const deferred = (now: Date): Date | undefined => (isWorkingTime(now, workingTime) ? undefined : nextWorkingTime(now, workingTime));

  /** Each role's addresses: the hook's mailbox (a provider's) where it has one, else the holder's e-mail, the holders read in one statement. */
  async function roleMailboxes(tx: Db, roles: RoleId[], row: CaseRow): Promise<Map<RoleId, string[]>> {
    const hooked = await Promise.all(roles.map(async (role) => [role, deps.roleMailboxes ? await deps.roleMailboxes(role, row, tx) : []] as const));
    const boxes = new Map<RoleId, string[]>(hooked.filter(([, b]) => b.length > 0));
    const rest = roles.filter((role) => !boxes.has(role));
    if (rest.length > 0) {
      for (const [role, email] of await roleHolderEmails(tx, row.id, rest)) boxes.set(role as RoleId, [email]);
    }
    return boxes;
  }

  async function persist(tx: Db, row: CaseRow, before: CaseState | null, decision: Extract<Decision, { ok: true }>, origin: Origin, now: Date, mailExtras?: MailExtras) {
    // Who holds which role first: the effects read it (a mail goes to the role's holder).
    await saveCaseRoles(tx, row.id, before, decision.next);
    // The rest writes different rows (the case, its steps and reminders, timers, outbox, the
    // audit entry), so the statements go out without waiting for each other's answers: pipelined
    // on the transaction's connection, a handful of statements cost about one round trip.
    const version = nextVersion(row);
    const state = saveCaseState(tx, row, before, decision.next, now, deps.routines.find);
    const effects = applyEffects(
      tx,
      decision.effects,
      {
        caseId: row.id,
        caseRef: row.caseRef,
        clientInitials: row.clientInitials,
        mailExtras,
        // A person acting is answered at once; what a timer does at night or on a day off is told
        // at the start of the next working time (DESIGN.md, Calendar).
        notBefore: origin.action === 'timer.fire' ? deferred(now) : undefined,
        version,
        now,
        roleMailboxes: (roles) => roleMailboxes(tx, roles, row),
        renderMail: (role, template, data) => deps.roleMail?.(role, template, data, row, tx) ?? Promise.resolve(undefined),
        startCase: (effect) => startFollowOnCase(tx, row, effect, now),
      },
      { logger: deps.logger, mailDomain: deps.mailDomain },
    );
    const audit = appendAudit(tx, { actor: origin.actor, action: origin.action, caseRef: row.caseRef, detail: { ...origin.detail, version } }, now);
    await settleAll([state, effects, audit]);
  }

  /** A case the routine starts from another (transfer at 65, change of home). */
  async function startFollowOnCase(tx: Db, from: CaseRow, effect: Extract<Effect, { type: 'start_case' }>, now: Date): Promise<string> {
    const prefix = `${from.caseRef}-`;
    const n = (await countCasesWithRefPrefix(tx, prefix)) + 1;
    const caseRef = `${prefix}${n}`;
    const decision = decide(null, { type: 'start', caseRef, routineId: effect.routineId, phase: effect.phase, facts: effect.facts, roles: effect.roles }, now, deps.routines.find);
    if (!decision.ok) {
      deps.logger.error({ code: 'FOLLOW_ON_CASE_REFUSED', caseRef: from.caseRef, reason: decision.reason }, 'follow-on case refused');
      return caseRef;
    }
    const row = await insertCase(tx, {
      caseRef,
      routineId: decision.next.routineId,
      routineVersion: decision.next.routineVersion,
      status: decision.next.status,
      clientInitials: from.clientInitials,
      pnrCipher: from.pnrCipher,
      pnrHash: from.pnrHash,
      legalBasis: from.legalBasis,
      provider: from.provider,
      unit: from.unit,
      area: from.area,
      state: decision.next,
      createdAt: now,
      updatedAt: now,
    });
    if (!row) throw new Error(`follow-on case ${caseRef} exists already`);
    await persist(tx, row, null, decision, { actor: 'system', action: 'case.start', detail: { fromCaseRef: from.caseRef, routineId: effect.routineId } }, now);
    return caseRef;
  }

  /**
   * A refusal changes nothing but is still an attempt on the case (a probe of a reference, a
   * forged card): it is audited, whoever refused it.
   */
  function auditedRefusal(tx: Db, caseRef: string, origin: Origin, now: Date) {
    return async <T extends { code: string }>(r: T): Promise<T> => {
      await appendAudit(tx, { actor: origin.actor, action: `${origin.action}.refused`, caseRef, detail: { ...origin.detail, reason: r.code } }, now);
      return r;
    };
  }

  /** Applies one event to an existing case inside the caller's transaction. */
  async function applyIn(
    tx: Db,
    caseRef: string,
    makeEvent: (state: CaseState, row: CaseRow, tx: Db) => Promise<CaseEvent | ServiceRefusal>,
    origin: Origin,
    mailExtras?: MailExtras,
  ): Promise<ApplyOutcome> {
    const row = await loadCaseForUpdate(tx, caseRef);
    if (!row) {
      return auditedRefusal(tx, caseRef, origin, deps.clock.now())({ ok: false as const, code: 'not_found' as const, message: `Ärendet ${caseRef} finns inte i Boendelotsen. Kontrollera referensen.` });
    }
    return applyToLocked(tx, row, makeEvent, origin, mailExtras);
  }

  /**
   * Applies one event to a case read with loadCaseForUpdate in this same transaction (the BB
   * intake checks the personnummer on the locked row first, so the case is read once).
   */
  async function applyToLocked(tx: Db, row: CaseRow, makeEvent: Parameters<typeof applyIn>[2], origin: Origin, mailExtras?: MailExtras): Promise<ApplyOutcome> {
    const now = deps.clock.now();
    const refused = auditedRefusal(tx, row.caseRef, origin, now);
    const before = row.state as CaseState;
    const event = await makeEvent(before, row, tx);
    if ('ok' in event) return refused(event);
    const decision = decide(before, event, now, deps.routines.find);
    if (!decision.ok) return refused({ ok: false as const, code: decision.reason, message: decision.message });
    await persist(tx, row, before, decision, origin, now, mailExtras);
    return { ok: true, before, next: decision.next, effects: decision.effects, caseRow: row };
  }

  /** Applies one event to an existing case in a transaction of its own. */
  function apply(caseRef: string, makeEvent: Parameters<typeof applyIn>[2], origin: Origin): Promise<ApplyOutcome> {
    return deps.db.transaction((tx) => applyIn(tx, caseRef, makeEvent, origin));
  }

  async function start(input: StartCaseInput, origin: Origin): Promise<{ ok: true; caseRef: string } | ServiceRefusal> {
    const now = deps.clock.now();
    const decision = decide(null, { type: 'start', caseRef: input.caseRef, routineId: input.routineId, phase: input.phase, facts: input.facts ?? {}, roles: input.roles }, now, deps.routines.find);
    if (!decision.ok) return { ok: false, code: decision.reason, message: decision.message };
    return deps.db.transaction(async (tx) => {
      const row = await insertCase(tx, {
        caseRef: input.caseRef,
        routineId: decision.next.routineId,
        routineVersion: decision.next.routineVersion,
        status: decision.next.status,
        clientInitials: input.clientInitials,
        pnrCipher: deps.pnr.encrypt(input.personnummer),
        pnrHash: deps.pnr.lookupHash(input.personnummer),
        legalBasis: input.legalBasis,
        provider: input.provider ?? null,
        unit: input.unit ?? null,
        area: input.area ?? null,
        state: decision.next,
        createdAt: now,
        updatedAt: now,
      });
      if (!row) return { ok: false, code: 'case_exists', message: `Ärendet ${input.caseRef} finns redan i Boendelotsen.` } as const;
      // The start names the person by keyed hash only, so `audit person` finds the case after gallring.
      await persist(tx, row, null, decision, { ...origin, detail: { ...origin.detail, pnrHash: row.pnrHash } }, now);
      return { ok: true, caseRef: input.caseRef } as const;
    });
  }

  /** The person's roles on the case, their own and those of people they stand in for today. */
  async function actorOn(tx: Db, row: CaseRow, personId: string): Promise<Actor> {
    return actorFrom(personId, await caseRolesHeldBySelfOrCovered(tx, row.id, personId, stockholmDate(deps.clock.now())));
  }

  /** True when the case's routine has a step open that an incoming BB completes. */
  function awaitsDocument(row: CaseRow): boolean {
    const def = routineOf(row);
    return def !== undefined && openDocumentStep(def, row.state as CaseState) !== undefined;
  }

  // The crypto travels with the engine so mail paths reached through it (koppla) can open sealed mail.
  /** The routine definition (the case's own version) a case runs on. */
  function routineOf(row: Pick<CaseRow, 'routineId' | 'routineVersion'>): RoutineDefinition | undefined {
    return deps.routines.find(row.routineId, row.routineVersion);
  }

  return { apply, applyIn, applyToLocked, start, actorOn, awaitsDocument, routineOf, pnr: deps.pnr };
}

export type CaseEngine = ReturnType<typeof createCaseEngine>;

/**
 * The actor an event names, from the roles on the case held by the person and by those they
 * stand in for today: acting only through an absent holder's role makes them that holder's substitute.
 */
export function actorFrom(personId: string, holders: ReadonlyArray<{ role: string; personId: string }>): Actor {
  const roles = [...new Set(holders.map((h) => h.role).filter(isRoleId))];
  const own = holders.some((h) => h.personId === personId);
  const absent = holders.find((h) => h.personId !== personId)?.personId;
  return !own && absent ? { personId, roles, substituteFor: absent } : { personId, roles };
}
