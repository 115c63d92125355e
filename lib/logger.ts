import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type prettyFactory from 'pino-pretty';
import { safeError } from './safe-error.ts';

export type { Logger };

/**
 * Field names that may carry a personnummer, a name or health details. Defence in depth: the
 * code never logs them on purpose (DESIGN.md, Privacy), and pino blanks them if it ever does.
 */
const REDACT = [
  'personnummer', '*.personnummer', '*.*.personnummer',
  'pnr', '*.pnr', 'name', '*.name', '*.*.name', 'client', '*.client',
  'password', '*.password', 'authorization', '*.authorization', '*.headers.authorization',
];

/** Errors lose their query parameters and row values before they are written (lib/safe-error.ts). */
const SERIALIZERS = { err: safeError, error: (e: unknown) => (e instanceof Error ? safeError(e) : e) };

export const LOGGER_OPTIONS = { redact: { paths: REDACT, censor: '[dolt]' }, serializers: SERIALIZERS };

export function createLogger(opts: { level: string; format: 'json' | 'pretty'; toStderr?: boolean; destination?: NodeJS.WritableStream }): Logger {
  const base = { level: opts.level, ...LOGGER_OPTIONS };
  if (opts.destination) return pino(base, opts.destination);
  if (opts.format === 'pretty') {
    // A synchronous stream, not a transport: no worker thread to leak on shutdown. Loaded only
    // here, since JSON logging (the service's default off a terminal) never needs it.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof prettyFactory;
    return pino(base, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', sync: true, destination: opts.toStderr ? 2 : 1 }));
  }
  return pino(base, pino.destination({ dest: opts.toStderr ? 2 : 1, sync: true }));
}
