/**
 * Errors as they may be logged or stored: no query parameters, no row values. A database error
 * carries what was sent with the query (drizzle's `params` and a message that repeats them,
 * postgres.js's `parameters`, PostgreSQL's `detail` with the conflicting key's value), and those
 * are names, personnummer and mail bytes. Only the kind of error, its code and where it came from
 * are kept; pino's redaction paths cannot reach nested causes, so this runs as its serializer.
 */
export type SafeError = {
  type: string;
  message: string;
  code?: string;
  /** PostgreSQL's fields that name schema objects, never values. */
  routine?: string;
  constraint?: string;
  table?: string;
  column?: string;
  stack?: string;
  cause?: SafeError;
};

const MAX_MESSAGE = 300;

/** The message without the parameters drizzle appends, and short. */
export function safeErrorMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : typeof err === 'string' ? err : 'unknown error';
  const cut = raw.split(/\r?\nparams:/)[0] ?? '';
  return cut.length > MAX_MESSAGE ? `${cut.slice(0, MAX_MESSAGE)}…` : cut;
}

export function safeError(err: unknown, depth = 0): SafeError {
  if (!(err instanceof Error)) return { type: typeof err, message: typeof err === 'string' ? safeErrorMessage(err) : '[inte ett Error]' };
  const e = err as Error & Record<string, unknown>;
  const text = (key: string): string | undefined => (typeof e[key] === 'string' ? e[key] : undefined);
  const out: SafeError = { type: e.name, message: safeErrorMessage(e) };
  const code = typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : undefined;
  if (code !== undefined) out.code = code;
  const routine = text('routine');
  if (routine !== undefined) out.routine = routine;
  const constraint = text('constraint_name') ?? text('constraint');
  if (constraint !== undefined) out.constraint = constraint;
  const table = text('table_name') ?? text('table');
  if (table !== undefined) out.table = table;
  const column = text('column_name') ?? text('column');
  if (column !== undefined) out.column = column;
  // The stack's first line repeats the message: keep only the frames.
  if (typeof e.stack === 'string') out.stack = e.stack.split('\n').filter((l) => l.trimStart().startsWith('at ')).slice(0, 15).join('\n');
  if (e.cause !== undefined && depth < 4) out.cause = safeError(e.cause, depth + 1);
  return out;
}
