import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalDate } from '../domain/calendar/local-date.ts';
import type { RoutineDefinition } from '../domain/routines/types.ts';

/**
 * The routines of a folder that passed the whole load check (schema and meaning checks), with the
 * check's warnings, kept in dist/ so the next command or start need not run the checks again: they
 * cost more than the rest of a command's start. The checks are pure (domain/ has no clock or
 * environment), so the same inputs give the same result. An entry is found by a hash of everything the check read or depends on: the
 * build (dist/.build-stamp, a digest of the sources, changes with the checks' code), the folder, the
 * day, the name and bytes of every file in the folder and every AU calendar a routine names. A
 * changed, added or removed byte gives another key, and the folder is checked in full again; a
 * folder that fails is never stored. Running from the TypeScript sources (no build stamp) there is
 * no cache at all.
 */

/** dist/ when running the build (this file is dist/cli/routine-check-cache.js). */
export const BUILD_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const stampOf = (home: string): string => path.join(home, '.build-stamp');
const cacheDirOf = (home: string): string => path.join(home, '.routine-check');
const FORMAT = 'routine-check v2';
const MAX_ENTRIES = 8;

type Entry = { format: string; key: string; routines: readonly RoutineDefinition[]; warnings: readonly string[] };

/** What a passed check gave: the routines and its warnings (formatted). */
export type CheckedRoutines = { routines: readonly RoutineDefinition[]; warnings: readonly string[] };

/** AU calendars (.ics) a routine file names in its params: the load check reads them too. */
function icsFilesNamedIn(bytes: Buffer): string[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const params = (value as { params?: unknown } | null)?.params;
  if (typeof params !== 'object' || params === null) return [];
  return Object.values(params).filter((v): v is string => typeof v === 'string' && v.endsWith('.ics'));
}

/** The key of a folder's contents for this build and day; undefined when there is no cache to use. */
export function routineFolderKey(dir: string, today: LocalDate, home = BUILD_DIR): string | undefined {
  try {
    const hash = createHash('sha256').update(`${FORMAT}\0${readFileSync(stampOf(home), 'utf8')}\0${path.resolve(dir)}\0${today}\0`);
    const add = (label: string, bytes: Buffer): void => {
      hash.update(`${label}\0${bytes.length}\0`).update(bytes);
    };
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (!statSync(file).isFile()) {
        hash.update(`dir\0${name}\0`);
        continue;
      }
      const bytes = readFileSync(file);
      add(`file\0${name}`, bytes);
      if (!name.endsWith('.json')) continue;
      const calendars = icsFilesNamedIn(bytes);
      // A file that is not JSON fails the check: nothing to store, nothing to find.
      if (calendars === undefined) return undefined;
      for (const ics of calendars) add(`ics\0${name}\0${ics}`, readFileSync(path.join(dir, ics)));
    }
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}

/** The routines and warnings stored under the key, or undefined. */
export function readCheckedRoutines(key: string, home = BUILD_DIR): CheckedRoutines | undefined {
  try {
    const entry = JSON.parse(readFileSync(path.join(cacheDirOf(home), `${key}.json`), 'utf8')) as Entry;
    const routines: unknown = entry.routines;
    const warnings: unknown = entry.warnings;
    if (entry.format !== FORMAT || entry.key !== key || !Array.isArray(routines) || !Array.isArray(warnings)) return undefined;
    return { routines: routines as readonly RoutineDefinition[], warnings: warnings.filter((w): w is string => typeof w === 'string') };
  } catch {
    return undefined;
  }
}

/** Stores routines that passed the check; a dist/ that cannot be written just means no cache. */
export function storeCheckedRoutines(key: string, checked: CheckedRoutines, home = BUILD_DIR): void {
  const dir = cacheDirOf(home);
  try {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${key}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: FORMAT, key, ...checked } satisfies Entry));
    renameSync(tmp, file);
    const others = readdirSync(dir).filter((n) => n !== `${key}.json`)
      .map((n) => ({ n, at: statSync(path.join(dir, n)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const { n } of others.slice(MAX_ENTRIES - 1)) rmSync(path.join(dir, n), { force: true });
  } catch {
    // read-only installation: every command checks the folder in full
  }
}
