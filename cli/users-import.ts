import { readFile } from 'node:fs/promises';
import { importPeople, readPeopleFile } from '../services/people-import.ts';
import type { CliCommand } from './types.ts';

/**
 * Loads the directory of staff from a CSV or JSON file. Every row is checked first; one bad row
 * and nothing is written, so the directory is never half-imported. Exit 0 on success, 2 when the
 * file has bad rows, 1 when it cannot be read.
 */
export const usersImportCommand: CliCommand = {
  words: ['users', 'import'],
  usage: 'users import FIL   (FIL: .csv eller .json)',
  summary: 'Läser in personalkatalogen: e-post, namn, roller, område, chef (chefens e-post), Entra-id',
  needsDb: true,
  run: async (args, { io, services }) => {
    const file = args[0];
    if (file === undefined || args.length > 1) {
      io.stderr(`Användning: boendelotsen ${usersImportCommand.usage}\n`);
      return 1;
    }
    const handle = services?.handle;
    if (!handle) throw new Error('users import needs the database handle');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      io.stderr(`Filen ${file} kunde inte läsas: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    const records = readPeopleFile(text, file);
    if (!Array.isArray(records)) {
      io.stderr(`Inget importerades: ${records.message}\n`);
      return 2;
    }
    const result = await importPeople(handle.db, records);
    if (!result.ok) {
      io.stderr(`Inget importerades. Rätta dessa rader och kör igen:\n`);
      for (const p of result.problems) io.stderr(`  rad ${p.line}: ${p.message}\n`);
      return 2;
    }
    io.stdout(`${result.imported} personer importerade.\n`);
    return 0;
  },
};
