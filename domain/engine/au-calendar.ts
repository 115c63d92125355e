import { compareDates, isLocalDate, type LocalDate } from '../calendar/local-date.ts';
import type { AuMeeting } from '../routines/types.ts';
import type { Ctx } from './context.ts';

/**
 * Routine 2: "tjänsteutlåtande för inlämning till AU (se AU:s schema för sammanträden)". The due
 * day is the submission deadline of the next AU meeting whose deadline has not passed. The
 * municipality's AU calendar is a param of the definition; null when it holds no future meeting.
 */
export function auSubmissionDeadline(ctx: Ctx, meetingsParam: string): LocalDate | null {
  const meetings = ctx.def.params[meetingsParam];
  if (!Array.isArray(meetings)) return null;
  const next = nextAuMeeting(meetings, ctx.today);
  return next ? next.submissionDeadline : null;
}

export function nextAuMeeting(meetings: readonly AuMeeting[], today: LocalDate): AuMeeting | undefined {
  return meetings
    .filter((m) => isLocalDate(m.submissionDeadline) && compareDates(m.submissionDeadline, today) >= 0)
    .sort((a, b) => compareDates(a.submissionDeadline, b.submissionDeadline))[0];
}
