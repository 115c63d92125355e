import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RoutineCatalog } from '../../domain/routines/registry.ts';
import { DEFAULT_ROUTINES_DIR, loadRoutineCatalogOrThrow } from '../../services/routine-catalog.ts';

/** The five shipped routines, read and checked the way the service reads them at start. */
export const shippedRoutines: RoutineCatalog = (await loadRoutineCatalogOrThrow(DEFAULT_ROUTINES_DIR, '2026-12-01')).catalog;

/**
 * The shipped routines with step ids renamed (file → [[old, new], …]) everywhere the files name
 * them: what a municipality does when it rewrites its own routine.
 */
export async function routinesWithRenamedSteps(renames: Record<string, Array<[string, string]>>): Promise<RoutineCatalog> {
  const dir = mkdtempSync(path.join(tmpdir(), 'routines-renamed-'));
  cpSync(DEFAULT_ROUTINES_DIR, dir, { recursive: true });
  for (const [file, pairs] of Object.entries(renames)) {
    let text = readFileSync(path.join(dir, file), 'utf8');
    for (const [from, to] of pairs) text = text.replaceAll(`"${from}"`, `"${to}"`);
    writeFileSync(path.join(dir, file), text);
  }
  return (await loadRoutineCatalogOrThrow(dir, '2026-12-01')).catalog;
}
