import type { LocalDate } from '../domain/calendar/local-date.ts';
import type { RoutineCatalog } from '../domain/routines/registry.ts';
import type { CliContext } from './types.ts';

/** The routines shipped with Boendelotsen (as services/routine-catalog.ts names them, without loading it). */
export const DEFAULT_ROUTINES_DIR = new URL('../routines/', import.meta.url).pathname;

export type CatalogOutcome =
  | { ok: true; catalog: RoutineCatalog; warnings: readonly string[] }
  | { ok: false; message: string; problems: string[]; folder: string };

/**
 * The one way the service's start and a command read the routine files: `dir`, else ROUTINES_DIR,
 * else the shipped folder, through the load checks. `today` picks the versions in force
 * (the service clock for commands that have one). The modules load here, so commands that never
 * read routines stay fast. A folder that passed the checks in this build and is unchanged since is
 * read from the build's record of it (cli/routine-check-cache.ts; `cacheHome`: where that lives,
 * dist/ by default), without loading the checks.
 */
export async function readCatalog(routinesDir: string | undefined, opts: { today?: LocalDate; dir?: string; cacheHome?: string } = {}): Promise<CatalogOutcome> {
  const folder = opts.dir ?? routinesDir ?? DEFAULT_ROUTINES_DIR;
  const today = opts.today ?? (await import('../domain/calendar/stockholm.ts')).stockholmDate(new Date());
  // A folder that passed the check unchanged, in this build, today: its checked routines as stored.
  const cache = await import('./routine-check-cache.ts');
  const home = opts.cacheHome ?? cache.BUILD_DIR;
  const key = cache.routineFolderKey(folder, today, home);
  const stored = key === undefined ? undefined : cache.readCheckedRoutines(key, home);
  if (stored) return { ok: true, catalog: (await import('../domain/routines/registry.ts')).catalogOf(stored.routines), warnings: stored.warnings };
  const { loadRoutineCatalog, formatRoutineProblem } = await import('../services/routine-catalog.ts');
  const loaded = await loadRoutineCatalog(folder, today);
  if (loaded.ok) {
    const warnings = loaded.warnings.map(formatRoutineProblem);
    if (key !== undefined) cache.storeCheckedRoutines(key, { routines: loaded.catalog.all, warnings }, home);
    return { ok: true, catalog: loaded.catalog, warnings };
  }
  const problems = loaded.problems.map(formatRoutineProblem);
  return { ok: false, folder, problems, message: `Rutinfilerna i ${folder} kan inte användas:\n${problems.map((p) => `  ${p}`).join('\n')}` };
}

/** readCatalog for a command: its problems go to stderr, and the command returns undefined's exit code. */
export async function loadCatalog(ctx: Pick<CliContext, 'io' | 'routinesDir'>, opts: { today?: LocalDate; dir?: string } = {}): Promise<RoutineCatalog | undefined> {
  const loaded = await readCatalog(ctx.routinesDir, opts);
  if (loaded.ok) return loaded.catalog;
  ctx.io.stderr(`${loaded.message}\n`);
  return undefined;
}
