import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { describeFallback } from '../domain/reminders/escalation.ts';
import { importPeople, readPeopleFile, type Unmanaged } from '../services/people-import.ts';
import { readCatalog } from './catalog.ts';
import { importCommand } from './import-command.ts';

/**
 * Loads the directory of staff from a CSV or JSON file. Every row is checked first; one bad row
 * and nothing is written, so the directory is never half-imported. Exit 0 on success, 2 when the
 * file has bad rows, 1 when it cannot be read.
 */
export const usersImportCommand = importCommand({
  load: async (text, file, services) => {
    const records = readPeopleFile(text, file);
    if (!Array.isArray(records)) return { ok: false, problems: [{ line: null, message: records.message }] };
    // Production takes Entra GUIDs only; elsewhere also the ids the Agents Playground sends.
    const loaded = await readCatalog(services.config.routinesDir, { today: stockholmDate(services.clock.now()) });
    if (!loaded.ok) return { ok: false, problems: [{ line: null, message: loaded.message }] };
    const result = await importPeople(services.handle.db, records, loaded.catalog.latest, { allowNonGuidIds: services.config.nodeEnv !== 'production' });
    if (!result.ok) return { ok: false, problems: result.problems };
    const warning = unmanagedWarning(result.unmanaged, describeFallback(services.config.reminders.escalationFallback));
    return { ok: true, summary: `${result.imported} personer importerade.${warning}` };
  },
});

/** Each person whose escalations cannot go to a manager, and where they go instead. */
function unmanagedWarning(unmanaged: Unmanaged[], fallback: string): string {
  if (unmanaged.length === 0) return '';
  const who = unmanaged.map((p) => `  - ${p.email} (${p.name}; ${p.roles.join(', ')})`);
  const count = unmanaged.length === 1 ? '1 person' : `${unmanaged.length} personer`;
  return ['', `Varning: ${count} har en roll med tidsfrister men ingen chef. Deras eskaleringar går till ESCALATION_FALLBACK (${fallback}); ange chef i filen om de ska gå till en chef:`, ...who].join('\n');
}
