import type { Db } from '../db/client.ts';
import { directReports, searchPeopleByRole, type PersonRow } from '../db/people.ts';
import { areasOf, inAreas } from '../domain/areas.ts';
import { isRoleId, MAIL_ONLY_ROLES, type RoleId } from '../domain/roles.ts';

export type PickerResult = { title: string; value: string };

/** What a picker may ask for: people holding a role (in an area), or substitutes for the asker. */
export type PickerQuery = { dataset: string; text: string; skip: number; count: number };

const MAX_TEXT = 100;
const MAX_RESULTS = 25;
/** Rows read before the area filter; a generous multiple of what one page shows. */
const SCAN = 200;

/**
 * The people picker's search, from the bot's own directory: `people.ROLE[.AREA]` gives people
 * holding ROLE in AREA (or in any of the asker's areas), `people.substitute` people holding one
 * of the asker's roles, or of the roles of the asker's staff (a manager names substitutes for
 * them), in one of the asker's areas. Never anyone outside the asker's areas: the
 * picker is not a way to browse the whole directory. Values are e-mail addresses.
 */
export async function searchPeople(db: Db, asker: PersonRow, query: PickerQuery): Promise<PickerResult[]> {
  const text = query.text.trim().slice(0, MAX_TEXT);
  const count = Math.max(1, Math.min(MAX_RESULTS, query.count));
  const skip = Math.max(0, Math.min(SCAN, query.skip));
  const askerAreas = areasOf(asker.area);
  const [prefix, what, ...rest] = query.dataset.slice(0, 200).split('.');
  if (prefix !== 'people' || !what) return [];
  const roles: RoleId[] =
    what === 'substitute'
      ? [...new Set([...asker.roles, ...(await directReports(db, asker.id)).flatMap((p) => p.roles)])].filter(isRoleId)
      : isRoleId(what)
        ? [what]
        : [];
  const area = rest.join('.');
  const areas = area ? askerAreas.filter((a) => inAreas(area, [a])) : askerAreas;
  const found = new Map<string, PersonRow>();
  for (const role of roles) {
    for (const p of await searchPeopleByRole(db, { role, text, limit: SCAN })) {
      // A functional mailbox or a provider serves every area.
      if (MAIL_ONLY_ROLES.includes(role) || areasOf(p.area).some((a) => inAreas(a, areas))) found.set(p.id, p);
    }
  }
  if (what === 'substitute') found.delete(asker.id);
  return [...found.values()]
    .sort((a, b) => a.name.localeCompare(b.name, 'sv'))
    .slice(skip, skip + count)
    .map((p) => ({ title: `${p.name} (${p.email})`, value: p.email }));
}

/** How many people a picker lists before anyone types: Teams shows at most 15 at a time. */
const PICKER_FIRST_PAGE = 15;

/** The first page of each dataset (no search text), for a picker's static choices. */
export async function pickerChoices(db: Db, asker: PersonRow, datasets: readonly string[]): Promise<Map<string, PickerResult[]>> {
  const out = new Map<string, PickerResult[]>();
  for (const dataset of new Set(datasets)) out.set(dataset, await searchPeople(db, asker, { dataset, text: '', skip: 0, count: PICKER_FIRST_PAGE }));
  return out;
}
