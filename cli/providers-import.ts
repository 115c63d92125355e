import { importProviders } from '../services/providers.ts';
import { readProvidersFile } from '../services/providers-file.ts';
import { importCommand } from './import-command.ts';

/**
 * Loads the provider register (LOV boendestöd, ramavtal) from CSV or JSON. Every row is checked
 * first; one bad row and nothing is written. The file's order is the ickeval rotation's order.
 * Exit 0 on success, 2 when the file has bad rows, 1 when it cannot be read.
 */
export const providersImportCommand = importCommand({
  load: async (text, file, services) => {
    const read = readProvidersFile(text, file);
    if (!read.ok) return { ok: false, problems: read.problems };
    const result = await importProviders(services.handle.db, read.providers, 'cli:providers-import', services.clock.now());
    return { ok: true, summary: `${result.imported} leverantörer importerade.` };
  },
});
