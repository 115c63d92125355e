import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

// config.ts's reader of the environment, apart so that a command needing only the routine folder
// does not load the settings' schema (zod) to find it. config.ts re-exports both functions.

export type Env = Record<string, string | undefined>;

/**
 * The process environment with an optional `.env` file under it (the real environment wins).
 * The only place that touches process.env.
 */
export function readEnvironment(): Env {
  const fromFile = existsSync('.env') ? parseEnv(readFileSync('.env', 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

/** The routine folder alone (ROUTINES_DIR), for commands that need no other setting. */
export function readRoutinesDirSetting(): string | undefined {
  const value = readEnvironment().ROUTINES_DIR?.trim();
  return value ? value : undefined;
}
