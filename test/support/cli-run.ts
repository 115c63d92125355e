import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commandSpec } from '../../cli/index.ts';
import { loadConfig } from '../../config.ts';
import type { DbHandle } from '../../db/client.ts';
import { systemClock, type Clock } from '../../lib/clock.ts';
import type { PnrCrypto } from '../../lib/pnr-crypto.ts';

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
export async function runCommand(
  words: string,
  args: string[],
  handle: DbHandle,
  opts: { env?: Record<string, string>; crypto?: PnrCrypto; clock?: Clock } = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const spec = commandSpec(...words.split(' '));
  const command = await spec.load();
  const code = await command.run(args, {
    usage: spec.usage,
    io: { stdout: (t) => (out += t), stderr: (t) => (err += t) },
    services: { handle, config: loadConfig(opts.env ?? {}), clock: opts.clock ?? systemClock, actor: 'cli:test', ...(opts.crypto ? { crypto: opts.crypto } : {}) },
  });
  return { code, out, err };
}
