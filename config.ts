import { z } from 'zod';
import type { Env } from './config-env.ts';
import { parseStockholmLocal } from './domain/calendar/stockholm.ts';
import { parseEscalationFallback, type EscalationFallback } from './domain/reminders/escalation.ts';
import { parseClockTime, parseWorkingTime, type ClockTime, type WorkingTime } from './domain/calendar/working-time.ts';

export { readEnvironment, readRoutinesDirSetting } from './config-env.ts';

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
  /** Days a case token in a provider mail is believed, from the day the mail was sent. */
  PROVIDER_TOKEN_DAYS: days.max(3_650, 'högst 3650').default(365),
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
  /** How often finished audit entries are folded into a seal (db/audit.ts sealAudit). */
  AUDIT_SEAL_INTERVAL_MS: z.coerce.number().int().min(100, 'minst 100').max(600_000, 'högst 600000').default(2_000),
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
  /** Entra tenants whose users may talk to the bot; unset: MICROSOFT_APP_TENANT_ID. */
  BOT_ALLOWED_TENANTS: list.optional(),
  // The overview tab: Teams SSO tokens for this Entra app, from the allowed tenants.
  /** The Entra app (client) id the tab's SSO tokens are issued for; unset: MICROSOFT_APP_ID. */
  TAB_SSO_CLIENT_ID: z.string().optional(),
  /** The app's Application ID URI (api://host/client id), the manifest's webApplicationInfo.resource. */
  TAB_SSO_RESOURCE: z.string().regex(/^(api|https):\/\/\S+$/, 'ska vara en Application ID URI, t.ex. api://boende.kommun.se/<klient-id>').optional(),
  /** Where Teams reaches the app (https://…): the manifest's tab URLs and valid domain. */
  TAB_PUBLIC_URL: z.string().url('ska vara en URL').regex(/^https:\/\//, 'ska börja med https://').optional(),
  /** Where Entra publishes its signing keys (tests serve their own). */
  TAB_OPENID_METADATA_URL: z.string().url('ska vara en URL').default('https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration'),
  /** Longest period a substitute may be named for, in weeks. */
  SUBSTITUTE_MAX_WEEKS: z.coerce.number({ message: 'ska vara ett antal veckor' }).int('ska vara ett heltal').min(1, 'minst 1').max(52, 'högst 52').default(12),

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
  /** What a mail's sender must prove (mail/sender-auth.ts): DMARC by default. */
  MAIL_AUTH_POLICY: z.enum(['dmarc', 'dkim', 'spf', 'none'], { message: 'ska vara dmarc, dkim, spf eller none' }).default('dmarc'),
  /** The receiving gateway's authserv-id: its Authentication-Results are trusted instead of verifying here. */
  MAIL_AUTH_SERVID: z.string().optional(),
  /** ARC sealers (domains) trusted to vouch for mail whose signature forwarding broke. */
  MAIL_AUTH_ARC_SEALERS: list.optional(),
  /** Deadline for reading one BB mail (in a worker thread); past it the try counts as failed. */
  MAIL_PARSE_TIMEOUT_MS: z.coerce.number({ message: 'ska vara ett antal millisekunder' }).int('ska vara ett heltal').min(1000, 'minst 1000').max(600_000, 'högst 600000').default(30_000),
  /** Tries (a failure, a timeout, a crash of the process) before a mail is quarantined as unreadable. */
  /** Worker threads that read BB mails (each mail with MAIL_PARSE_TIMEOUT_MS). */
  MAIL_PARSE_WORKERS: z.coerce.number({ message: 'ska vara ett antal' }).int('ska vara ett heltal').min(1, 'minst 1').max(16, 'högst 16').default(2),
  /** Mails committed side by side by the mailbox pipeline (mails about one case stay in order). */
  MAIL_COMMIT_CONCURRENCY: z.coerce.number({ message: 'ska vara ett antal' }).int('ska vara ett heltal').min(1, 'minst 1').max(32, 'högst 32').default(4),
  MAIL_MAX_ATTEMPTS: z.coerce.number({ message: 'ska vara ett antal' }).int('ska vara ett heltal').min(1, 'minst 1').max(20, 'högst 20').default(3),
  /**
   * TEST ONLY, default off: addresses that a stand-in mail handler "distributes" every accepted
   * mail to, so the crash tests can drive the real main.ts. Refused when NODE_ENV=production.
   */
  // Reminders: the ladder, the daily digest and when anything may leave (Stockholm time).
  REMINDER_HEADS_UP_WORKING_DAYS: z.coerce.number({ message: 'ska vara ett antal arbetsdagar' }).int('ska vara ett heltal').min(0, 'minst 0').max(20, 'högst 20').default(2),
  REMINDER_ESCALATE_AFTER_WORKING_DAYS: z.coerce.number({ message: 'ska vara ett antal arbetsdagar' }).int('ska vara ett heltal').min(1, 'minst 1').max(60, 'högst 60').default(3),
  /** Whom an escalation goes to when the holder has no manager: a role (its holder in the holder's area) or an e-mail address. */
  ESCALATION_FALLBACK: z.string().default('verksamhetschef').transform((v, ctx) => parseEscalationFallback(v) ?? (ctx.addIssue({ code: 'custom', message: 'ska vara en roll (t.ex. verksamhetschef) eller en e-postadress' }), z.NEVER)),
  DIGEST_TIME: z.string().default('07:30').transform((v, ctx) => parseClockTime(v) ?? (ctx.addIssue({ code: 'custom', message: 'ska vara en tid TT:MM, t.ex. 07:30' }), z.NEVER)),
  WORKING_HOURS: z.string().default('07:00-17:00').transform((v, ctx) => parseWorkingTime(v) ?? (ctx.addIssue({ code: 'custom', message: 'ska vara TT:MM-TT:MM, t.ex. 07:00-17:00' }), z.NEVER)),
  /** Boendekoordination: working days a person has to answer an offered apartment (routine 5: "snarast möjligt"). */
  /**
   * Training and demo environments (övningsmiljö) only: the service's clock shifted by a signed
   * duration ("+3d", "-2h30m"), or started at a Stockholm time ("2026-12-21 06:55") and running on
   * from there. Refused in production: real deadlines must run on real time.
   */
  CLOCK_OFFSET: z.string().transform((v, ctx) => parseClockOffset(v) ?? (ctx.addIssue({ code: 'custom', message: 'ska vara en förskjutning som +3d, -2h eller +1d6h30m' }), z.NEVER)).optional(),
  CLOCK_START: z.string().transform((v, ctx) => parseStockholmLocal(v) ?? (ctx.addIssue({ code: 'custom', message: 'ska vara en svensk tid ÅÅÅÅ-MM-DD TT:MM, t.ex. 2026-12-21 06:55' }), z.NEVER)).optional(),
  OFFER_ANSWER_WORKING_DAYS: z.coerce.number({ message: 'ska vara ett antal arbetsdagar' }).int('ska vara ett heltal').min(1, 'minst 1').max(30, 'högst 30').default(3),
  /** A municipality's own folder of routine files; unset: the routines shipped in `routines/`. */
  ROUTINES_DIR: z.string().optional(),
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
  /** Days a provider case token is believed after its mail was sent. */
  providerTokenDays: number;
  /** ENCRYPTION_KEYS_FILE: more data keys (rotation); see lib/local-key.ts. */
  keysFile: string | undefined;
  shutdownTimeoutMs: number;
  audit: { signingKeyFile: string | undefined; checkpointFile: string; checkpointIntervalMs: number; sealIntervalMs: number; archiveMailbox: string | undefined };
  /** Days after which each kind of personal data is gallrad (services/gallring.ts). */
  retention: { mailContentDays: number; quarantineDays: number; closedCaseDays: number; dailyAt: ClockTime };
  bot: {
    appId: string | undefined;
    appPassword: string | undefined;
    tenantId: string | undefined;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    allowAnonymous: boolean;
    openIdMetadataUrl: string | undefined;
    /** Lower-case tenant ids whose activities are answered; empty: any tenant (local use only). */
    allowedTenants: string[];
    substituteMaxWeeks: number;
  };
  /** The overview tab; clientId undefined: the tab's data answers 503. Tenants are bot.allowedTenants. */
  tab: { clientId: string | undefined; resource: string | undefined; openIdMetadataUrl: string; publicUrl: string | undefined };
  mail: {
    imap:
      | { host: string; port: number; secure: boolean; user: string; password: string; mailbox: string; processedFolder: string; quarantineFolder: string; pollIntervalMs: number }
      | undefined;
    smtp: { host: string; port: number; secure: boolean; user: string | undefined; password: string | undefined } | undefined;
    from: string | undefined;
    internalDomains: string[];
    maxSizeBytes: number;
    sendConcurrency: number;
    auth: { policy: 'dmarc' | 'dkim' | 'spf' | 'none'; servId: string | undefined; arcSealers: string[] };
    parseTimeoutMs: number;
    parseWorkers: number;
    commitConcurrency: number;
    maxAttempts: number;
    /** TEST ONLY: when set, the stand-in test handler replaces the BB handler (see schema). */
  };
  coordination: { offerAnswerWorkingDays: number };
  /** Training/demo only (never production): the service's clock shifted, or started at a set time. */
  clock: { offsetMs: number; start: Date | undefined };
  reminders: { headsUpWorkingDays: number; escalateAfterWorkingDays: number; escalationFallback: EscalationFallback; digestTime: ClockTime; hours: WorkingTime };
  /** Folder of routine files; undefined: the shipped ones. */
  routinesDir: string | undefined;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Ogiltig konfiguration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}


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
  const allowedTenants = e.BOT_ALLOWED_TENANTS ?? (e.MICROSOFT_APP_TENANT_ID !== undefined ? [e.MICROSOFT_APP_TENANT_ID.toLowerCase()] : []);
  if (e.NODE_ENV === 'production' && e.MICROSOFT_APP_ID !== undefined && allowedTenants.length === 0) {
    problems.push('BOT_ALLOWED_TENANTS (saknas): ange organisationens Entra-klient (tenant), eller MICROSOFT_APP_TENANT_ID, när NODE_ENV=production');
  }
  if (e.NODE_ENV === 'production' && e.TAB_SSO_CLIENT_ID !== undefined && e.MICROSOFT_APP_ID === undefined && allowedTenants.length === 0) {
    problems.push('BOT_ALLOWED_TENANTS (saknas): översiktsfliken tar bara emot inloggningar från angivna Entra-klienter när NODE_ENV=production');
  }
  if (e.IMAP_HOST !== undefined) {
    if (e.IMAP_USER === undefined) problems.push('IMAP_USER (saknas): krävs när IMAP_HOST är satt');
    if (e.IMAP_PASSWORD === undefined) problems.push('IMAP_PASSWORD (saknas): krävs när IMAP_HOST är satt');
    if (e.SMTP_HOST === undefined) problems.push('SMTP_HOST (saknas): krävs när IMAP_HOST är satt (svar och utskick)');
  }
  if (e.DATABASE_MIGRATION_URL !== undefined && e.DATABASE_URL === undefined) {
    problems.push('DATABASE_MIGRATION_URL: kräver DATABASE_URL (PGlite har bara en roll)');
  }
  if (e.SMTP_HOST !== undefined && e.MAIL_FROM === undefined) {
    problems.push('MAIL_FROM (saknas): krävs när SMTP_HOST är satt');
  }
  if (e.MAIL_AUTH_POLICY === 'spf' && e.MAIL_AUTH_SERVID === undefined) {
    problems.push('MAIL_AUTH_POLICY ("spf"): kräver MAIL_AUTH_SERVID (bara den mottagande servern ser avsändarens IP-adress)');
  }
  if (e.NODE_ENV === 'production' && e.MAIL_AUTH_POLICY === 'none') {
    problems.push('MAIL_AUTH_POLICY ("none"): avsändare måste verifieras när NODE_ENV=production');
  }
  if (minutesOf(e.DIGEST_TIME) < minutesOf(e.WORKING_HOURS.start) || minutesOf(e.DIGEST_TIME) >= minutesOf(e.WORKING_HOURS.end)) {
    problems.push('DIGEST_TIME: ska ligga inom WORKING_HOURS (utskick sker bara under arbetstid)');
  }
  if (e.NODE_ENV === 'production' && e.CLOCK_OFFSET !== undefined) {
    problems.push('CLOCK_OFFSET: endast för övnings- och demomiljöer, inte tillåtet när NODE_ENV=production');
  }
  if (e.NODE_ENV === 'production' && e.CLOCK_START !== undefined) {
    problems.push('CLOCK_START: endast för övnings- och demomiljöer, inte tillåtet när NODE_ENV=production');
  }
  if (e.CLOCK_OFFSET !== undefined && e.CLOCK_START !== undefined) {
    problems.push('CLOCK_OFFSET och CLOCK_START: ange högst en av dem');
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
      sealIntervalMs: e.AUDIT_SEAL_INTERVAL_MS,
      archiveMailbox: e.AUDIT_ARCHIVE_MAILBOX,
    },
    retention: {
      mailContentDays: e.RETENTION_MAIL_CONTENT_DAYS,
      quarantineDays: e.RETENTION_QUARANTINE_DAYS,
      closedCaseDays: e.RETENTION_CLOSED_CASE_DAYS,
      dailyAt: e.GALLRING_TIME,
    },
    providerTokenKeyHex: e.PROVIDER_TOKEN_KEY,
    providerTokenDays: e.PROVIDER_TOKEN_DAYS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    bot: {
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      tenantId: e.MICROSOFT_APP_TENANT_ID,
      appType: e.MICROSOFT_APP_TYPE,
      allowAnonymous: e.BOT_ALLOW_ANONYMOUS,
      openIdMetadataUrl: e.BOT_OPENID_METADATA_URL,
      allowedTenants,
      substituteMaxWeeks: e.SUBSTITUTE_MAX_WEEKS,
    },
    tab: { clientId: e.TAB_SSO_CLIENT_ID ?? e.MICROSOFT_APP_ID, resource: e.TAB_SSO_RESOURCE, openIdMetadataUrl: e.TAB_OPENID_METADATA_URL, publicUrl: e.TAB_PUBLIC_URL },
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
      auth: { policy: e.MAIL_AUTH_POLICY, servId: e.MAIL_AUTH_SERVID, arcSealers: e.MAIL_AUTH_ARC_SEALERS ?? [] },
      parseTimeoutMs: e.MAIL_PARSE_TIMEOUT_MS,
      parseWorkers: e.MAIL_PARSE_WORKERS,
      commitConcurrency: e.MAIL_COMMIT_CONCURRENCY,
      maxAttempts: e.MAIL_MAX_ATTEMPTS,
    },
    coordination: { offerAnswerWorkingDays: e.OFFER_ANSWER_WORKING_DAYS },
    clock: { offsetMs: e.CLOCK_OFFSET ?? 0, start: e.CLOCK_START },
    routinesDir: e.ROUTINES_DIR,
    reminders: {
      headsUpWorkingDays: e.REMINDER_HEADS_UP_WORKING_DAYS,
      escalateAfterWorkingDays: e.REMINDER_ESCALATE_AFTER_WORKING_DAYS,
      escalationFallback: e.ESCALATION_FALLBACK,
      digestTime: e.DIGEST_TIME,
      hours: e.WORKING_HOURS,
    },
  };
}

const minutesOf = (t: ClockTime): number => t.hour * 60 + t.minute;

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000 };

/** "+3d", "-2h30m", "1d6h": a signed duration in milliseconds; undefined when malformed or empty. */
export function parseClockOffset(text: string): number | undefined {
  const m = /^([+-]?)((?:\d{1,5}[dhm]){1,3})$/.exec(text.trim().toLowerCase());
  if (!m?.[2]) return undefined;
  let ms = 0;
  for (const part of m[2].matchAll(/(\d+)([dhm])/g)) ms += Number(part[1]) * (UNIT_MS[part[2] ?? ''] ?? 0);
  return m[1] === '-' ? -ms : ms;
}

/** Secrets are never echoed back in an error message. */
function redact(name: string, value: string): string {
  return /KEY|PASSWORD|SECRET|TOKEN|DATABASE_URL/.test(name) ? '***' : value;
}
