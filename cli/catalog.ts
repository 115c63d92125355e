import type { LocalDate } from '../domain/calendar/local-date.ts';
import type { RoutineCatalog } from '../domain/routines/registry.ts';
import type { CliContext } from './types.ts';

export type CatalogOutcome = { ok: true; catalog: RoutineCatalog } | { ok: false; message: string };

/**
 * The one way a command reads the routine files: `dir`, else ROUTINES_DIR, else the shipped
 * folder, through the same checks as the service's start. `today` picks the versions in force
 * (the service clock for commands that have one). The modules load here, so commands that never
 * read routines stay fast.
 */
export async function readCatalog(routinesDir: string | undefined, opts: { today?: LocalDate; dir?: string } = {}): Promise<CatalogOutcome> {
  const { DEFAULT_ROUTINES_DIR, loadRoutineCatalog, formatRoutineProblem } = await import('../services/routine-catalog.ts');
  const { stockholmDate } = await import('../domain/calendar/stockholm.ts');
  const folder = opts.dir ?? routinesDir ?? DEFAULT_ROUTINES_DIR;
  const loaded = await loadRoutineCatalog(folder, opts.today ?? stockholmDate(new Date()));
  if (loaded.ok) return { ok: true, catalog: loaded.catalog };
  return { ok: false, message: `Rutinfilerna i ${folder} kan inte användas:\n${loaded.problems.map((p) => `  ${formatRoutineProblem(p)}`).join('\n')}` };
}

/** readCatalog for a command: its problems go to stderr, and the command returns undefined's exit code. */
export async function loadCatalog(ctx: Pick<CliContext, 'io' | 'routinesDir'>, opts: { today?: LocalDate; dir?: string } = {}): Promise<RoutineCatalog | undefined> {
  const loaded = await readCatalog(ctx.routinesDir, opts);
  if (loaded.ok) return loaded.catalog;
  ctx.io.stderr(`${loaded.message}\n`);
  return undefined;
}
