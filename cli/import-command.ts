import { readFile } from 'node:fs/promises';
import type { CliCommand, CliServices } from './types.ts';

export type ImportOutcome =
  | { ok: true; summary: string }
  /** Rows that failed their checks, by line: nothing was written. */
  | { ok: false; problems: Array<{ line: number | null; message: string }> };

/**
 * The shell every `X import FILE` command shares: one file argument, read it, let `load` check
 * every row and write all or nothing, then report. Exit 0 on success, 2 when the file has bad
 * rows, 1 when it cannot be read.
 */
export function importCommand(spec: {
  load: (text: string, file: string, services: CliServices) => Promise<ImportOutcome>;
}): CliCommand {
  const command: CliCommand = {
    run: async (args, { io, services, usage }) => {
      const file = args[0];
      if (file === undefined || args.length > 1) {
        io.stderr(`Användning: boendelotsen ${usage}\n`);
        return 1;
      }
      if (!services) throw new Error(`${usage}: needs the database`);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        io.stderr(`Filen ${file} kunde inte läsas: ${err instanceof Error ? err.message : String(err)}\n`);
        return 1;
      }
      const outcome = await spec.load(text, file, services);
      if (!outcome.ok) {
        io.stderr('Inget importerades. Rätta dessa rader och kör igen:\n');
        for (const p of outcome.problems) io.stderr(p.line === null ? `  ${p.message}\n` : `  rad ${p.line}: ${p.message}\n`);
        return 2;
      }
      io.stdout(`${outcome.summary}\n`);
      return 0;
    },
  };
  return command;
}
