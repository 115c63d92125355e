import { addWorkingDays, nextWorkingDayOnOrAfter } from '../calendar/working-days.ts';
import type { LocalDate } from '../calendar/local-date.ts';
import { instantOn, isWorkingTime, nextWorkingTime, type WorkingTime } from '../calendar/working-time.ts';

/**
 * The reminder ladder of one open step with a deadline. The "late" rung to the holder is not here:
 * the routine engine already sends it (its 'late:<step>' timer, the morning after the due day), so
 * the ladder adds what the engine lacks and nobody gets the late message twice.
 */
export type ReminderLevel = 'heads_up' | 'due_day' | 'snooze' | 'escalation';

export type LadderParams = {
  /** Heads-up this many working days before the due day (0 = none). */
  headsUpWorkingDays: number;
  /** Escalation to the holder's manager this many working days after the due day. */
  escalateAfterWorkingDays: number;
  hours: WorkingTime;
};

export type LadderStep = {
  due: LocalDate;
  openedAt: Date;
  /** "Påminn mig DATUM": the holder's reminders wait until that day. */
  snoozeUntil: LocalDate | null;
  /** Keys of rungs already sent (see rungKey). */
  sent: ReadonlySet<string>;
};

export type Rung = {
  level: ReminderLevel;
  /** Unique per step and rung: a snooze to a new date is a new rung. */
  key: string;
  to: 'holder' | 'manager';
  at: Date;
  /** After this the rung is stale and never sent (a heads-up once the due day has come). */
  until: Date | null;
};

export type LadderPlan = { send: Rung[]; nextAt: Date | null };

/** Ties at the same instant: the more specific message wins. */
const PRIORITY: Record<ReminderLevel, number> = { heads_up: 0, due_day: 1, snooze: 2, escalation: 3 };

/** Every rung of the step, at the start of working hours on working days. */
function rungsOf(step: Omit<LadderStep, 'sent'>, params: LadderParams): Rung[] {
  const due = nextWorkingDayOnOrAfter(step.due);
  const start = (date: LocalDate) => instantOn(date, params.hours.start);
  const rungs: Rung[] = [];
  if (params.headsUpWorkingDays > 0) {
    rungs.push({ level: 'heads_up', key: 'heads_up', to: 'holder', at: start(addWorkingDays(due, -params.headsUpWorkingDays)), until: start(due) });
  }
  rungs.push({ level: 'due_day', key: 'due_day', to: 'holder', at: start(due), until: instantOn(due, params.hours.end) });
  rungs.push({ level: 'escalation', key: 'escalation', to: 'manager', at: start(addWorkingDays(due, Math.max(1, params.escalateAfterWorkingDays))), until: null });
  if (step.snoozeUntil) {
    rungs.push({ level: 'snooze', key: `snooze:${step.snoozeUntil}`, to: 'holder', at: start(nextWorkingDayOnOrAfter(step.snoozeUntil)), until: null });
  }
  const snoozeAt = rungs.find((r) => r.level === 'snooze')?.at;
  return rungs.filter((r) => {
    if (r.to !== 'holder' || r.level === 'snooze') return true;
    // The "new task" message already told the holder; a reminder timed before it is noise.
    if (r.at < step.openedAt) return false;
    // Snoozed: the holder's reminders before the chosen day give way to the snooze reminder, but
    // a snooze past the deadline never hides the deadline: the due-day reminder still comes first.
    return snoozeAt === undefined || r.at >= snoozeAt || r.level === 'due_day';
  });
}

/**
 * Which rungs go out now, and when to look at the step again. Of the holder's rungs only the
 * latest one reached is ever sent (a sweeper that was down does not send a heads-up and the due-day
 * reminder together); nothing leaves outside working time, it waits for the next working period.
 */
export function planLadder(step: LadderStep, params: LadderParams, now: Date): LadderPlan {
  const rungs = rungsOf(step, params).sort((a, b) => a.at.getTime() - b.at.getTime() || PRIORITY[a.level] - PRIORITY[b.level]);
  const live = (r: Rung) => !step.sent.has(r.key) && (r.until === null || now < r.until);
  const reachedHolder = rungs.filter((r) => r.to === 'holder' && r.at <= now).at(-1);
  const dueNow = [
    ...(reachedHolder && live(reachedHolder) ? [reachedHolder] : []),
    ...rungs.filter((r) => r.to === 'manager' && r.at <= now && live(r)),
  ];
  const future = rungs.filter((r) => r.at > now && !step.sent.has(r.key)).map((r) => r.at.getTime());
  if (dueNow.length > 0 && !isWorkingTime(now, params.hours)) {
    return { send: [], nextAt: nextWorkingTime(now, params.hours) };
  }
  return { send: dueNow, nextAt: future.length > 0 ? new Date(Math.min(...future)) : null };
}
