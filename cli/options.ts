import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; strict: true; args: string[] }>>;

/**
 * A command's options and positional arguments through Node's own parser; an unknown option or a
 * missing value becomes a Swedish message instead of an exception.
 */
export function readOptions<T extends Options>(args: string[], options: T): { ok: true; values: Parsed<T>['values']; positionals: string[] } | { ok: false; message: string } {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { ok: true, values: parsed.values, positionals: parsed.positionals };
  } catch (err) {
    const code = (err as { code?: string }).code;
    const text = err instanceof Error ? err.message : String(err);
    // Node names the option in quotes; the rest of its message is English.
    const option = /'(-{1,2}[^'\s]+)/.exec(text)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return { ok: false, message: `Okänt val: ${option}` };
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return { ok: false, message: `Valet ${option} saknar sitt värde eller har fel sorts värde.` };
    return { ok: false, message: 'Argumenten kunde inte läsas.' };
  }
}
