import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CliCommand } from '../../cli/types.ts';
import { loadConfig } from '../../config.ts';
import type { DbHandle } from '../../db/client.ts';
import { systemClock, type Clock } from '../../lib/clock.ts';

/** A temporary folder to write input files for a command into. */
export function tempFiles(prefix: string): { file: (name: string, text: string) => string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return {
    dir,
    file: (name, text) => {
      const p = path.join(dir, name);
      writeFileSync(p, text);
      return p;
    },
  };
}

/** Runs a CLI command as main.ts would, collecting what it prints. */
export async function runCommand(
  command: CliCommand,
  args: string[],
  handle: DbHandle,
  opts: { env?: Record<string, string>; clock?: Clock } = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await command.run(args, {
    io: { stdout: (t) => (out += t), stderr: (t) => (err += t) },
    services: { handle, config: loadConfig(opts.env ?? {}), clock: opts.clock ?? systemClock },
  });
  return { code, out, err };
}
