import { readFile } from 'node:fs/promises';
import { importProviders } from '../services/providers.ts';
import { readProvidersFile } from '../services/providers-file.ts';
import type { CliCommand } from './types.ts';

/**
 * Loads the provider register (LOV boendestöd, ramavtal) from CSV or JSON. Every row is checked
 * first; one bad row and nothing is written. The file's order is the ickeval rotation's order.
 * Exit 0 on success, 2 when the file has bad rows, 1 when it cannot be read.
 */
export const providersImportCommand: CliCommand = {
  words: ['providers', 'import'],
  usage: 'providers import FIL   (FIL: .csv eller .json)',
  summary: 'Läser in leverantörsregistret: id, namn, tjänster, e-post, maildomän, tar emot nya, aktiv',
  needsDb: true,
  run: async (args, { io, services }) => {
    const file = args[0];
    if (file === undefined || args.length > 1) {
      io.stderr(`Användning: boendelotsen ${providersImportCommand.usage}\n`);
      return 1;
    }
    if (!services) throw new Error('providers import needs the database handle');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      io.stderr(`Filen ${file} kunde inte läsas: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    const read = readProvidersFile(text, file);
    if (!read.ok) {
      io.stderr('Inget importerades. Rätta dessa rader och kör igen:\n');
      for (const p of read.problems) io.stderr(`  rad ${p.line}: ${p.message}\n`);
      return 2;
    }
    const result = await importProviders(services.handle.db, read.providers, 'cli:providers-import', services.clock.now());
    io.stdout(`${result.imported} leverantörer importerade.\n`);
    return 0;
  },
};
