import type { LocalDate } from '../calendar/local-date.ts';
import type { ReminderLevel } from './ladder.ts';

/** What a reminder says: the case reference, initials, the step and dates; never a client's name. */
export type ReminderSubject = { caseRef: string; clientInitials: string; title: string; due: LocalDate };

export function reminderMessage(level: Exclude<ReminderLevel, 'escalation'>, s: ReminderSubject): string {
  const what = `${s.caseRef} ${s.clientInitials}: ”${s.title}”`;
  switch (level) {
    case 'heads_up':
      return `Påminnelse: ${what} ska vara klart senast ${s.due}.`;
    case 'due_day':
      return `Påminnelse: ${what} ska vara klart i dag (${s.due}).`;
    case 'snooze':
      return `Påminnelse som du bad om: ${what}, sista dag ${s.due}.`;
  }
}

/**
 * To the holder's manager (enhetschef), or to the configured fallback when the holder has no
 * manager in the directory; staff names are fine, the client's never.
 */
export function escalationMessage(s: ReminderSubject, holder: { name: string; role: string }, as: 'manager' | 'fallback' = 'manager'): string {
  const why = as === 'manager' ? 'Du får detta som chef.' : `Du får detta eftersom ${holder.name} saknar chef i personalkatalogen.`;
  return `Eskalering: ${s.caseRef} ${s.clientInitials}: ”${s.title}” skulle ha varit klart senast ${s.due} och är fortfarande öppet. Ansvarig: ${holder.name} (${holder.role}). ${why}`;
}
