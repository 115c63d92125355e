import type { Db } from '../db/client.ts';
import { findQueueEntry, offersDueForAnswerReminder } from '../db/coordination.ts';
import { activeSubstitute, findPeopleByIds } from '../db/people.ts';
import { dueStepReminders } from '../db/reminders.ts';
import { caseRoleHolders, stepHolder } from '../db/case-roles.ts';
import { pendingTimersDueBy } from '../db/timers.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { isWorkingTime, nextWorkingTime } from '../domain/calendar/working-time.ts';
import type { TimerAction } from '../domain/engine/types.ts';
import type { ReminderLevel } from '../domain/reminders/ladder.ts';
import type { RoutineLookup } from '../domain/routines/registry.ts';
import type { RoleRule } from '../domain/routines/types.ts';
import { planDigests } from './reminders-digest.ts';
import { planSteps, type ReminderSettings } from './reminders.ts';

export type PreviewLine = {
  type: 'påminnelse' | 'eskalering' | 'översikt' | 'tidsstyrt steg' | 'försenat' | 'svarsfrist';
  caseRef: string | null;
  clientInitials: string | null;
  what: string;
  /** Staff initials and id; never a client's name. Null only when nobody can be found (then it says so). */
  to: string | null;
  at: string;
};

/** The ladder's rungs as a person would name them. */
const LEVEL_TEXT: Record<ReminderLevel, string> = {
  heads_up: 'förvarning',
  due_day: 'sista dagen',
  snooze: 'påminn mig',
  escalation: 'eskalering',
};

/**
 * What the sweeps would send or open at `at`, computed from the same plans they use and from
 * what has already been sent, without writing anything: ladder rungs due and not yet sent, the
 * day's digests, routine 5's answer-deadline reminders, timers due (the engine's late messages
 * and timed steps, at the working time they will actually reach a person). Every line names
 * whom it reaches, substitutes resolved for that day.
 */
export async function previewReminders(db: Db, settings: ReminderSettings, at: Date, findRoutine: RoutineLookup): Promise<PreviewLine[]> {
  const lines: PreviewLine[] = [];
  const day = stockholmDate(at);
  const standIn = async (id: string | null) => (id ? ((await activeSubstitute(db, id, day)) ?? id) : null);
  const rows = await dueStepReminders(db, { now: at, limit: 50_000, lock: false });
  for (const plan of await planSteps(db, rows, settings, at)) {
    for (const m of plan.messages) {
      lines.push({ type: m.level === 'escalation' ? 'eskalering' : 'påminnelse', caseRef: m.caseRef, clientInitials: m.clientInitials, what: `${m.title} (${LEVEL_TEXT[m.level]}, senast ${m.due})`, to: m.recipientId, at: at.toISOString() });
    }
  }
  for (const d of await planDigests(db, settings, at)) {
    lines.push({ type: 'översikt', caseRef: null, clientInitials: null, what: `${d.items.length} steg försenade eller med sista dag denna vecka`, to: d.personId, at: at.toISOString() });
  }
  // The offer sweep sends only in working time, to the enhetschef who offered and to myndigheten.
  if (isWorkingTime(at, settings.hours)) {
    for (const o of await offersDueForAnswerReminder(db, at, 50_000)) {
      const who = await findQueueEntry(db, o.queueEntryId);
      const what = `svar på erbjudandet om L${o.vacancyId} senast ${o.answerDeadline ?? ''}`;
      for (const person of new Set([o.offeredBy, o.reservedBy].filter((p): p is string => p !== null))) {
        lines.push({ type: 'svarsfrist', caseRef: who?.caseRef ?? null, clientInitials: who?.clientInitials ?? null, what, to: await standIn(person), at: at.toISOString() });
      }
    }
  }
  const timers = await pendingTimersDueBy(db, at);
  for (const t of timers) {
    const action = t.action as TimerAction;
    // Whatever a timer tells a person waits for working time (services/case-service.ts).
    const when = nextWorkingTime(t.dueAt, settings.hours);
    if (when > at) continue;
    const holders = await timerRecipients(db, t.caseId, action, findRoutine(t.routineId, t.routineVersion)?.steps.find((s) => 'stepId' in action && s.id === action.stepId)?.role);
    const to = holders.length === 0 ? [null] : holders;
    for (const person of to) {
      lines.push({ type: action.type === 'step_late' ? 'försenat' : 'tidsstyrt steg', caseRef: t.caseRef, clientInitials: t.clientInitials, what: describeTimer(action), to: await standIn(person), at: when.toISOString() });
    }
  }
  return withStaffInitials(db, lines);
}

/** Who a timer's message reaches: the holder of the late step, or of the role of the step it opens. */
async function timerRecipients(db: Db, caseId: number, action: TimerAction, rule: RoleRule | undefined): Promise<string[]> {
  if (action.type === 'step_late') {
    const id = await stepHolder(db, caseId, action.stepKey);
    return id ? [id] : [];
  }
  if (action.type === 'begin_phase' || rule === undefined) return [];
  const roles = typeof rule === 'string' ? [rule] : 'anyOf' in rule ? rule.anyOf : [rule.then, rule.else];
  const held = await caseRoleHolders(db, caseId);
  return [...new Set(held.filter((h) => (roles as readonly string[]).includes(h.role)).map((h) => h.personId))];
}

function describeTimer(a: TimerAction): string {
  switch (a.type) {
    case 'step_late':
      return `försenat-meddelande för ${a.stepKey}`;
    case 'open_step':
      return `öppnar steget ${a.stepId}`;
    case 'open_occurrence':
      return `öppnar ${a.stepId} ${a.occurrence} (senast ${a.due})`;
    case 'begin_phase':
      return `startar skedet ${a.phase}`;
  }
}

async function withStaffInitials(db: Db, lines: PreviewLine[]): Promise<PreviewLine[]> {
  const ids = lines.flatMap((l) => (l.to ? [l.to] : []));
  const names = new Map((await findPeopleByIds(db, ids)).map((p) => [p.id, p.name] as const));
  const initials = (name: string) => name.split(/\s+/).filter(Boolean).map((w) => `${w[0]?.toUpperCase() ?? ''}.`).join('');
  return lines.map((l) => (l.to ? { ...l, to: `${initials(names.get(l.to) ?? '?')} (${l.to})` } : { ...l, to: 'ingen mottagare hittad' }));
}
