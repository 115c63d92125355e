import { writeFile } from 'node:fs/promises';
import { renderBbCopyPdf } from '../mail/bb-copy-pdf.ts';
import { ExtractError } from '../mail/extract/limits.ts';
import { readBehovsbedomningFromFile } from '../mail/read-behovsbedomning.ts';
import type { CliCommand } from './types.ts';

/** Writes the copy without price for the case system. Exit codes as parse-bb. */
export const bbCopyCommand: CliCommand = {
  run: async (args, { io, usage }) => {
    const [file, out] = args;
    if (file === undefined || out === undefined || args.length > 2) {
      io.stderr(`Användning: boendelotsen ${usage}\n`);
      return 1;
    }
    try {
      const { result } = await readBehovsbedomningFromFile(file);
      if (!result.ok) {
        io.stderr(`${result.message}\n`);
        return 2;
      }
      await writeFile(out, await renderBbCopyPdf(result.bb));
      io.stdout(`Kopia utan prisuppgifter skriven: ${out} (ärende ${result.bb.caseRef})\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof ExtractError)) throw err;
      io.stderr(`${err.message}\n`);
      return 1;
    }
  },
};
