import { z } from 'zod';

/**
 * Every setting, parsed once from the environment (STYLE.md §7). Only this file reads
 * process.env. An empty variable counts as unset, so `FOO=` in a .env falls back to the default.
 */
const port = z.coerce
  .number({ message: 'ska vara ett portnummer' })
  .int('ska vara ett heltal')
  .min(0, 'ska vara 0–65535')
  .max(65535, 'ska vara 0–65535');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3978),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'ska börja med postgres:// eller postgresql://')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  PNR_ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'ska vara 64 hexadecimala tecken (32 byte)')
    .optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
});

export type Config = {
  nodeEnv: 'development' | 'production' | 'test';
  http: { port: number; host: string };
  log: { level: string; format: 'json' | 'pretty' };
  db: { url: string | undefined; dataDir: string; poolSize: number };
  /** 32-byte key for personnummer encryption; undefined means "derive a local one" (not in production). */
  pnrKeyHex: string | undefined;
  shutdownTimeoutMs: number;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Ogiltig konfiguration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Parses the environment; throws ConfigError listing every bad variable in plain words. */
export function loadConfig(env: Env, opts: { isTty?: boolean } = {}): Config {
  const cleaned: Env = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') cleaned[key] = value.trim();
  }
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const value = cleaned[name];
      const shown = value === undefined ? 'saknas' : `"${redact(name, value)}"`;
      return `${name} (${shown}): ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.NODE_ENV === 'production' && e.PNR_ENCRYPTION_KEY === undefined) {
    problems.push('PNR_ENCRYPTION_KEY (saknas): krävs när NODE_ENV=production');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    nodeEnv: e.NODE_ENV,
    http: { port: e.PORT, host: e.HOST },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT ?? (opts.isTty ? 'pretty' : 'json') },
    db: { url: e.DATABASE_URL, dataDir: e.DATA_DIR, poolSize: e.DATABASE_POOL_SIZE },
    pnrKeyHex: e.PNR_ENCRYPTION_KEY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}

/** Secrets are never echoed back in an error message. */
function redact(name: string, value: string): string {
  return /KEY|PASSWORD|SECRET|TOKEN|DATABASE_URL/.test(name) ? '***' : value;
}

/**
 * The process environment with an optional `.env` file under it (the real environment wins).
 * The only place that touches process.env.
 */
export function readEnvironment(dotenvText: string | undefined): Env {
  const fromFile = dotenvText === undefined ? {} : parseDotenv(dotenvText);
  return { ...fromFile, ...process.env };
}

function parseDotenv(text: string): Env {
  const out: Env = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m?.[1]) continue;
    let value = m[2] ?? '';
    const quoted = /^(['"])(.*)\1$/.exec(value);
    value = quoted ? (quoted[2] ?? '') : value.replace(/\s+#.*$/, '');
    out[m[1]] = value;
  }
  return out;
}
