import { readBehovsbedomningFromFile } from '../mail/read-behovsbedomning.ts';
import { ExtractError } from '../mail/extract/limits.ts';
import type { CliCommand } from './types.ts';

/**
 * Prints the parsed BB as JSON: exit 0 for a usable BB, 2 when it is not one (missing or invalid
 * fields), 1 when the file cannot be read. Printing the personnummer is this command's job;
 * nothing else here logs it.
 */
export const parseBbCommand: CliCommand = {
  run: async (args, { io, usage }) => {
    const file = args[0];
    if (file === undefined || args.length > 1) {
      io.stderr(`Användning: boendelotsen ${usage}\n`);
      return 1;
    }
    try {
      const { result } = await readBehovsbedomningFromFile(file);
      io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      return result.ok ? 0 : 2;
    } catch (err) {
      if (!(err instanceof ExtractError)) throw err;
      io.stdout(`${JSON.stringify({ ok: false, error: err.code, message: err.message }, null, 2)}\n`);
      return 1;
    }
  },
};
