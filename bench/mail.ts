/**
 * npm run bench:mail [-- --mails 1000]
 * Delivers BB mails over SMTP into a throwaway Dovecot and measures the whole path: IMAP intake,
 * BB reading, the ledger transaction, the move, and the distribution mails out over SMTP.
 * Target (issue 5): at least 20 mails per second on two cores. Database: in-memory PGlite.
 */
import { performance } from 'node:perf_hooks';
import PDFDocument from 'pdfkit';
import { createDb } from '../db/client.ts';
import { listLedger } from '../db/mail-ledger.ts';
import { migrate } from '../db/migrate.ts';
import { outbox } from '../db/schema/index.ts';
import { systemClock } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import { createOutboxWorker } from '../lib/outbox-worker.ts';
import { createDefaultMailHandler, type IncomingMailHandler } from '../mail/handler.ts';
import { createMailboxListener } from '../mail/imap-listener.ts';
import { enqueueMail } from '../mail/outbox-mail.ts';
import { readBehovsbedomningFromMail } from '../mail/read-behovsbedomning.ts';
import { createSmtpSender } from '../mail/smtp-sender.ts';
import { createTestSender, imapSettings } from '../test/support/mailbox.ts';
import { startDovecot, startSmtpRelay } from '../test/support/services/mail.ts';

const MAILS = Number(process.argv[process.argv.indexOf('--mails') + 1]) || 1000;
const BOT = 'boendelotsen@kommun.test';
const ROLES = ['socialadministrator@kommun.test', 'link@kommun.test', 'handlaggare@kommun.test'];

/** Fictional BB text (Skatteverket's test personnummer). */
function bbText(i: number): string {
  return [
    'Behovsbedömning – ramavtal bostad med särskild service (BmSS)', '',
    'Typ: Inför köp', `Ref: FF-2026-${String(i % 10_000).padStart(4, '0')}`, 'Namn: Tolvan Tolvansson', 'Pnr: 19121212-1212',
    'Insats: Bostad med särskild service för vuxna enligt LSS 9 § 9', 'Leverantör: Vardagsstöd AB', 'Enhet: Gruppbostaden Eken',
    'Datum: 2026-03-02', 'Bedömare: Karin Lund', '', 'Prisuppgift', 'Poäng totalt: 2,15', 'Boendepris/dygn: 2190 kr', 'Dygnspris: 4708,50 kr', 'Undantag: Nej',
  ].join('\n');
}

function bbPdf(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument();
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    for (const line of text.split('\n')) doc.text(line);
    doc.end();
  });
}

// Where the time goes inside the handler: filled by the BB hook below.
const timing = { extractionMs: 0, readMs: 0 };

/**
 * THE BB HOOK: stands in for the lead's real handler (match the case, complete the step,
 * distribute to the case's roles). Swap in the real one here and the figures follow.
 */
const bbHandler: IncomingMailHandler = createDefaultMailHandler({
  isPlaneringsledare: () => Promise.resolve(true),
  actOnBehovsbedomning: async (tx, mail) => {
    const intake = await readBehovsbedomningFromMail(mail.source);
    timing.extractionMs += intake.timings.extractionMs;
    timing.readMs += intake.timings.totalMs;
    if (!intake.result.ok) return { outcome: 'quarantined', reason: 'not_a_bb', missingFields: intake.result.missing };
    const ref = `${mail.key.uidValidity}|${mail.key.uid}`;
    for (const to of ROLES) {
      await enqueueMail(tx, { key: `bench:${ref}:${to}`, to: [to], caseRef: intake.result.bb.caseRef, subject: `Behovsbedömning ${intake.result.bb.caseRef}`, text: 'BB med pris.', html: '<p>BB med pris.</p>' }, { from: BOT, now: systemClock.now() });
    }
    return { outcome: 'processed', caseRef: intake.result.bb.caseRef };
  },
});

async function main(): Promise<void> {
  const dovecot = await startDovecot();
  const relay = await startSmtpRelay({ lmtpPort: dovecot.lmtpPort });
  const handle = await createDb({ dataDir: 'memory://' });
  await migrate(handle);
  const logger = createLogger({ level: 'error', format: 'json', toStderr: true });
  const services = { imapPort: dovecot.imapPort, lmtpPort: dovecot.lmtpPort, smtpPort: relay.port, password: dovecot.password };
  const smtp = createSmtpSender({ smtp: { host: '127.0.0.1', port: relay.port, secure: false, user: undefined, password: undefined }, from: BOT, internalDomains: ['kommun.test'], db: handle.db, clock: systemClock, logger });
  // The same worker settings as main.ts.
  const workers = [1, 2].map(() => createOutboxWorker({ db: handle.db, channel: 'mail', deliver: smtp.deliver, clock: systemClock, logger, batchSize: 20, intervalMs: 250 }));
  const listener = createMailboxListener({ handle, imap: imapSettings(services, BOT, { pollIntervalMs: 5_000 }), handler: bbHandler, from: BOT, internalDomains: ['kommun.test'], maxSizeBytes: 25 * 1024 * 1024, clock: systemClock, logger });
  const sender = createTestSender(relay.port);
  const pdf = await bbPdf(bbText(1));
  try {
    listener.start();
    for (const w of workers) w.start();
    const t0 = performance.now();
    for (let i = 0; i < MAILS; i += 20) {
      await Promise.all(Array.from({ length: Math.min(20, MAILS - i) }, (_, j) => {
        const n = i + j;
        // Half pasted into the body, half as a PDF attachment, as planeringsledare send them.
        return n % 2 === 0
          ? sender.send({ from: 'pl.karin@kommun.test', to: BOT, subject: 'Behovsbedömning', text: bbText(n) })
          : sender.send({ from: 'pl.karin@kommun.test', to: BOT, subject: 'Behovsbedömning', text: 'Se bifogad BB.', attachments: [{ filename: 'bb.pdf', content: pdf, contentType: 'application/pdf' }] });
      }));
    }
    const delivered = performance.now();
    let intakeDone = 0;
    for (;;) {
      const ledger = (await listLedger(handle.db)).length;
      if (ledger >= MAILS && !intakeDone) intakeDone = performance.now();
      const rows = await handle.db.select({ status: outbox.status }).from(outbox);
      if (intakeDone && rows.length >= ledger * ROLES.length && rows.every((r) => r.status === 'sent')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const end = performance.now();
    const seconds = (end - t0) / 1000;
    const processed = (await listLedger(handle.db, { outcome: 'processed' })).length;
    process.stdout.write(
      [
        `mails: ${MAILS} (${processed} processed, ${ROLES.length} distribution mails each)`,
        `delivered into SMTP in ${((delivered - t0) / 1000).toFixed(1)} s`,
        `intake done (all recorded and moved) after ${((intakeDone - t0) / 1000).toFixed(1)} s`,
        `end to end (distribution sent) ${seconds.toFixed(1)} s: ${(MAILS / seconds).toFixed(1)} mails/s`,
        `text extraction: ${(timing.extractionMs / 1000).toFixed(1)} s = ${((100 * timing.extractionMs) / (end - t0)).toFixed(1)} % of wall time; whole BB read ${((100 * timing.readMs) / (end - t0)).toFixed(1)} %`,
        '',
      ].join('\n'),
    );
  } finally {
    await listener.stop();
    for (const w of workers) await w.stop();
    smtp.close();
    sender.close();
    await handle.close();
    await relay.stop();
    await dovecot.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:mail misslyckades: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
