import { enqueue } from '../../db/outbox.ts';
import { activeSubstitute, findPeopleByIds } from '../../db/people.ts';
import type { Db } from '../../db/client.ts';
import { stockholmDate } from '../../domain/calendar/stockholm.ts';
import type { RoutineDefinition } from '../../domain/routines/types.ts';
import { roleTitle, type RoleId } from '../../domain/roles.ts';
import type { Clock } from '../../lib/clock.ts';
import type { StepLookup, StepSnapshot } from '../../bot/step-lookup.ts';
import type { CaseService, CaseView, ServiceRefusal, TaskView } from '../../services/types.ts';

/** A three-step routine for the bot tests: contact, move-in (captures a date), contract. */
export const testRoutine: RoutineDefinition = {
  id: 'testrutin',
  version: 1,
  title: 'Testrutin',
  source: 'test',
  params: {},
  phases: [{ id: 'start', title: 'Start' }],
  closing: { by: ['socialsekreterare'], notify: [] },
  steps: [
    { id: 'kontakt', title: 'Lämna kontaktuppgifter till planeringsledaren', phases: ['start'], role: 'socialsekreterare', opensOn: { on: 'phase_start' }, completedBy: { by: 'confirmation' } },
    {
      id: 'inflytt', title: 'Rapportera inflyttningsdatum', phases: ['start'], role: 'planeringsledare', opensOn: { on: 'steps_done', steps: ['kontakt'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'inflyttningsdatum', kind: 'date', label: 'Inflyttningsdatum', required: true }],
    },
    { id: 'avtal', title: 'Skriv placeringsavtal', phases: ['start'], role: 'socialadministrator', opensOn: { on: 'steps_done', steps: ['inflytt'] }, completedBy: { by: 'confirmation' } },
  ],
};

type FakeStep = StepSnapshot & { openedAt: string };
type FakeCase = { caseRef: string; initials: string; status: 'open' | 'closed'; roles: Partial<Record<RoleId, string>>; steps: FakeStep[] };

/**
 * An in-memory CaseService honouring the contract (services/types.ts) for the bot tests until the
 * real one is wired: compare-and-set completion, refusals as values, substitutes, outbox rows for
 * opened steps written in a transaction. Swap for the real service in bot-harness.ts.
 */
