import { appendAudit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { isLocalDate as isValidDate } from '../domain/calendar/local-date.ts';
import type { Actor, CaseEvent, CaseState, FactValue } from '../domain/engine/types.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import type { RoutineLookup } from '../domain/routines/registry.ts';
import { parsePersonnummer } from '../domain/behovsbedomning/personnummer.ts';
import { ROLE_TITLES } from '../domain/roles.ts';
import { actorFrom, createCaseEngine, type CaseEngineDeps } from './case-service.ts';
import { withTurns65 } from './providers-start.ts';
import { stepTitle } from './case-store.ts';
import { buildCaseView, listTasks } from './case-views.ts';
import { mayAccessCaseRef, mayAccessHolding, noCase } from './case-access.ts';
import { caseRolesHeldBySelfOrCovered } from '../db/case-roles.ts';
import { checkStartByPerson } from './case-start.ts';
import type { CaseRow } from '../db/cases.ts';
import type { CaseService, ServiceRefusal, TaskView } from './types.ts';

/**
 * The case services the front doors call (services/types.ts). Each call is one event through the
 * engine; the views are audited reads.
 */
export function createCaseService(deps: CaseEngineDeps): CaseService & { engine: ReturnType<typeof createCaseEngine> } {
  const engine = createCaseEngine(deps);
  const people = deps.directory(deps.db);
  const findRoutine = deps.routines.find;
  const views = { db: deps.db, people, clock: deps.clock, routines: findRoutine };

  function invalid(message: string): ServiceRefusal {
    return { ok: false, code: 'invalid_input', message };
  }

  /** "Redan klart av X" for the second person to confirm a step (the compare-and-set loser). */
  async function alreadyDoneMessage(tx: Db, state: CaseState, stepKey: string): Promise<string | undefined> {
    const step = state.steps[stepKey];
    if (step?.status !== 'done' || !step.completedBy) return undefined;
    const name = (await deps.directory(tx).names([step.completedBy.personId])).get(step.completedBy.personId) ?? ROLE_TITLES[step.completedBy.role];
    return `Redan klart: ”${stepTitle(findRoutine, state, step)}” på ${state.caseRef} markerades klart av ${name} ${step.completedAt?.slice(0, 10) ?? ''}.`.trim();
  }

  /**
   * Wraps an event maker: someone without a role on the case (or a coordinator role in its area)
   * gets the same answer as for a reference that does not exist, before the engine says anything
   * about the case's steps or holders.
   */
  function asAllowed(personId: string, make: (state: CaseState, row: CaseRow, tx: Db, actor: Actor) => CaseEvent | ServiceRefusal | Promise<CaseEvent | ServiceRefusal>) {
    return async (state: CaseState, row: CaseRow, tx: Db): Promise<CaseEvent | ServiceRefusal> => {
      // One read answers both "may they act on the case" and "as whom": the roles they (or the
      // people they stand in for today) hold on it, read under the case's row lock.
      const held = await caseRolesHeldBySelfOrCovered(tx, row.id, personId, stockholmDate(deps.clock.now()));
      if (!(await mayAccessHolding(deps.directory(tx), row, personId, held.length > 0))) return noCase(row.caseRef);
      return make(state, row, tx, actorFrom(personId, held));
    };
  }

  /** An unknown reference answers as a case without a role does. */
  function sameAsNoRole<T extends { ok: boolean }>(caseRef: string, outcome: T | ServiceRefusal): T | ServiceRefusal {
    return !outcome.ok && (outcome as ServiceRefusal).code === 'not_found' ? noCase(caseRef) : outcome;
  }

  async function openedFor(personId: string, before: CaseState, next: CaseState): Promise<TaskView[]> {
    const fresh = new Set(Object.keys(next.steps).filter((k) => next.steps[k]?.status === 'open' && before.steps[k]?.status !== 'open'));
    if (fresh.size === 0) return [];
    // Only this case's: the person's whole list is not needed to say what the step opened.
    return (await listTasks(views, personId, next.caseRef)).filter((t) => fresh.has(t.stepKey));
  }

  const service: CaseService & { engine: ReturnType<typeof createCaseEngine> } = {
    engine,
    routines: deps.routines,
    listTasks: (personId) => listTasks(views, personId),
    mayAccess: async (caseRef, personId) => {
      const allowed = await mayAccessCaseRef(deps.db, people, stockholmDate(deps.clock.now()), caseRef, personId);
      // Asked before a card press or command acts: a refusal is an attempt on the case, audited.
      if (!allowed) await appendAudit(deps.db, { actor: personId, action: 'case.access.refused', caseRef }, deps.clock.now());
      return allowed;
    },

    viewCase: async (caseRef, viewerPersonId) => {
      const result = await buildCaseView(views, caseRef, viewerPersonId);
      // Every view of a case is audited, refused ones too.
      await deps.db.transaction((tx) =>
        appendAudit(tx, { actor: viewerPersonId, action: result.ok ? 'case.view' : 'case.view.refused', caseRef, detail: result.ok ? {} : { code: result.code } }, deps.clock.now()),
      );
      return result;
    },

    startCase: async (input, actorPersonId) => {
      if (!findRoutine(input.routineId)) return invalid(`Rutinen ”${input.routineId}” finns inte. Skriv ”hjälp” för att se rutinerna.`);
      if (!/^[A-ZÅÄÖ]\.?[A-ZÅÄÖ]?\.?$/i.test(input.clientInitials.replace(/\s/g, ''))) return invalid('Ange bara initialer för den enskilde, till exempel E.B.');
      if (!/^\d{12}$/.test(input.personnummer)) return invalid('Personnumret ska ha tolv siffror (ÅÅÅÅMMDDNNNN).');
      // The same check as the BB parser's: a case on a wrong number could never match its BB mail.
      if (!parsePersonnummer(input.personnummer, null).ok) return invalid('Personnumret stämmer inte: datumet eller kontrollsiffran är fel.');
      // Routine 4's transfer at 65 needs the 65th birthday; only the shell sees the personnummer.
      return engine.start(withTurns65(input, stockholmDate(deps.clock.now())), { actor: actorPersonId, action: 'case.start', detail: { routineId: input.routineId, phase: input.phase } });
    },

    startCaseByPerson: async (input, actorPersonId) => {
      const checked = await checkStartByPerson(deps.db, findRoutine(input.routineId), input, actorPersonId);
      if (!checked.ok) return checked;
      return service.startCase(checked.input, actorPersonId);
    },

    completeStep: async ({ caseRef, stepKey, personId, data, listOpened = true }) => {
      let doneMessage: string | undefined;
      const outcome = await engine.apply(
        caseRef,
        asAllowed(personId, async (state, _row, tx, actor) => {
          doneMessage = await alreadyDoneMessage(tx, state, stepKey);
          return { type: 'complete', stepKey, actor, data: data ?? {} };
        }),
        { actor: personId, action: 'step.complete', detail: { stepKey } },
      );
      if (!outcome.ok) return outcome.code === 'step_not_open' && doneMessage ? { ...outcome, message: doneMessage } : sameAsNoRole(caseRef, outcome);
      const step = outcome.next.steps[stepKey];
      const title = step ? stepTitle(findRoutine, outcome.next, step) : stepKey;
      return { ok: true, title, completedAt: step?.completedAt ?? null, opened: listOpened ? await openedFor(personId, outcome.before, outcome.next) : [] };
    },

    reportMoveIn: async ({ caseRef, date, personId }) => {
      if (!isValidDate(date)) return invalid('Ange inflyttningsdatum som ÅÅÅÅ-MM-DD.');
      const outcome = await engine.apply(
        caseRef,
        asAllowed(personId, (state, _row, _tx, actor) => {
          // The open step that captures the move-in date, whichever routine the case follows.
          const step = Object.values(state.steps).find((s) => s.status === 'open' && capturesFact(findRoutine, state, s.stepId, 'moveInDate'));
          if (!step) return { ok: false, code: 'step_not_open', message: `Ärendet ${caseRef} väntar inte på något inflyttningsdatum just nu.` };
          return { type: 'complete', stepKey: step.key, actor, data: { [fieldFor(findRoutine, state, step.stepId, 'moveInDate')]: date } };
        }),
        { actor: personId, action: 'case.move_in', detail: { date } },
      );
      return outcome.ok ? { ok: true, title: `Inflyttningsdatum ${date} registrerat för ${caseRef}` } : sameAsNoRole(caseRef, outcome);
    },

    reportChangedNeed: async ({ caseRef, since, personId, data: extra }) => {
      if (!isValidDate(since)) return invalid('Ange sedan när behovet har funnits som ÅÅÅÅ-MM-DD.');
      const outcome = await engine.apply(
        caseRef,
        asAllowed(personId, (state, _row, _tx, actor) => {
          const def = findRoutine(state.routineId, state.routineVersion);
          const phase = def?.phases.find((p) => p.id === 'forandrade_behov');
          if (!phase) return { ok: false, code: 'invalid_input', message: `Ärendet ${caseRef} följer en rutin utan förändrade behov.` };
          const field = phase.captures?.find((f) => f.kind === 'date' || f.kind === 'document_date')?.name ?? 'needSince';
          // The phase's other fields (who reported it, the request date, documented) come with the call.
          const data: Record<string, FactValue> = { ...extra, [field]: since };
          return { type: 'begin_phase', phase: phase.id, actor, data };
        }),
        { actor: personId, action: 'case.changed_need', detail: { since } },
      );
      return outcome.ok ? { ok: true, title: `Förändrat behov registrerat för ${caseRef}` } : sameAsNoRole(caseRef, outcome);
    },

    closeCase: async ({ caseRef, date, reason, personId }) => {
      if (!isValidDate(date)) return invalid('Ange avslutsdatum som ÅÅÅÅ-MM-DD.');
      if (reason.trim().length < 2) return invalid('Ange en orsak till avslutet.');
      const outcome = await engine.apply(
        caseRef,
        asAllowed(personId, (_state, _row, _tx, actor) => ({ type: 'close', actor, date, reason: reason.trim() })),
        { actor: personId, action: 'case.close', detail: { date } },
      );
      return outcome.ok ? { ok: true, title: `Ärendet ${caseRef} är avslutat` } : sameAsNoRole(caseRef, outcome);
    },
  };
  return service;
}

function captures(findRoutine: RoutineLookup, state: CaseState, stepId: string) {
  return findRoutine(state.routineId, state.routineVersion)?.steps.find((s) => s.id === stepId)?.captures ?? [];
}

function capturesFact(findRoutine: RoutineLookup, state: CaseState, stepId: string, fact: string): boolean {
  return captures(findRoutine, state, stepId).some((f) => (f.fact ?? f.name) === fact);
}

function fieldFor(findRoutine: RoutineLookup, state: CaseState, stepId: string, fact: string): string {
  return captures(findRoutine, state, stepId).find((f) => (f.fact ?? f.name) === fact)?.name ?? fact;
}
