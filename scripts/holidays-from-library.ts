import Holidays from 'date-holidays';

const se = new Holidays('SE');

/**
 * The Swedish days off of one year as date-holidays gives them: types 'public' and 'bank' (its
 * default list also holds observances such as Mors dag, which are working days), in date order.
 * The source of the generated table and what its test compares against.
 */
export function swedishHolidaysFromLibrary(year: number): Array<[string, string]> {
  return se.getHolidays(year)
    .filter((h) => h.type === 'public' || h.type === 'bank')
    .map((h): [string, string] => [h.date.slice(0, 10), h.name]);
}
