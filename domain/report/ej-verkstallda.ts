import { addMonths, daysBetween, type LocalDate } from '../calendar/local-date.ts';
import type { Quarter } from './quarter.ts';

/**
 * Ej verkställda beslut (LSS 28 f–g §, and the same duty under the socialtjänstlag): a gynnande
 * beslut not carried out within three months of the decision, or an interrupted one not resumed
 * within three months of the interruption, is reported to IVO each quarter until it is carried
 * out (the quarter it is carried out, with that date) or ended. "Three months" is counted as lag
 * (1930:173) counts months: the same day number, or the month's last day.
 */
export type DecisionTrack = {
  /** 'beslut': from the decision; 'avbrott': from an interruption of one already carried out. */
  kind: 'beslut' | 'avbrott';
  /** The decision date, or the day the execution was interrupted. */
  from: LocalDate;
  /** The day it was carried out (move-in, placement start), or resumed; null while it is not. */
  doneOn: LocalDate | null;
  /** A decision ended without being carried out (the case closed, the queue entry ended). */
  endedOn: LocalDate | null;
};

const REPORT_AFTER_MONTHS = 3;
/** Heads-up on the tab and in the digest from this many months without execution. */
const APPROACHING_AFTER_MONTHS = 2;

/** The last day on which carrying out the decision is still in time. */
export function lastDayInTime(from: LocalDate): LocalDate {
  return addMonths(from, REPORT_AFTER_MONTHS);
}

/**
 * Whether the decision belongs in the quarter's report: three months had passed without it being
 * carried out by the quarter's last day, and it was still pending when the quarter began (one
 * carried out or ended earlier was reported in an earlier quarter and is done with).
 */
export function reportableIn(track: DecisionTrack, q: Quarter): boolean {
  const last = lastDayInTime(track.from);
  if (last >= q.to) return false;
  if (track.doneOn !== null && track.doneOn <= last) return false;
  if (track.doneOn !== null && track.doneOn < q.from) return false;
  if (track.endedOn !== null && track.endedOn < q.from) return false;
  if (track.endedOn !== null && track.endedOn <= last && track.doneOn === null) return false;
  return true;
}

/** Days the person has waited: to the day it was carried out, else to `until`. */
export function daysWaited(track: DecisionTrack, until: LocalDate): number {
  const end = track.doneOn !== null && track.doneOn <= until ? track.doneOn : until;
  return Math.max(0, daysBetween(track.from, end));
}

/** Not carried out, not ended, and at least two months old but still within three: act now. */
export function approachingOn(track: DecisionTrack, today: LocalDate): { lastDay: LocalDate; daysLeft: number } | undefined {
  if (track.doneOn !== null || track.endedOn !== null) return undefined;
  const last = lastDayInTime(track.from);
  if (today < addMonths(track.from, APPROACHING_AFTER_MONTHS) || today > last) return undefined;
  return { lastDay: last, daysLeft: daysBetween(today, last) };
}

/** Waiting-time bands for the nämnd's summary (no person can be told apart in them). */
export const WAIT_BANDS = [
  { label: '3–6 månader', maxMonths: 6 },
  { label: '6–12 månader', maxMonths: 12 },
  { label: 'mer än 12 månader', maxMonths: Infinity },
] as const;

export function waitBand(track: DecisionTrack, until: LocalDate): string {
  const end = track.doneOn !== null && track.doneOn <= until ? track.doneOn : until;
  const band = WAIT_BANDS.find((b) => b.maxMonths === Infinity || end <= addMonths(track.from, b.maxMonths));
  return (band ?? WAIT_BANDS[2]).label;
}
