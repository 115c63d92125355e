import { importPeople, readPeopleFile } from '../services/people-import.ts';
import { importCommand } from './import-command.ts';

/**
 * Loads the directory of staff from a CSV or JSON file. Every row is checked first; one bad row
 * and nothing is written, so the directory is never half-imported. Exit 0 on success, 2 when the
 * file has bad rows, 1 when it cannot be read.
 */
export const usersImportCommand = importCommand({
  words: ['users', 'import'],
  usage: 'users import FIL   (FIL: .csv eller .json)',
  summary: 'Läser in personalkatalogen: e-post, namn, roller, område, chef (chefens e-post), Entra-id',
  load: async (text, file, services) => {
    const records = readPeopleFile(text, file);
    if (!Array.isArray(records)) return { ok: false, problems: [{ line: null, message: records.message }] };
    // Production takes Entra GUIDs only; elsewhere also the ids the Agents Playground sends.
    const result = await importPeople(services.handle.db, records, { allowNonGuidIds: services.config.nodeEnv !== 'production' });
    if (!result.ok) return { ok: false, problems: result.problems };
    return { ok: true, summary: `${result.imported} personer importerade.` };
  },
});
