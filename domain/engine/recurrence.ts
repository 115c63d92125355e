import { addDays, addMonths, compareDates, daysInMonth, firstOfMonth, formatLocalDate, type LocalDate } from '../calendar/local-date.ts';
import { adjustDate } from '../calendar/working-days.ts';
import type { Recurrence, StepDefinition } from '../routines/types.ts';
import { setTimer, scopeOf, type Ctx } from './context.ts';
import { resolveAmount, resolveDateRef } from './values.ts';

export type Occurrence = { index: number; id: string; openOn: LocalDate; due: LocalDate };

/**
 * The n-th occurrence (n ≥ 1) after the anchor.
 * Monthly: "månadsrapport inkommer senast 10:e varje månad" — the report for a month is due on
 * the 10th of the next, so the first one falls in the month after the placement starts; each
 * opens on the 1st. A 10th on a weekend or holiday moves to the next working day.
 * Every N months: "följer upp … två gånger per år" — due N months apart, opened leadDays before.
 */
function occurrenceAt(recurrence: Recurrence, anchor: LocalDate, index: number, ctx: Ctx): Occurrence {
  if (recurrence.every === 'month') {
    const monthStart = addMonths(firstOfMonth(anchor), index);
    const year = Number(monthStart.slice(0, 4));
    const month = Number(monthStart.slice(5, 7));
    const day = Math.min(resolveAmount(recurrence.dueDay, ctx.def), daysInMonth(year, month));
    return { index, id: monthStart.slice(0, 7), openOn: monthStart, due: adjustDate(formatLocalDate(year, month, day), 'deadline') };
  }
  const rawDue = addMonths(anchor, index * resolveAmount(recurrence.months, ctx.def));
  const openOn = addDays(rawDue, -resolveAmount(recurrence.leadDays, ctx.def));
  return { index, id: rawDue, openOn, due: adjustDate(rawDue, 'deadline') };
}

export function recurTimerKey(stepId: string): string {
  return `recur:${stepId}`;
}

/**
 * Starts a recurring step: opens the latest occurrence already due to open (a placement entered
 * late does not flood the handläggare with past months) and sets a timer for the next one.
 */
export function startRecurrence(ctx: Ctx, step: StepDefinition, open: (o: Occurrence) => void): void {
  const recurrence = step.recurrence;
  if (!recurrence) return;
  const anchor = resolveDateRef(recurrence.anchor, scopeOf(ctx));
  if (anchor === undefined) return;
  let index = 1;
  let pending: Occurrence | undefined;
  for (;;) {
    const o = occurrenceAt(recurrence, anchor, index, ctx);
    if (compareDates(o.openOn, ctx.today) > 0) break;
    pending = o;
    index++;
  }
  if (pending) open(pending);
  scheduleOccurrence(ctx, step, occurrenceAt(recurrence, anchor, index, ctx));
}

export function scheduleNextOccurrence(ctx: Ctx, step: StepDefinition, afterIndex: number): void {
  const recurrence = step.recurrence;
  if (!recurrence) return;
  const anchor = resolveDateRef(recurrence.anchor, scopeOf(ctx));
  if (anchor === undefined) return;
  scheduleOccurrence(ctx, step, occurrenceAt(recurrence, anchor, afterIndex + 1, ctx));
}

function scheduleOccurrence(ctx: Ctx, step: StepDefinition, o: Occurrence): void {
  setTimer(ctx, recurTimerKey(step.id), o.openOn, {
    type: 'open_occurrence',
    stepId: step.id,
    occurrence: o.id,
    index: o.index,
    due: o.due,
  });
}
