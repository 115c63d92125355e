import { z } from 'zod';
import { parseClockTime, parseWorkingTime, type ClockTime, type WorkingTime } from './domain/calendar/working-time.ts';

/**
 * Every setting, parsed once from the environment (STYLE.md §7). Only this file reads
 * process.env. An empty variable counts as unset, so `FOO=` in a .env falls back to the default.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'ska vara true eller false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const list = z.string().transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));

const port = z.coerce
  .number({ message: 'ska vara ett portnummer' })
  .int('ska vara ett heltal')
  .min(0, 'ska vara 0–65535')
  .max(65535, 'ska vara 0–65535');

const days = z.coerce.number({ message: 'ska vara ett antal' }).int('ska vara ett heltal').min(1, 'minst 1').max(36_500, 'högst 36500');

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
  /** MAC key for the case token in provider mail subjects; unset: derived from the personnummer key. */
  PROVIDER_TOKEN_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'ska vara 64 hexadecimala tecken (32 byte)')
    .optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Key ring for data at rest: `ID HEX` per line, the last seals new values (owner-only file). */
  ENCRYPTION_KEYS_FILE: z.string().optional(),
  /** Runs migrations under this (owning) role while the app itself uses DATABASE_URL. */
  DATABASE_MIGRATION_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'ska börja med postgres:// eller postgresql://')
    .optional(),
  /** Ed25519 private key (PEM) that signs audit checkpoints; never stored in the database. */
  AUDIT_SIGNING_KEY_FILE: z.string().optional(),
  AUDIT_CHECKPOINT_FILE: z.string().optional(),
  AUDIT_CHECKPOINT_INTERVAL_MINUTES: days.max(1440, 'högst 1440').default(60),
  AUDIT_ARCHIVE_MAILBOX: z.string().email('ska vara en e-postadress').optional(),
  RETENTION_MAIL_CONTENT_DAYS: days.default(30),
  RETENTION_QUARANTINE_DAYS: days.default(30),
  RETENTION_CLOSED_CASE_DAYS: days.default(1825),
  GALLRING_TIME: z.string().default('02:30').transform((v, ctx) => parseClockTime(v) ?? (ctx.addIssue({ code: 'custom', message: 'ska vara en tid TT:MM, t.ex. 02:30' }), z.NEVER)),

  // Teams bot (Bot Framework). Without an app id the bot answers only in explicit anonymous mode.
  MICROSOFT_APP_ID: z.string().optional(),
  MICROSOFT_APP_PASSWORD: z.string().optional(),
  MICROSOFT_APP_TENANT_ID: z.string().optional(),
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  BOT_ALLOW_ANONYMOUS: bool.default('false'),
  /** Only for tests and special clouds: where the Bot Framework's signing keys are published. */
  BOT_OPENID_METADATA_URL: z.string().url('ska vara en URL').optional(),

  // Mailbox (IMAP) and outgoing mail (SMTP). Without IMAP_HOST the mailbox is not read.
  IMAP_HOST: z.string().optional(),
  IMAP_PORT: port.default(993),
  IMAP_SECURE: bool.default('true'),
  IMAP_USER: z.string().optional(),
  IMAP_PASSWORD: z.string().optional(),
  IMAP_MAILBOX: z.string().default('INBOX'),
  IMAP_PROCESSED_FOLDER: z.string().default('Processed'),
  IMAP_QUARANTINE_FOLDER: z.string().default('Quarantine'),
  IMAP_POLL_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: port.default(587),
  SMTP_SECURE: bool.default('false'),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  MAIL_FROM: z.string().email('ska vara en e-postadress').optional(),
  MAIL_INTERNAL_DOMAINS: list.optional(),
  MAIL_MAX_SIZE_BYTES: z.coerce.number().int().min(1024).default(25 * 1024 * 1024),
  /** Parallel SMTP connections (and mail outbox workers): a BB fans out to five mails. */
  MAIL_SEND_CONCURRENCY: z.coerce.number({ message: 'ska vara ett antal' }).int('ska vara ett heltal').min(1, 'minst 1').max(20, 'högst 20').default(4),
  /**
   * TEST ONLY, default off: addresses that a stand-in mail handler "distributes" every accepted
   * mail to, so the crash tests can drive the real main.ts. Refused when NODE_ENV=production.
   */
  BOENDELOTSEN_TEST_MAIL_HANDLER: list.optional(),
  // Reminders (issue 7): the ladder, the daily digest and when anything may leave (Stockholm time).
  REMINDER_HEADS_UP_WORKING_DAYS: z.coerce.number({ message: 'ska vara ett antal arbetsdagar' }).int('ska vara ett heltal').min(0, 'minst 0').max(20, 'högst 20').default(2),
  REMINDER_ESCALATE_AFTER_WORKING_DAYS: z.coerce.number({ message: 'ska vara ett antal arbetsdagar' }).int('ska vara ett heltal').min(1, 'minst 1').max(60, 'högst 60').default(3),
  DIGEST_TIME: z.string().default('07:30').transform((v, ctx) => parseClockTime(v) ?? (ctx.addIssue({ code: 'custom', message: 'ska vara en tid TT:MM, t.ex. 07:30' }), z.NEVER)),
  WORKING_HOURS: z.string().default('07:00-17:00').transform((v, ctx) => parseWorkingTime(v) ?? (ctx.addIssue({ code: 'custom', message: 'ska vara TT:MM-TT:MM, t.ex. 07:00-17:00' }), z.NEVER)),
  /** Boendekoordination: working days a person has to answer an offered apartment (routine 5: "snarast möjligt"). */
  OFFER_ANSWER_WORKING_DAYS: z.coerce.number({ message: 'ska vara ett antal arbetsdagar' }).int('ska vara ett heltal').min(1, 'minst 1').max(30, 'högst 30').default(3),
});

