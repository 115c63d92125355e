import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import { createDb, type DbHandle } from '../db/client.ts';
import { appliedMigrationTags, readMigrations } from '../db/migrate.ts';
import { trustedAuthResults } from '../lib/auth-results.ts';

/** One line of `doctor`: what was checked, and either what was found or what to fix (Swedish). */
export type DoctorCheck = { title: string; ok: boolean; detail: string };

/** Every outside call is bounded: a firewall that drops packets must not hang the doctor. */
const TIMEOUT_MS = 10_000;

export type DoctorDeps = {
  config: Config;
  /** Where `.env` is read from (the working directory the service starts in). */
  envFile: string;
};

/**
 * Checks a configuration the way the service will run with it: the database and its migrations,
 * the mailbox, outgoing mail with TLS, the mail rules, the keys, the bot's identity. Reads only;
 * nothing is migrated, sent or moved.
 */
export async function runDoctor(deps: DoctorDeps): Promise<DoctorCheck[]> {
  const { config } = deps;
  return [
    await checkDatabase(config),
    await checkImap(config),
    await checkSmtp(config),
    checkMailRules(config),
    await checkMailAuth(config),
    checkKeys(config, deps.envFile),
    checkBot(config),
    checkAnonymous(config),
  ];
}

const pass = (title: string, detail: string): DoctorCheck => ({ title, ok: true, detail });
const fail = (title: string, detail: string): DoctorCheck => ({ title, ok: false, detail });

function withTimeout<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: inget svar inom ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

async function checkDatabase(config: Config): Promise<DoctorCheck> {
  const title = 'Databas';
  const url = config.db.url;
  if (!url && !existsSync(path.resolve(config.db.dataDir, 'pglite'))) {
    return fail(title, `ingen databas i DATA_DIR (${config.db.dataDir}). Sätt DATABASE_URL=postgres://… för drift, eller starta tjänsten en gång.`);
  }
  let handle: DbHandle | undefined;
  try {
    handle = await withTimeout('databasen', createDb({ url, dataDir: config.db.dataDir, poolSize: 1 }));
    const db = handle;
    const done = new Set(await withTimeout('databasen', appliedMigrationTags(db)));
    const pending = readMigrations().filter((m) => !done.has(m.tag)).map((m) => m.tag);
    const engine = db.engine === 'postgres' ? 'PostgreSQL' : 'PGlite';
    if (pending.length > 0) {
      return fail(title, `${engine} nås, men ${pending.length} migrering(ar) saknas (${pending.join(', ')}). Starta tjänsten (migreringar körs vid start) med en roll som äger tabellerna.`);
    }
    return pass(title, `${engine} nås och alla ${done.size} migreringar är körda.`);
  } catch (err) {
    return fail(title, `nås inte (${reason(err)}). Kontrollera DATABASE_URL: värd, port, användare, lösenord och databasnamn.`);
  } finally {
    await handle?.close().catch(() => {});
  }
}

/** A bounded IMAP client for one check. */
function imapClient(imap: NonNullable<Config['mail']['imap']>): ImapFlow {
  const client = new ImapFlow({
    host: imap.host, port: imap.port, secure: imap.secure,
    auth: { user: imap.user, pass: imap.password },
    logger: false, disableAutoIdle: true,
    connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS,
  });
  // Without an error listener an ImapFlow error would end the process instead of this check.
  client.on('error', () => {});
  return client;
}

