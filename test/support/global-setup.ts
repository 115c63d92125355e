import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { scanCapturedLogs } from './log-scan.ts';
import postgres from 'postgres';
import { createDb } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { startDovecot, startSmtpRelay } from './services/mail.ts';
import { startPostgres } from './services/postgres.ts';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation needs an interface
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    /** Dovecot on 127.0.0.1: any address is a mailbox, all with the one password. */
    mailImapPort: number;
    mailLmtpPort: number;
    mailPassword: string;
    /** SMTP on 127.0.0.1 that delivers into Dovecot over LMTP (reject-5xx@ / defer-4xx@ fail). */
    mailSmtpPort: number;
    /** Where test processes write every log line (support/log-capture.ts); scanned at the end. */
    logCaptureDir: string;
  }
}

export const TEMPLATE_DB = 'boendelotsen_template';

/**
 * Starts the real parts the integration tier needs, once per run: a PostgreSQL server with a
 * migrated template database that each test file clones (tens of ms, as immich does), and a
 * Dovecot (IMAP + LMTP) with an SMTP relay in front of it for the mail tests.
 * Anything missing that cannot be installed fails the run here, loudly.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The app under test runs as in production: compiled JavaScript from dist/.
  const built = spawnSync(process.execPath, [fileURLToPath(new URL('../../bin/ensure-build.js', import.meta.url)), '--if-stale'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('Bygget av dist/ misslyckades: se utskriften ovan.');
  const logCaptureDir = mkdtempSync(path.join(tmpdir(), 'boendelotsen-logs-'));
  project.provide('logCaptureDir', logCaptureDir);
  const pg = await startPostgres();
  const admin = postgres(pg.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const handle = await createDb({ url: pg.adminUrl.replace(/\/postgres$/, `/${TEMPLATE_DB}`), poolSize: 1 });
  await migrate(handle);
  await handle.close();

  project.provide('pgAdminUrl', pg.adminUrl);
  project.provide('pgTemplate', TEMPLATE_DB);

  const dovecot = await startDovecot();
  const smtp = await startSmtpRelay({ lmtpPort: dovecot.lmtpPort });
  project.provide('mailImapPort', dovecot.imapPort);
  project.provide('mailLmtpPort', dovecot.lmtpPort);
  project.provide('mailPassword', dovecot.password);
  project.provide('mailSmtpPort', smtp.port);

  return async () => {
    await smtp.stop();
    await dovecot.stop();
    pg.stop();
    // Logs carry no data: one line with a personnummer, a client's name or mail text fails the run.
    const scan = scanCapturedLogs(logCaptureDir);
    if (scan.findings.length > 0) {
      const shown = scan.findings.slice(0, 20).map((f) => `  ${path.join(logCaptureDir, f.file)}:${f.line}: ${f.what}`);
      throw new Error(`Loggarna innehåller personuppgifter (${scan.findings.length} rader av ${scan.lines}):\n${shown.join('\n')}`);
    }
    rmSync(logCaptureDir, { recursive: true, force: true });
  };
}
