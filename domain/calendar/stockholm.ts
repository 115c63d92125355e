import { formatLocalDate, isLocalDate, parseLocalDate, type LocalDate } from './local-date.ts';

/** All local dates and times of the service are Stockholm's, whatever the server's zone. */
const TIME_ZONE = 'Europe/Stockholm';

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export type StockholmParts = { date: LocalDate; hour: number; minute: number; second: number };

export function stockholmParts(instant: Date): StockholmParts {
  const offset = offsetWithinHour(instant);
  if (offset === undefined) return formattedParts(instant);
  const wall = new Date(Math.floor(instant.getTime() / 1000) * 1000 + offset);
  return {
    date: formatLocalDate(wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate()),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

function formattedParts(instant: Date): StockholmParts {
  const parts: Record<string, number> = {};
  for (const p of formatter.formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const n = (k: string): number => parts[k] ?? 0;
  return { date: formatLocalDate(n('year'), n('month'), n('day')), hour: n('hour'), minute: n('minute'), second: n('second') };
}

const HOUR_MS = 3_600_000;
/** Stockholm's offset (ms) through each UTC hour asked about; undefined: it changes inside that hour. */
const offsetByHour = new Map<number, number | undefined>();
/** Requests ask about today and a few deadlines; the rare wide sweep starts the memo over. */
const MAX_HOURS_KEPT = 512;

/**
 * Stockholm's offset from UTC in the instant's UTC hour. The zone's clock changes at 01:00 UTC,
 * on the hour, so one reading through the time zone data (formatToParts is slow) serves every
 * instant of the hour; an hour whose first and last second disagree gets none, and each instant
 * in it is formatted. A date is asked for many times per request.
 */
function offsetWithinHour(instant: Date): number | undefined {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) return undefined;
  const hour = Math.floor(ms / HOUR_MS);
  if (offsetByHour.has(hour)) return offsetByHour.get(hour);
  const first = wallOffset(new Date(hour * HOUR_MS));
  const last = wallOffset(new Date((hour + 1) * HOUR_MS - 1000));
  const offset = first === last ? first : undefined;
  if (offsetByHour.size >= MAX_HOURS_KEPT) offsetByHour.clear();
  offsetByHour.set(hour, offset);
  return offset;
}

/** Wall-clock time minus UTC at a whole second, in ms. */
function wallOffset(second: Date): number {
  const p = formattedParts(second);
  const { year, month, day } = parseLocalDate(p.date);
  return Date.UTC(year, month - 1, day, p.hour, p.minute, p.second) - second.getTime();
}

/** The Stockholm calendar date of an instant (23:30 UTC on 31 Dec is already 1 Jan in Stockholm). */
export function stockholmDate(instant: Date): LocalDate {
  return stockholmParts(instant).date;
}

/** Minutes Stockholm is ahead of UTC at that instant (60 in winter, 120 in summer). */
function stockholmOffsetMinutes(instant: Date): number {
  const p = stockholmParts(instant);
  const { year, month, day } = parseLocalDate(p.date);
  const asUtc = Date.UTC(year, month - 1, day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant a Stockholm wall-clock time occurs on a date (DST changes happen at 02:00–03:00). */
export function stockholmInstant(date: LocalDate, hour = 0, minute = 0): Date {
  const { year, month, day } = parseLocalDate(date);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const guess = new Date(wall - stockholmOffsetMinutes(new Date(wall)) * 60_000);
  return new Date(wall - stockholmOffsetMinutes(guess) * 60_000);
}


/** "2027-03-01 08:00" (or 2027-03-01T08:00, or a date alone: midnight) as Stockholm wall-clock time. */
export function parseStockholmLocal(text: string): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(text.trim());
  if (!m?.[1] || !isLocalDate(m[1])) return undefined;
  const hour = Number(m[2] ?? 0);
  const minute = Number(m[3] ?? 0);
  return hour <= 23 && minute <= 59 ? stockholmInstant(m[1], hour, minute) : undefined;
}
