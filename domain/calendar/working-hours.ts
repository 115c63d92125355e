import { isWorkingDay, nextWorkingDay } from './working-days.ts';
import { DEFAULT_WORKING_HOURS, stockholmInstant, stockholmParts, type WorkingHours } from './stockholm.ts';

/** Reminders go out on working days, inside working hours, in Stockholm time (DESIGN.md). */
export function isWithinWorkingHours(instant: Date, hours: WorkingHours = DEFAULT_WORKING_HOURS): boolean {
  const p = stockholmParts(instant);
  return isWorkingDay(p.date) && p.hour >= hours.startHour && p.hour < hours.endHour;
}

/** The instant itself when inside working hours, else the start of the next working period. */
export function nextWorkingInstant(instant: Date, hours: WorkingHours = DEFAULT_WORKING_HOURS): Date {
  if (isWithinWorkingHours(instant, hours)) return instant;
  const p = stockholmParts(instant);
  const date = isWorkingDay(p.date) && p.hour < hours.startHour ? p.date : nextWorkingDay(p.date);
  return stockholmInstant(date, hours.startHour);
}
