import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GATEWAY_SERVID } from '../support/dkim.ts';
import { createTestSender, sharedMailServices, uniqueAddress, waitForCount } from '../support/mailbox.ts';
import { freePort } from '../support/services/system.ts';
import { createEmptyPostgresDatabase, createPostgresDatabase } from '../support/test-db.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs `boendelotsen doctor` as an operator would, from a directory of its own with its own .env. */
function doctor(cwd: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'boendelotsen.js'), 'doctor'], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

/** An SMTP server offering STARTTLS with a certificate made for this test (trusted through NODE_EXTRA_CA_CERTS). */
async function startTlsSmtp(dir: string): Promise<{ port: number; cert: string; stop: () => Promise<void> }> {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'pipe' });
  if (made.status !== 0) throw new Error(`openssl kunde inte skapa ett testcertifikat: ${made.stderr.toString()}`);
  const port = await freePort();
  const server = new SMTPServer({ key: readFileSync(key), cert: readFileSync(cert), authOptional: true, disabledCommands: ['AUTH'], logger: false });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return { port, cert, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

// Each run starts the CLI as a process (the app's imports through tsx): slow on a busy machine.
describe('npx boendelotsen doctor against the real test servers', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'doctor-'));
  let smtp: Awaited<ReturnType<typeof startTlsSmtp>>;
  let good: Record<string, string>;
  // A mailbox of its own that has received one mail through the gateway, which stamps it.
  const mailbox = uniqueAddress('boendelotsen');

  beforeAll(async () => {
    smtp = await startTlsSmtp(dir);
    const sender = createTestSender(inject('mailSmtpPort'));
    await sender.send({ from: 'ss@kommun.test', to: mailbox, subject: 'Hej' });
    sender.close();
    await waitForCount(sharedMailServices(), mailbox, 'INBOX', 1);
    good = {
      NODE_EXTRA_CA_CERTS: smtp.cert,
      DATABASE_URL: await createPostgresDatabase(),
      PNR_ENCRYPTION_KEY: 'c'.repeat(64),
      IMAP_HOST: '127.0.0.1', IMAP_PORT: String(inject('mailImapPort')), IMAP_SECURE: 'false',
      IMAP_USER: mailbox, IMAP_PASSWORD: inject('mailPassword'),
      SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURE: 'false',
      MAIL_FROM: 'boendelotsen@kommun.test', MAIL_INTERNAL_DOMAINS: 'kommun.test', MAIL_AUTH_SERVID: GATEWAY_SERVID,
      MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555', MICROSOFT_APP_PASSWORD: 'hemligt', MICROSOFT_APP_TENANT_ID: '66666666-7777-8888-9999-000000000000', MICROSOFT_APP_TYPE: 'SingleTenant',
    };
  });
  afterAll(async () => {
    await smtp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes every check on a good configuration and exits 0', async () => {
    const cwd = mkdtempSync(path.join(dir, 'good-'));
    writeFileSync(path.join(cwd, '.env'), 'LOG_LEVEL=warn\n');
    chmodSync(path.join(cwd, '.env'), 0o600);
    const r = await doctor(cwd, good);
    expect(r.out).toContain('Alla 8 kontroller godkända');
    expect(r.out).not.toContain('FEL');
    expect(r.out).toMatch(/OK\s+Databas: PostgreSQL nås och alla \d+ migreringar är körda/);
    expect(r.out).toMatch(/OK\s+Brevlåda \(IMAP\): inloggad som boendelotsen\.[0-9a-f]+@kommun.test .*Processed, Quarantine finns/);
    expect(r.out).toMatch(/OK\s+Utgående e-post \(SMTP\): 127.0.0.1:\d+ nås med TLS/);
    expect(r.out).toMatch(/OK\s+Avsändarkontroll: Authentication-Results från mx.kommun.test litas på; 1 av de 1 senaste mejlen bär stämpeln/);
    expect(r.code).toBe(0);
  });

  it('names what to fix for each broken setting, in Swedish, and exits non-zero', async () => {
    const cwd = mkdtempSync(path.join(dir, 'broken-'));
    writeFileSync(path.join(cwd, '.env'), 'LOG_LEVEL=warn\n');
    chmodSync(path.join(cwd, '.env'), 0o644);
    const r = await doctor(cwd, {
      ...good,
      DATABASE_URL: await createEmptyPostgresDatabase(),
      IMAP_PASSWORD: 'fel-lösenord',
      // The integration tier's relay offers no STARTTLS.
      SMTP_PORT: String(inject('mailSmtpPort')),
      MAIL_INTERNAL_DOMAINS: '',
      MICROSOFT_APP_TENANT_ID: '',
      BOT_ALLOW_ANONYMOUS: 'true',
      MAIL_AUTH_POLICY: 'none',
    });
    expect(r.out).toMatch(/FEL\s+Databas: PostgreSQL nås, men \d+ migrering\(ar\) saknas/);
    expect(r.out).toMatch(/FEL\s+Brevlåda \(IMAP\): inloggningen som boendelotsen\.[0-9a-f]+@kommun.test nekades/);
    expect(r.out).toMatch(/FEL\s+Utgående e-post \(SMTP\): 127.0.0.1:\d+ nås men inte med giltig TLS/);
    expect(r.out).toMatch(/FEL\s+E-postregler: MAIL_INTERNAL_DOMAINS är inte satt/);
    expect(r.out).toMatch(/FEL\s+Nycklar och hemligheter: .*\.env kan läsas av andra \(rättigheter 644\)\. Kör: chmod 600/);
    expect(r.out).toMatch(/FEL\s+Teams-bot: MICROSOFT_APP_TENANT_ID saknas/);
    expect(r.out).toMatch(/FEL\s+Anonymt läge: BOT_ALLOW_ANONYMOUS=true/);
    expect(r.out).toMatch(/FEL\s+Avsändarkontroll: MAIL_AUTH_POLICY=none: vem som helst kan skicka/);
    expect(r.out).toContain('8 av 8 kontroller underkända');
    expect(r.code).toBe(1);
  });

  it('finds a missing folder and an unreachable database', async () => {
    const cwd = mkdtempSync(path.join(dir, 'folders-'));
    const unused = await freePort();
    const r = await doctor(cwd, { ...good, IMAP_QUARANTINE_FOLDER: 'Karantän', DATABASE_URL: `postgres://postgres@127.0.0.1:${unused}/x` });
    expect(r.out).toMatch(/FEL\s+Brevlåda \(IMAP\): inloggad .*mapp\(ar\) saknas: Karantän/);
    expect(r.out).toMatch(/FEL\s+Databas: nås inte/);
    expect(r.code).toBe(1);
  });

  it('finds a gateway id the mailbox never sees, and a domain without DMARC when checking here', async () => {
    const cwd = mkdtempSync(path.join(dir, 'auth-'));
    const wrongGateway = await doctor(cwd, { ...good, MAIL_AUTH_SERVID: 'mx.annan.test' });
    expect(wrongGateway.out).toMatch(/FEL\s+Avsändarkontroll: inget av de 1 senaste mejlen bär Authentication-Results från mx.annan.test/);
    expect(wrongGateway.code).toBe(1);
    // kommun.test has no DMARC record in the system's DNS.
    const { MAIL_AUTH_SERVID: _unused, ...local } = good;
    const noDmarc = await doctor(cwd, local);
    expect(noDmarc.out).toMatch(/FEL\s+Avsändarkontroll: (_dmarc.kommun.test har ingen DMARC-post|DNS svarar inte)/);
    expect(noDmarc.code).toBe(1);
  });
});
