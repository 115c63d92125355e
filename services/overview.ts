import type { Db } from '../db/client.ts';
import { scopedDoneSteps, scopedOpenSteps, type CaseScope } from '../db/overview.ts';
import type { PeopleDirectory } from '../db/people.ts';
import { addDays, addMonths, daysBetween, type LocalDate } from '../domain/calendar/local-date.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { leadTime, type LeadTime } from '../domain/report/stats.ts';
import type { Clock } from '../lib/clock.ts';
import { auditRead } from './audit-read.ts';
import { caseScope } from './case-access.ts';
import type { CoordinationService } from './coordination.ts';
import { approachingDecisions, trackedDecisions } from './report-ej-verkstallda.ts';
import type { CaseService, CaseView, TaskView } from './types.ts';

/** Coming steps are shown this many days ahead. */
const COMING_DAYS = 14;

export type OverviewDeps = {
  db: Db;
  people: PeopleDirectory;
  clock: Clock;
  cases: Pick<CaseService, 'listTasks' | 'viewCase'>;
  coordination: Pick<CoordinationService, 'listQueue' | 'listVacancies'>;
  routineTitle: (routineId: string) => string;
};

export type AreaStep = {
  caseRef: string; clientInitials: string; routineId: string; routine: string; title: string; due: LocalDate; late: boolean;
  holderName: string; escalatedOn: LocalDate | null; escalatedToName: string | null;
};

export type LeadTimeRow = { routine: string; step: string } & LeadTime;

/**
 * The overview tab's views. Each applies the access rule chat applies (services/case-access.ts)
 * and each leaves an audit entry naming the cases it showed, as chat's reads do.
 */
export function createOverviewService(deps: OverviewDeps) {
  const today = () => stockholmDate(deps.clock.now());
  const scopeOf = (personId: string): Promise<CaseScope> => caseScope(deps.db, deps.people, today(), personId);

  const audit = (personId: string, action: Parameters<typeof auditRead>[2], detail: Parameters<typeof auditRead>[3]) => auditRead(deps, personId, action, detail);

  /** My open steps and those of whom I stand in for, with the absent holder's name. */
  async function myTasks(personId: string): Promise<Array<TaskView & { onBehalfOfName: string | null }>> {
    const tasks = await deps.cases.listTasks(personId);
    const names = await deps.people.names([...new Set(tasks.map((t) => t.onBehalfOf).filter((x): x is string => x !== null))]);
    await audit(personId, 'tasks.list', { via: 'tab', caseRefs: [...new Set(tasks.map((t) => t.caseRef))] });
    return tasks.map((t) => ({ ...t, onBehalfOfName: t.onBehalfOf === null ? null : (names.get(t.onBehalfOf) ?? null) }));
  }

  /** Late and coming steps of the cases I may see, by the person holding them, and decisions nearing three months. */
  async function area(personId: string) {
    const day = today();
    const scope = await scopeOf(personId);
    const rows = await scopedOpenSteps(deps.db, scope, addDays(day, COMING_DAYS));
    const names = await deps.people.names([...new Set(rows.flatMap((r) => [r.holder, r.escalatedTo]).filter((x): x is string => x !== null))]);
    const steps: AreaStep[] = rows.map((r) => ({
      caseRef: r.caseRef, clientInitials: r.clientInitials, routineId: r.routineId, routine: deps.routineTitle(r.routineId), title: r.title, due: r.due ?? day,
      late: (r.due ?? day) < day, holderName: r.holder ? (names.get(r.holder) ?? 'okänd') : 'ingen', escalatedOn: r.escalatedAt ? stockholmDate(r.escalatedAt) : null,
      escalatedToName: r.escalatedTo ? (names.get(r.escalatedTo) ?? null) : null,
    }));
    const approaching = approachingDecisions(await trackedDecisions(deps.db, scope), day);
    await audit(personId, 'overview.area', { via: 'tab', caseRefs: [...new Set([...steps.map((s) => s.caseRef), ...approaching.map((a) => a.caseRef)])] });
    return { today: day, steps, approaching, seesCases: scope.holders.length > 0 };
  }

  /** Housing decisions nearing three months in the cases I may see; the decisions are returned for the report to reuse. */
  async function approaching(personId: string) {
    const scope = await scopeOf(personId);
    const tracked = await trackedDecisions(deps.db, scope);
    const near = approachingDecisions(tracked, today());
    await audit(personId, 'overview.approaching', { via: 'tab', caseRefs: near.map((a) => a.caseRef) });
    return { scope, tracked, approaching: near };
  }

  /** The queue and the vacancies as chat's `kö` and `lediga` give them (and audit them), with days waiting. */
  async function queue(personId: string) {
    const day = today();
    const q = await deps.coordination.listQueue('decision', personId);
    const vacancies = await deps.coordination.listVacancies(personId);
    const entries = q.ok ? q.entries.map((e) => ({ ...e, daysWaiting: daysBetween(e.decisionDate, day) })) : [];
    return { today: day, entries, queueRefused: q.ok ? null : q.message, vacancies };
  }

  /** Lead time per routine step (opened to done, days) over twelve months, and steps done late per month. */
  async function leadTimes(personId: string) {
    const day = today();
    const since = addMonths(day, -12);
    const scope = await scopeOf(personId);
    const rows = await scopedDoneSteps(deps.db, scope, new Date(`${since}T00:00:00Z`));
    const byStep = new Map<string, { routine: string; step: string; days: number[] }>();
    const months = Array.from({ length: 12 }, (_, i) => addMonths(`${day.slice(0, 7)}-01`, i - 11).slice(0, 7));
    const lateByMonth = new Map(months.map((m) => [m, { done: 0, late: 0 }]));
    for (const r of rows) {
      if (!r.completedAt) continue;
      const done = stockholmDate(r.completedAt);
      const key = `${r.routineId}|${r.stepId}`;
      const entry = byStep.get(key) ?? { routine: deps.routineTitle(r.routineId), step: r.title, days: [] };
      entry.days.push(Math.max(0, daysBetween(stockholmDate(r.openedAt), done)));
      byStep.set(key, entry);
      const month = lateByMonth.get(done.slice(0, 7));
      if (month) {
        month.done += 1;
        if (r.due !== null && done > r.due) month.late += 1;
      }
    }
    const steps: LeadTimeRow[] = [...byStep.values()].map((s) => ({ routine: s.routine, step: s.step, ...leadTime(s.days) })).sort((a, b) => a.routine.localeCompare(b.routine, 'sv') || a.step.localeCompare(b.step, 'sv'));
    await audit(personId, 'overview.lead_times', { via: 'tab', steps: rows.length });
    return { since, steps, months: months.map((m) => ({ month: m, ...(lateByMonth.get(m) ?? { done: 0, late: 0 }) })) };
  }

  /** A case's timeline, through the case service: the same rule and the same audit entry as `ärende REF`. */
  function timeline(personId: string, caseRef: string): Promise<{ ok: true; view: CaseView } | { ok: false; message: string }> {
    return deps.cases.viewCase(caseRef, personId);
  }

  return { myTasks, area, approaching, queue, leadTimes, timeline, scopeOf };
}

export type OverviewService = ReturnType<typeof createOverviewService>;
