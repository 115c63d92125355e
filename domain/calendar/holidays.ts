import { HOLIDAY_TABLE_FIRST_YEAR, HOLIDAY_TABLE_LAST_YEAR, HOLIDAY_TABLE_SE } from './holidays-se.generated.ts';
import { addDays, formatLocalDate, parseLocalDate, type LocalDate } from './local-date.ts';

/**
 * Swedish days off that are not weekends: the 'public' and 'bank' days of date-holidays (its
 * observances, such as Mors dag, are working days), read from a table generated from it
 * (`npm run generate:holidays`), so the app never loads the library and its data for every
 * country. Years outside the table follow today's law by rule. Midsommarafton, julafton and
 * nyårsafton are 'bank' in the library; DESIGN.md requires them to be days off, so they are added
 * by rule as well, in case a library update reclassifies them.
 */
const cache = new Map<number, ReadonlyMap<LocalDate, string>>();

function holidaysOfYear(year: number): ReadonlyMap<LocalDate, string> {
  const cached = cache.get(year);
  if (cached) return cached;
  const days = new Map<LocalDate, string>(
    year >= HOLIDAY_TABLE_FIRST_YEAR && year <= HOLIDAY_TABLE_LAST_YEAR ? fromTable(year) : swedishHolidaysByRule(year),
  );
  for (const [date, name] of requiredEves(year)) if (!days.has(date)) days.set(date, name);
  cache.set(year, days);
  return days;
}

function fromTable(year: number): Array<[LocalDate, string]> {
  const row = HOLIDAY_TABLE_SE[year - HOLIDAY_TABLE_FIRST_YEAR] ?? '';
  const pad = String(year).padStart(4, '0');
  return row.split('|').filter((e) => e !== '').map((e) => [`${pad}-${e.slice(0, 5)}`, e.slice(6)]);
}

/** The first day from `date` on that falls on weekday `dow` (0 = Sunday). */
function weekdayFrom(date: LocalDate, dow: number): LocalDate {
  const { year, month, day } = parseLocalDate(date);
  const shift = (dow - new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 7) % 7;
  return addDays(date, shift);
}

/** Easter Sunday of the Gregorian calendar (the anonymous algorithm). */
function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const h = (19 * a + b - Math.floor(b / 4) - Math.floor((b - Math.floor((b + 8) / 25) + 1) / 3) + 15) % 30;
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return formatLocalDate(year, month, day);
}

/**
 * The days off by the rules of lag (1989:253) om allmänna helgdagar as date-holidays applies them
 * (nationaldagen from 2005), for years the generated table does not hold.
 */
export function swedishHolidaysByRule(year: number): Array<[LocalDate, string]> {
  const y = (md: string): LocalDate => `${String(year).padStart(4, '0')}-${md}`;
  const easter = easterSunday(year);
  const days: Array<[LocalDate, string]> = [
    [y('01-01'), 'nyårsdagen'],
    [y('01-06'), 'trettondedag jul'],
    [addDays(easter, -2), 'långfredagen'],
    [easter, 'påskdagen'],
    [addDays(easter, 1), 'annandag påsk'],
    [y('05-01'), 'första maj'],
    [addDays(easter, 39), 'Kristi himmelsfärdsdag'],
    [addDays(easter, 49), 'pingstdagen'],
    ...(year >= 2005 ? [[y('06-06'), 'nationaldagen'] as [LocalDate, string]] : []),
    [weekdayFrom(y('06-19'), 5), 'midsommarafton'],
    [weekdayFrom(y('06-20'), 6), 'midsommardagen'],
    [weekdayFrom(y('10-31'), 6), 'alla helgons dag'],
    [y('12-24'), 'julafton'],
    [y('12-25'), 'juldagen'],
    [y('12-26'), 'annandag jul'],
    [y('12-31'), 'nyårsafton'],
  ];
  return days.sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0));
}

function requiredEves(year: number): Array<[LocalDate, string]> {
  // Midsommarafton is the Friday between 19 and 25 June.
  let midsommarafton = '';
  for (let day = 19; day <= 25; day++) {
    const date = `${year}-06-${day}`;
    if (new Date(Date.UTC(year, 5, day)).getUTCDay() === 5) midsommarafton = date;
  }
  return [
    [midsommarafton, 'midsommarafton'],
    [`${year}-12-24`, 'julafton'],
    [`${year}-12-31`, 'nyårsafton'],
  ];
}

/** The holiday's Swedish name, or undefined on an ordinary day (weekends are not holidays here). */
function swedishHolidayName(date: LocalDate): string | undefined {
  return holidaysOfYear(parseLocalDate(date).year).get(date);
}

export function isSwedishHoliday(date: LocalDate): boolean {
  return swedishHolidayName(date) !== undefined;
}