async function checkImap(config: Config): Promise<DoctorCheck> {
  const title = 'Brevlåda (IMAP)';
  const imap = config.mail.imap;
  if (!imap) return fail(title, 'IMAP_HOST, IMAP_USER och IMAP_PASSWORD är inte satta: behovsbedömningar läses inte. Sätt dem till den delade brevlådan.');
  const client = imapClient(imap);
  const where = `${imap.host}:${imap.port}`;
  try {
    await withTimeout('IMAP', client.connect());
  } catch (err) {
    const authFailed = (err as { authenticationFailed?: boolean }).authenticationFailed === true;
    return fail(title, authFailed ? `inloggningen som ${imap.user} nekades på ${where}. Kontrollera IMAP_USER och IMAP_PASSWORD.` : `${where} nås inte (${reason(err)}). Kontrollera IMAP_HOST, IMAP_PORT och IMAP_SECURE.`);
  }
  try {
    const folders = new Set((await withTimeout('IMAP', client.list())).map((f) => f.path));
    const wanted = [imap.mailbox, imap.processedFolder, imap.quarantineFolder];
    const missing = wanted.filter((f) => !folders.has(f) && !(f.toUpperCase() === 'INBOX' && folders.has('INBOX')));
    if (missing.length > 0) return fail(title, `inloggad på ${where}, men mapp(ar) saknas: ${missing.join(', ')}. Skapa dem i brevlådan (inget flyttas annars).`);
    return pass(title, `inloggad som ${imap.user} på ${where}; ${wanted.join(', ')} finns.`);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

async function checkSmtp(config: Config): Promise<DoctorCheck> {
  const title = 'Utgående e-post (SMTP)';
  const smtp = config.mail.smtp;
  if (!smtp || !config.mail.from) return fail(title, 'SMTP_HOST och MAIL_FROM är inte satta: inga mejl skickas. Sätt dem till kommunens e-postserver.');
  const where = `${smtp.host}:${smtp.port}`;
  // The doctor demands TLS even where the service would fall back to plain text: BB mail
  // carries prices and personal data.
  const transport = nodemailer.createTransport({
    host: smtp.host, port: smtp.port, secure: smtp.secure, requireTLS: !smtp.secure,
    ...(smtp.user === undefined ? {} : { auth: { user: smtp.user, pass: smtp.password ?? '' } }),
    connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS,
  });
  try {
    await withTimeout('SMTP', transport.verify());
    return pass(title, `${where} nås med TLS${smtp.user ? ` och inloggning som ${smtp.user}` : ''}.`);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EAUTH') return fail(title, `${where} nekade inloggningen. Kontrollera SMTP_USER och SMTP_PASSWORD.`);
    if (code === 'ETLS' || /STARTTLS|TLS|certificate|self.signed/i.test(reason(err))) {
      return fail(title, `${where} nås men inte med giltig TLS (${reason(err)}). Använd port 465 med SMTP_SECURE=true, eller en server som erbjuder STARTTLS med ett giltigt certifikat.`);
    }
    return fail(title, `${where} nås inte (${reason(err)}). Kontrollera SMTP_HOST och SMTP_PORT.`);
  } finally {
    transport.close();
  }
}

/** How many of the newest mails per folder the sender-authentication check looks at. */
const AUTH_SAMPLE = 20;

/**
 * The sender check as the service will make it. With a gateway's authserv-id, recent mail in the
 * mailbox must carry that gateway's Authentication-Results (a wrong id quarantines every BB); without
 * one, the service verifies DKIM and DMARC itself and needs DNS and the municipality's own records.
 */
async function checkMailAuth(config: Config): Promise<DoctorCheck> {
  const title = 'Avsändarkontroll';
  const { policy, servId } = config.mail.auth;
  if (policy === 'none') return fail(title, 'MAIL_AUTH_POLICY=none: vem som helst kan skicka en behovsbedömning i en kollegas namn. Sätt MAIL_AUTH_POLICY=dmarc.');
  if (servId !== undefined) return checkGatewayStamp(config, title, servId);
  const domain = config.mail.from?.split('@')[1]?.toLowerCase() ?? config.mail.internalDomains[0];
  if (domain === undefined) return fail(title, 'MAIL_FROM är inte satt: kommunens domän att kontrollera saknas.');
  try {
    const { promises: dns } = await import('node:dns');
    const records = (await withTimeout('DNS', dns.resolveTxt(`_dmarc.${domain}`))).map((parts) => parts.join(''));
    if (!records.some((r) => /^v=DMARC1\b/i.test(r))) {
      return fail(title, `_dmarc.${domain} har ingen DMARC-post: kollegors mejl kan inte verifieras med MAIL_AUTH_POLICY=${policy}. Publicera en DMARC-post, eller sätt MAIL_AUTH_SERVID till e-postgatewayens authserv-id.`);
    }
    return pass(title, `${policy.toUpperCase()} kontrolleras här; DNS nås och ${domain} publicerar en DMARC-post.`);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') {
      return fail(title, `_dmarc.${domain} har ingen DMARC-post: kollegors mejl kan inte verifieras med MAIL_AUTH_POLICY=${policy}. Publicera en DMARC-post, eller sätt MAIL_AUTH_SERVID till e-postgatewayens authserv-id.`);
    }
    return fail(title, `DNS svarar inte (${reason(err)}): avsändare kan inte verifieras och varje behovsbedömning väntar. Kontrollera serverns DNS, eller sätt MAIL_AUTH_SERVID.`);
  }
}

async function checkGatewayStamp(config: Config, title: string, servId: string): Promise<DoctorCheck> {
  const imap = config.mail.imap;
  if (!imap) return fail(title, `MAIL_AUTH_SERVID=${servId}, men IMAP är inte satt: kan inte se om gatewayen stämplar mejlen.`);
  const client = imapClient(imap);
  let seen = 0;
  let stamped = 0;
  try {
    await withTimeout('IMAP', client.connect());
    for (const folder of [imap.mailbox, imap.processedFolder]) {
      const lock = await withTimeout('IMAP', client.getMailboxLock(folder, { readOnly: true })).catch(() => undefined);
      if (!lock) continue;
      try {
        const exists = client.mailbox === false ? 0 : client.mailbox.exists;
        if (exists === 0) continue;
        const range = `${Math.max(1, exists - AUTH_SAMPLE + 1)}:*`;
        for await (const msg of client.fetch(range, { headers: ['authentication-results'] })) {
          seen += 1;
          const values = (msg.headers?.toString('utf8') ?? '')
            .replace(/\r?\n[ \t]+/g, ' ')
            .split(/\r?\n/)
            .filter((line) => /^authentication-results:/i.test(line))
            .map((line) => line.slice(line.indexOf(':') + 1));
          if (trustedAuthResults(values, servId)) stamped += 1;
        }
      } finally {
        lock.release();
      }
    }
  } catch (err) {
    return fail(title, `brevlådan kunde inte läsas för kontrollen (${reason(err)}).`);
  } finally {
    await client.logout().catch(() => client.close());
  }
  if (seen === 0) return pass(title, `Authentication-Results från ${servId} litas på; brevlådan är tom, så stämpeln kontrolleras när mejl har kommit.`);
  if (stamped === 0) {
    return fail(title, `inget av de ${seen} senaste mejlen bär Authentication-Results från ${servId}: varje behovsbedömning skulle sättas i karantän. Kontrollera MAIL_AUTH_SERVID mot gatewayens rubrik i ett mottaget mejl.`);
  }
  return pass(title, `Authentication-Results från ${servId} litas på; ${stamped} av de ${seen} senaste mejlen bär stämpeln.`);
}

function checkMailRules(config: Config): DoctorCheck {
  const title = 'E-postregler';
  const domains = config.mail.internalDomains;
  if (domains.length === 0) return fail(title, 'MAIL_INTERNAL_DOMAINS är inte satt: inga mejl skickas. Ange kommunens egna domäner, kommaseparerade.');
  const from = config.mail.from?.split('@')[1]?.toLowerCase();
  if (from && !domains.includes(from)) return fail(title, `MAIL_FROM (${config.mail.from ?? ''}) ligger inte i MAIL_INTERNAL_DOMAINS (${domains.join(', ')}). Lägg till domänen.`);
  return pass(title, `mejl med pris går bara till ${domains.join(', ')}.`);
}

/** Group- or world-readable secrets are a finding: anyone on the host could read every personnummer. */
function checkKeys(config: Config, envFile: string): DoctorCheck {
  const title = 'Nycklar och hemligheter';
  const problems: string[] = [];
  const keyFile = path.resolve(config.db.dataDir, 'pnr.key');
  if (config.pnrKeyHex === undefined) problems.push(`PNR_ENCRYPTION_KEY är inte satt (en lokal nyckel i ${keyFile} används). Sätt den, och säkerhetskopiera den skild från databasen.`);
  for (const file of [envFile, keyFile, config.keysFile, config.audit.signingKeyFile]) {
    if (file === undefined || !existsSync(file)) continue;
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) problems.push(`${file} kan läsas av andra (rättigheter ${mode.toString(8)}). Kör: chmod 600 ${file}`);
  }
  return problems.length > 0 ? fail(title, problems.join(' ')) : pass(title, 'personnummernyckeln är satt och nyckelfilerna kan bara läsas av ägaren.');
}

function checkBot(config: Config): DoctorCheck {
  const title = 'Teams-bot';
  const { appId, tenantId, appPassword, appType } = config.bot;
  const missing = [
    appId ? undefined : 'MICROSOFT_APP_ID',
    tenantId ? undefined : 'MICROSOFT_APP_TENANT_ID',
    appPassword || appType === 'UserAssignedMSI' ? undefined : 'MICROSOFT_APP_PASSWORD',
  ].filter((v): v is string => v !== undefined);
  if (missing.length > 0) return fail(title, `${missing.join(', ')} saknas. Ta värdena från appregistreringen i Entra (se README, Drift).`);
  return pass(title, `app-id ${appId ?? ''} i klientorganisationen ${tenantId ?? ''} (${appType}).`);
}

function checkAnonymous(config: Config): DoctorCheck {
  const title = 'Anonymt läge';
  return config.bot.allowAnonymous
    ? fail(title, 'BOT_ALLOW_ANONYMOUS=true: vem som helst kan skriva till boten utan inloggning. Ta bort inställningen.')
    : pass(title, 'av: varje anrop kräver en giltig Bot Framework-token.');
}
