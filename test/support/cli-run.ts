import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commandSpec } from '../../cli/index.ts';
import { loadConfig } from '../../config.ts';
import type { DbHandle } from '../../db/client.ts';
import { systemClock } from '../../lib/clock.ts';

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

/** Runs a CLI command (named by its words) as main.ts would on this database, collecting what it prints. */
export async function runCommand(words: string, args: string[], handle: DbHandle): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const spec = commandSpec(...words.split(' '));
  const command = await spec.load();
  const code = await command.run(args, {
    usage: spec.usage,
    io: { stdout: (t) => (out += t), stderr: (t) => (err += t) },
    services: { handle, config: loadConfig({}), clock: systemClock },
  });
  return { code, out, err };
}
