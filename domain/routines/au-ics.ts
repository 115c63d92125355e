import { addWorkingDays } from '../calendar/working-days.ts';
import { isLocalDate, type LocalDate } from '../calendar/local-date.ts';
import type { AuMeeting } from './types.ts';

/**
 * AU:s schema för sammanträden as an iCalendar file (what a municipality's calendar exports): the
 * day of each event's DTSTART is a meeting, and the tjänsteutlåtande is due a number of working
 * days before it. Pure: the caller reads the file.
 */
export function auMeetingsFromIcs(text: string, submissionWorkingDaysBefore: number): { meetings: AuMeeting[]; problems: string[] } {
  // RFC 5545 folds long lines: a line starting with a space or tab continues the previous one.
  const lines = text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const meetings: AuMeeting[] = [];
  const problems: string[] = [];
  let inEvent = false;
  let start: LocalDate | undefined;
  for (const [i, line] of lines.entries()) {
    if (line === 'BEGIN:VEVENT') {
      inEvent = true;
      start = undefined;
    } else if (line === 'END:VEVENT') {
      if (start) meetings.push({ date: start, submissionDeadline: addWorkingDays(start, -submissionWorkingDaysBefore) });
      else problems.push(`rad ${i + 1}: ett sammanträde (VEVENT) saknar DTSTART`);
      inEvent = false;
    } else if (inEvent && /^DTSTART[;:]/.test(line)) {
      const value = /:(\d{4})(\d{2})(\d{2})/.exec(line);
      const date = value ? `${value[1]}-${value[2]}-${value[3]}` : '';
      if (isLocalDate(date)) start = date;
      else problems.push(`rad ${i + 1}: DTSTART är inget datum`);
    }
  }
  meetings.sort((a, b) => a.date.localeCompare(b.date));
  return { meetings, problems };
}