export function createFakeCases(db: Db, clock: Clock): { cases: CaseService; steps: StepLookup; routines: (id: string) => RoutineDefinition | undefined; audit: string[] } {
  const all = new Map<string, FakeCase>();
  const audit: string[] = [];
  const today = () => stockholmDate(clock.now());
  const due = (days: number) => new Date(clock.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);

  async function open(c: FakeCase, index: number): Promise<void> {
    const def = testRoutine.steps[index];
    if (!def) return;
    const role = def.role as RoleId;
    const step: FakeStep = { caseRef: c.caseRef, clientInitials: c.initials, routineId: testRoutine.id, routineVersion: 1, stepKey: def.id, stepId: def.id, title: def.title, role, status: 'open', due: due(index === 0 ? -1 : 7), assigneeId: c.roles[role] ?? null, completedBy: null, completedAt: null, openedAt: clock.now().toISOString() };
    c.steps.push(step);
    if (!step.assigneeId) return;
    await db.transaction(async (tx) => {
      const key = `teams:${c.caseRef}:${def.id}:open`;
      await enqueue(tx, { channel: 'teams', dedupeKey: key, messageId: key, recipient: step.assigneeId ?? '', caseRef: c.caseRef, payload: { kind: 'step_opened', caseRef: c.caseRef, stepKey: def.id, personId: step.assigneeId, message: `Nytt steg i ${c.caseRef}: ${def.title}` } }, clock.now());
    });
  }

  async function holds(step: FakeStep, personId: string): Promise<boolean> {
    if (step.assigneeId === personId) return true;
    return step.assigneeId !== null && (await activeSubstitute(db, step.assigneeId, today())) === personId;
  }

  function view(s: FakeStep, onBehalfOf: string | null): TaskView {
    return { caseRef: s.caseRef, clientInitials: s.clientInitials, routineId: s.routineId, routineVersion: 1, stepKey: s.stepKey, stepId: s.stepId, title: s.title, role: s.role as RoleId, due: s.due, late: s.due !== null && s.due < today(), openedAt: s.openedAt, onBehalfOf };
  }

  const notFound = (ref: string): ServiceRefusal => ({ ok: false, code: 'not_found', message: `Ärendet ${ref} finns inte i Boendelotsen. Kontrollera referensen.` });

  const cases: CaseService = {
    listTasks: async (personId) => {
      const out: TaskView[] = [];
      for (const c of all.values()) for (const s of c.steps) if (s.status === 'open' && (await holds(s, personId))) out.push(view(s, s.assigneeId === personId ? null : s.assigneeId));
      return out.sort((a, b) => Number(b.late) - Number(a.late) || (a.due ?? '9').localeCompare(b.due ?? '9'));
    },
    viewCase: async (caseRef, viewer) => {
      const c = all.get(caseRef);
      if (!c) return notFound(caseRef);
      audit.push(`case.view:${caseRef}:${viewer}`);
      if (!Object.values(c.roles).includes(viewer)) return { ok: false, code: 'forbidden', message: `Du har ingen roll på ${caseRef}.` };
      const names = new Map((await findPeopleByIds(db, Object.values(c.roles).filter((v): v is string => !!v))).map((p) => [p.id, p.name]));
      const v: CaseView = {
        caseRef, clientInitials: c.initials, routineId: testRoutine.id, routineTitle: testRoutine.title, routineVersion: 1, status: c.status, legalBasis: 'LSS 9 § 9',
        timeline: c.steps.map((s) => ({ stepKey: s.stepKey, stepId: s.stepId, title: s.title, role: s.role as RoleId, status: s.status, late: s.status === 'open' && s.due !== null && s.due < today(), openedAt: s.openedAt, due: s.due, completedAt: s.completedAt?.toISOString() ?? null, completedByName: s.completedBy ? (names.get(s.completedBy) ?? null) : null, holderName: s.assigneeId ? (names.get(s.assigneeId) ?? null) : null })),
      };
      return { ok: true, view: v };
    },
    startCase: async (input, actor) => {
      if (all.has(input.caseRef)) return { ok: false, code: 'case_exists', message: `Ärendet ${input.caseRef} finns redan i Boendelotsen.` };
      const c: FakeCase = { caseRef: input.caseRef, initials: input.clientInitials, status: 'open', roles: input.roles, steps: [] };
      all.set(input.caseRef, c);
      audit.push(`case.start:${input.caseRef}:${actor}`);
      await open(c, 0);
      return { ok: true, caseRef: input.caseRef };
    },
    completeStep: async ({ caseRef, stepKey, personId, data }) => {
      const c = all.get(caseRef);
      if (!c) return notFound(caseRef);
      const step = c.steps.find((s) => s.stepKey === stepKey);
      if (!step) return { ok: false, code: 'unknown_step', message: 'Steget finns inte.' };
      audit.push(`step.complete:${caseRef}:${stepKey}:${personId}`);
      // Compare-and-set: only an open step can be completed; the loser is told it is done.
      if (step.status !== 'open') return { ok: false, code: 'step_not_open', message: `Redan klart: ”${step.title}”.` };
      if (!(await holds(step, personId))) {
        const holder = step.assigneeId ? (await findPeopleByIds(db, [step.assigneeId]))[0]?.name : undefined;
        return { ok: false, code: 'wrong_role', message: `Bara ${roleTitle(step.role as RoleId)}${holder ? ` (${holder})` : ''} kan markera ”${step.title}” som klart.` };
      }
      const def = testRoutine.steps.findIndex((d) => d.id === step.stepId);
      const missing = (testRoutine.steps[def]?.captures ?? []).filter((f) => f.required && (data?.[f.name] ?? null) === null);
      if (missing.length > 0) return { ok: false, code: 'data_missing', message: `Fyll i ${missing.map((f) => f.label).join(', ')}.` };
      step.status = 'done';
      step.completedBy = personId;
      step.completedAt = clock.now();
      await open(c, def + 1);
      const opened = (await cases.listTasks(personId)).filter((t) => t.caseRef === caseRef);
      return { ok: true, title: step.title, opened };
    },
    reportMoveIn: ({ caseRef, date }) => Promise.resolve(all.has(caseRef) ? { ok: true, title: `Inflytt ${date} registrerad` } : notFound(caseRef)),
    reportChangedNeed: ({ caseRef, since }) =>
      Promise.resolve(
        !all.has(caseRef) ? notFound(caseRef) : since > due(-90) ? { ok: false, code: 'rule_not_met', message: 'Behovet ska ha varat minst 3 månader och vara dokumenterat.' } : { ok: true, title: `Förändrat behov sedan ${since} anmält` },
      ),
    closeCase: ({ caseRef, date }) => {
      const c = all.get(caseRef);
      if (!c) return Promise.resolve(notFound(caseRef));
      c.status = 'closed';
      return Promise.resolve({ ok: true, title: `Ärendet avslutas ${date}` });
    },
  };

  const steps: StepLookup = (caseRef, stepKey) => {
    const s = all.get(caseRef)?.steps.find((x) => x.stepKey === stepKey);
    return Promise.resolve(s ? { ...s } : undefined);
  };
  return { cases, steps, routines: (id) => (id === testRoutine.id ? testRoutine : undefined), audit };
}