export type Config = {
  nodeEnv: 'development' | 'production' | 'test';
  http: { port: number; host: string };
  log: { level: string; format: 'json' | 'pretty' };
  db: { url: string | undefined; migrationUrl: string | undefined; dataDir: string; poolSize: number };
  /** 32-byte key for personnummer encryption; undefined means "derive a local one" (not in production). */
  pnrKeyHex: string | undefined;
  /** 32-byte MAC key for provider case tokens; undefined means "derive from the personnummer key". */
  providerTokenKeyHex: string | undefined;
  /** ENCRYPTION_KEYS_FILE: more data keys (rotation); see lib/local-key.ts. */
  keysFile: string | undefined;
  shutdownTimeoutMs: number;
  audit: { signingKeyFile: string | undefined; checkpointFile: string; checkpointIntervalMs: number; archiveMailbox: string | undefined };
  /** Days after which each kind of personal data is gallrad (services/gallring.ts). */
  retention: { mailContentDays: number; quarantineDays: number; closedCaseDays: number; dailyAt: ClockTime };
  bot: {
    appId: string | undefined;
    appPassword: string | undefined;
    tenantId: string | undefined;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    allowAnonymous: boolean;
    openIdMetadataUrl: string | undefined;
  };
  mail: {
    imap:
      | { host: string; port: number; secure: boolean; user: string; password: string; mailbox: string; processedFolder: string; quarantineFolder: string; pollIntervalMs: number }
      | undefined;
    smtp: { host: string; port: number; secure: boolean; user: string | undefined; password: string | undefined } | undefined;
    from: string | undefined;
    internalDomains: string[];
    maxSizeBytes: number;
    sendConcurrency: number;
    /** TEST ONLY: when set, the stand-in test handler replaces the BB handler (see schema). */
    testDistributeTo: string[] | undefined;
  };
  coordination: { offerAnswerWorkingDays: number };
  reminders: { headsUpWorkingDays: number; escalateAfterWorkingDays: number; digestTime: ClockTime; hours: WorkingTime };
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
  if (e.NODE_ENV === 'production' && e.PNR_ENCRYPTION_KEY === undefined && e.ENCRYPTION_KEYS_FILE === undefined) {
    problems.push('PNR_ENCRYPTION_KEY (saknas): krävs när NODE_ENV=production (eller ENCRYPTION_KEYS_FILE)');
  }
  if (e.NODE_ENV === 'production' && e.BOT_ALLOW_ANONYMOUS) {
    problems.push('BOT_ALLOW_ANONYMOUS ("true"): anonymt läge är inte tillåtet när NODE_ENV=production');
  }
  if (e.IMAP_HOST !== undefined) {
    if (e.IMAP_USER === undefined) problems.push('IMAP_USER (saknas): krävs när IMAP_HOST är satt');
    if (e.IMAP_PASSWORD === undefined) problems.push('IMAP_PASSWORD (saknas): krävs när IMAP_HOST är satt');
    if (e.SMTP_HOST === undefined) problems.push('SMTP_HOST (saknas): krävs när IMAP_HOST är satt (svar och utskick)');
  }
  if (e.NODE_ENV === 'production' && e.BOENDELOTSEN_TEST_MAIL_HANDLER !== undefined) {
    problems.push('BOENDELOTSEN_TEST_MAIL_HANDLER: endast för tester, inte tillåtet när NODE_ENV=production');
  }
  if (e.DATABASE_MIGRATION_URL !== undefined && e.DATABASE_URL === undefined) {
    problems.push('DATABASE_MIGRATION_URL: kräver DATABASE_URL (PGlite har bara en roll)');
  }
  if (e.SMTP_HOST !== undefined && e.MAIL_FROM === undefined) {
    problems.push('MAIL_FROM (saknas): krävs när SMTP_HOST är satt');
  }
  if (minutesOf(e.DIGEST_TIME) < minutesOf(e.WORKING_HOURS.start) || minutesOf(e.DIGEST_TIME) >= minutesOf(e.WORKING_HOURS.end)) {
    problems.push('DIGEST_TIME: ska ligga inom WORKING_HOURS (utskick sker bara under arbetstid)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    nodeEnv: e.NODE_ENV,
    http: { port: e.PORT, host: e.HOST },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT ?? (opts.isTty ? 'pretty' : 'json') },
    db: { url: e.DATABASE_URL, migrationUrl: e.DATABASE_MIGRATION_URL, dataDir: e.DATA_DIR, poolSize: e.DATABASE_POOL_SIZE },
    pnrKeyHex: e.PNR_ENCRYPTION_KEY,
    keysFile: e.ENCRYPTION_KEYS_FILE,
    audit: {
      signingKeyFile: e.AUDIT_SIGNING_KEY_FILE,
      checkpointFile: e.AUDIT_CHECKPOINT_FILE ?? `${e.DATA_DIR.replace(/\/+$/, '')}/audit-checkpoints.jsonl`,
      checkpointIntervalMs: e.AUDIT_CHECKPOINT_INTERVAL_MINUTES * 60_000,
      archiveMailbox: e.AUDIT_ARCHIVE_MAILBOX,
    },
    retention: {
      mailContentDays: e.RETENTION_MAIL_CONTENT_DAYS,
      quarantineDays: e.RETENTION_QUARANTINE_DAYS,
      closedCaseDays: e.RETENTION_CLOSED_CASE_DAYS,
      dailyAt: e.GALLRING_TIME,
    },
    providerTokenKeyHex: e.PROVIDER_TOKEN_KEY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    bot: {
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      tenantId: e.MICROSOFT_APP_TENANT_ID,
      appType: e.MICROSOFT_APP_TYPE,
      allowAnonymous: e.BOT_ALLOW_ANONYMOUS,
      openIdMetadataUrl: e.BOT_OPENID_METADATA_URL,
    },
    mail: {
      imap:
        e.IMAP_HOST !== undefined && e.IMAP_USER !== undefined && e.IMAP_PASSWORD !== undefined
          ? {
              host: e.IMAP_HOST,
              port: e.IMAP_PORT,
              secure: e.IMAP_SECURE,
              user: e.IMAP_USER,
              password: e.IMAP_PASSWORD,
              mailbox: e.IMAP_MAILBOX,
              processedFolder: e.IMAP_PROCESSED_FOLDER,
              quarantineFolder: e.IMAP_QUARANTINE_FOLDER,
              pollIntervalMs: e.IMAP_POLL_INTERVAL_MS,
            }
          : undefined,
      smtp:
        e.SMTP_HOST !== undefined
          ? { host: e.SMTP_HOST, port: e.SMTP_PORT, secure: e.SMTP_SECURE, user: e.SMTP_USER, password: e.SMTP_PASSWORD }
          : undefined,
      from: e.MAIL_FROM,
      internalDomains: e.MAIL_INTERNAL_DOMAINS ?? [],
      maxSizeBytes: e.MAIL_MAX_SIZE_BYTES,
      sendConcurrency: e.MAIL_SEND_CONCURRENCY,
      testDistributeTo: e.BOENDELOTSEN_TEST_MAIL_HANDLER,
    },
    coordination: { offerAnswerWorkingDays: e.OFFER_ANSWER_WORKING_DAYS },
    reminders: {
      headsUpWorkingDays: e.REMINDER_HEADS_UP_WORKING_DAYS,
      escalateAfterWorkingDays: e.REMINDER_ESCALATE_AFTER_WORKING_DAYS,
      digestTime: e.DIGEST_TIME,
      hours: e.WORKING_HOURS,
    },
  };
}

const minutesOf = (t: ClockTime): number => t.hour * 60 + t.minute;

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
