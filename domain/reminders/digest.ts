import { addDays, dayOfWeek, type LocalDate } from '../calendar/local-date.ts';
import { isWorkingDay } from '../calendar/working-days.ts';
import { stockholmDate } from '../calendar/stockholm.ts';
import { instantOn, isWorkingTime, type ClockTime, type WorkingTime } from '../calendar/working-time.ts';

export type DigestItem = { caseRef: string; clientInitials: string; title: string; due: LocalDate };

/** The Sunday ending the ISO week of a date: "due this week" runs to it. */
export function endOfWeek(date: LocalDate): LocalDate {
  const dow = dayOfWeek(date);
  return addDays(date, dow === 0 ? 0 : 7 - dow);
}

/** The day whose digest is due at `now`, if any: working days, from the digest time, within working hours. */
export function digestDayAt(now: Date, time: ClockTime, hours: WorkingTime): LocalDate | null {
  const today = stockholmDate(now);
  if (!isWorkingDay(today) || !isWorkingTime(now, hours)) return null;
  return now >= instantOn(today, time) ? today : null;
}

/** A housing decision nearing three months without being carried out (a manager's digest). */
export type ApproachingItem = { caseRef: string; clientInitials: string; lastDay: LocalDate };

/** One message per person: late steps first, then those due later this week. Case ref and initials only. */
export function digestMessage(today: LocalDate, items: readonly DigestItem[], approaching: readonly ApproachingItem[] = []): string {
  const late = items.filter((i) => i.due < today).sort((a, b) => a.due.localeCompare(b.due));
  const week = items.filter((i) => i.due >= today).sort((a, b) => a.due.localeCompare(b.due));
  const line = (i: DigestItem) => `- ${i.caseRef} ${i.clientInitials}: ${i.title} (senast ${i.due})`;
  const parts = [`Dagens översikt ${today}: ${late.length} försenade, ${week.length} med sista dag denna vecka.`];
  if (late.length > 0) parts.push('', '**Försenade**', ...late.map(line));
  if (week.length > 0) parts.push('', '**Denna vecka**', ...week.map(line));
  if (approaching.length > 0) {
    parts.push('', '**Beslut som närmar sig tre månader utan verkställighet**', ...approaching.map((a) => `- ${a.caseRef} ${a.clientInitials}: verkställs senast ${a.lastDay}, annars rapporteras det till IVO`));
  }
  parts.push('', items.length > 0 ? 'Skriv **mina uppgifter** för att se och klarmarkera dem.' : 'Fliken Översikt visar hela området.');
  return parts.join('\n');
}
