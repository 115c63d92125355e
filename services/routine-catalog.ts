import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalDate } from '../domain/calendar/local-date.ts';
import { auMeetingsFromIcs } from '../domain/routines/au-ics.ts';
import { checkRoutine, type CheckOptions, type RoutineProblem } from '../domain/routines/check.ts';
import { catalogOf, type RoutineCatalog } from '../domain/routines/registry.ts';
import { parseRoutineDefinition } from '../domain/routines/schema.ts';
import type { RoutineDefinition } from '../domain/routines/types.ts';
import { checkMailCatalogue, MAIL_FACT_LABELS, PRICE_FACTS, ROUTINE_MAIL_TEMPLATES } from './routine-mail.ts';

/** The routines shipped with Boendelotsen; ROUTINES_DIR points elsewhere for a municipality's own. */
export const DEFAULT_ROUTINES_DIR = new URL('../routines/', import.meta.url).pathname;

const MAX_FILE_BYTES = 1024 * 1024;
const SCHEMA_FILE = 'routine.schema.json';

export type RoutineFileProblem = { file: string; step?: string; message: string; severity: 'error' | 'warning' };

export type LoadedRoutines =
  | { ok: true; catalog: RoutineCatalog; warnings: RoutineFileProblem[] }
  | { ok: false; problems: RoutineFileProblem[] };

/** "ramavtal-bb.json, steg avtal_uppf: …" — what an operator reads to find the fault. */
export function formatRoutineProblem(p: RoutineFileProblem): string {
  return `${p.severity === 'warning' ? 'varning: ' : ''}${p.file}${p.step ? `, steg ${p.step}` : ''}: ${p.message}`;
}

function checkOptions(ids: ReadonlySet<string>, today: LocalDate): CheckOptions {
  const mailTemplates = new Map(Object.entries(ROUTINE_MAIL_TEMPLATES).map(([k, v]) => [k, { priceFree: v.priceFree === true }]));
  return { mailTemplates, mailFacts: new Set(Object.keys(MAIL_FACT_LABELS)), priceFacts: PRICE_FACTS, routineIds: ids, today };
}

/**
 * Reads every routine file in the folder (`ID.json` is the current version; earlier versions stay
 * as files of their own, e.g. `ID.v1.json`, so running cases keep them), through the schema and
 * then the meaning checks. Any error refuses the whole folder: no case ever sees a half-checked
 * routine.
 */
export async function loadRoutineCatalog(dir: string, today: LocalDate): Promise<LoadedRoutines> {
  const problems: RoutineFileProblem[] = [];
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json') && n !== SCHEMA_FILE).sort();
  } catch (error) {
    return { ok: false, problems: [{ file: dir, message: `mappen kan inte läsas (${error instanceof Error ? error.message : String(error)})`, severity: 'error' }] };
  }
  if (names.length === 0) return { ok: false, problems: [{ file: dir, message: 'mappen har inga rutinfiler (*.json)', severity: 'error' }] };
  const loaded: Array<{ file: string; routine: RoutineDefinition }> = [];
  for (const file of names) {
    const routine = await readRoutineFile(dir, file, problems);
    if (routine) loaded.push({ file, routine });
  }
  const seen = new Map<string, string>();
  for (const { file, routine } of loaded) {
    const key = `${routine.id} version ${routine.version}`;
    const other = seen.get(key);
    if (other) problems.push({ file, message: `${key} finns redan i ${other}; en ändrad rutin ska få ett nytt versionsnummer`, severity: 'error' });
    seen.set(key, file);
  }
  // The catalogue the routines name templates from is checked with them: a bad placeholder stops the start too.
  for (const message of checkMailCatalogue()) problems.push({ file: 'e-postkatalogen (services/routine-mail.ts)', message, severity: 'error' });
  const options = checkOptions(new Set(loaded.map((l) => l.routine.id)), today);
  for (const { file, routine } of loaded) {
    for (const p of checkRoutine(routine, options)) problems.push(withFile(file, p));
  }
  if (problems.some((p) => p.severity === 'error')) return { ok: false, problems };
  return { ok: true, catalog: catalogOf(loaded.map((l) => l.routine)), warnings: problems };
}

function withFile(file: string, p: RoutineProblem): RoutineFileProblem {
  return p.step === undefined ? { file, message: p.message, severity: p.severity } : { file, step: p.step, message: p.message, severity: p.severity };
}

async function readRoutineFile(dir: string, file: string, problems: RoutineFileProblem[]): Promise<RoutineDefinition | undefined> {
  let value: unknown;
  try {
    const text = await readFile(join(dir, file), 'utf8');
    if (text.length > MAX_FILE_BYTES) {
      problems.push({ file, message: `filen är större än ${MAX_FILE_BYTES} byte`, severity: 'error' });
      return undefined;
    }
    value = JSON.parse(text);
  } catch (error) {
    problems.push({ file, message: `filen kan inte läsas som JSON (${error instanceof Error ? error.message : String(error)})`, severity: 'error' });
    return undefined;
  }
  const parsed = parseRoutineDefinition(value);
  if (!parsed.ok) {
    for (const p of parsed.problems) problems.push({ file, message: `${p.path}: ${p.message}`, severity: 'error' });
    return undefined;
  }
  return withAuCalendars(dir, file, parsed.routine, problems);
}

/**
 * A param naming an `.ics` file is the AU calendar kept by the municipality: it becomes the list of
 * meetings, each due `auSubmissionWorkingDays` working days before the meeting.
 */
async function withAuCalendars(dir: string, file: string, routine: RoutineDefinition, problems: RoutineFileProblem[]): Promise<RoutineDefinition | undefined> {
  const params = { ...routine.params };
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string' || !value.endsWith('.ics')) continue;
    const before = params['auSubmissionWorkingDays'];
    if (typeof before !== 'number') {
      problems.push({ file, message: `parametern ${name} är en .ics-fil; då behövs parametern auSubmissionWorkingDays (arbetsdagar före sammanträdet)`, severity: 'error' });
      return undefined;
    }
    let text: string;
    try {
      text = await readFile(join(dir, value), 'utf8');
    } catch {
      problems.push({ file, message: `parametern ${name}: AU-kalendern ${value} kan inte läsas`, severity: 'error' });
      return undefined;
    }
    const ics = auMeetingsFromIcs(text, before);
    for (const p of ics.problems) problems.push({ file, message: `${value}: ${p}`, severity: 'error' });
    params[name] = ics.meetings;
  }
  return { ...routine, params };
}

/** For the composition root and tools: the catalogue, or an error listing every problem. */
export async function loadRoutineCatalogOrThrow(dir: string, today: LocalDate): Promise<{ catalog: RoutineCatalog; warnings: string[] }> {
  const loaded = await loadRoutineCatalog(dir, today);
  if (!loaded.ok) throw new RoutineFilesError(dir, loaded.problems.map(formatRoutineProblem));
  return { catalog: loaded.catalog, warnings: loaded.warnings.map(formatRoutineProblem) };
}

export class RoutineFilesError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: string[],
  ) {
    super(`Rutinfilerna i ${dir} kan inte användas:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'RoutineFilesError';
  }
}
