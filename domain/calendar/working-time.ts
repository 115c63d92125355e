import { isWorkingDay, nextWorkingDay } from './working-days.ts';
import type { LocalDate } from './local-date.ts';
import { stockholmInstant, stockholmParts } from './stockholm.ts';

/** A Stockholm wall-clock time of day. */
export type ClockTime = { hour: number; minute: number };
/** When reminders may leave: [start, end) on working days, Stockholm time. */
export type WorkingTime = { start: ClockTime; end: ClockTime };

export const DEFAULT_WORKING_TIME: WorkingTime = { start: { hour: 7, minute: 0 }, end: { hour: 17, minute: 0 } };

const minutesOf = (t: ClockTime): number => t.hour * 60 + t.minute;

/** The instant a time of day occurs on a Stockholm date. */
export function instantOn(date: LocalDate, time: ClockTime): Date {
  return stockholmInstant(date, time.hour, time.minute);
}

/** On a working day (holidays, midsommarafton, julafton, nyårsafton off) inside working hours. */
export function isWorkingTime(instant: Date, hours: WorkingTime): boolean {
  const p = stockholmParts(instant);
  const m = p.hour * 60 + p.minute;
  return isWorkingDay(p.date) && m >= minutesOf(hours.start) && m < minutesOf(hours.end);
}

/** The instant itself when it is working time, else the start of the next working period. */
export function nextWorkingTime(instant: Date, hours: WorkingTime): Date {
  if (isWorkingTime(instant, hours)) return instant;
  const p = stockholmParts(instant);
  const beforeStart = p.hour * 60 + p.minute < minutesOf(hours.start);
  const date = isWorkingDay(p.date) && beforeStart ? p.date : nextWorkingDay(p.date);
  return instantOn(date, hours.start);
}

/** "07:30" → { hour: 7, minute: 30 }; undefined when malformed. */
export function parseClockTime(text: string): ClockTime | undefined {
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
}

/** "07:00-17:00" → WorkingTime; undefined when malformed or empty. */
export function parseWorkingTime(text: string): WorkingTime | undefined {
  const [a, b, ...rest] = text.split(/\s*[-–]\s*/);
  const start = a === undefined ? undefined : parseClockTime(a);
  const end = b === undefined ? undefined : parseClockTime(b);
  if (!start || !end || rest.length > 0 || minutesOf(end) <= minutesOf(start)) return undefined;
  return { start, end };
}

