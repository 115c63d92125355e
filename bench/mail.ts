/**
 * npm run bench:mail [-- --mails 1000]
 * Delivers BB mails over SMTP into a throwaway Dovecot and measures the whole path: IMAP intake,
 * BB reading, the ledger transaction, the move, and the distribution mails out over SMTP.
 * The real handler, composed as main.ts composes it: the planeringsledare check, the BB intake
 * with a real case service (cases seeded at their BB step), the routine's distribution mails.
 * Target (issue 5): at least 20 mails per second on two cores. Database: in-memory PGlite.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { and, eq, ne, sql } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import { loadConfig } from '../config.ts';
import { createDb, type Db } from '../db/client.ts';
import { listLedger } from '../db/mail-ledger.ts';
import { migrate } from '../db/migrate.ts';
import { createPeopleDirectory, upsertPeople } from '../db/people.ts';
import { outbox } from '../db/schema/index.ts';
import { systemClock } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import { createOutboxWorker } from '../services/outbox-worker.ts';
import { createPnrCrypto } from '../lib/pnr-crypto.ts';
import { createBbIntake, isPlaneringsledare } from '../mail/bb-intake.ts';
import { createDefaultMailHandler } from '../mail/handler.ts';
import { createMailboxListener } from '../mail/imap-listener.ts';
import { createSenderAuthenticator } from '../mail/sender-auth.ts';
import { createSmtpSender } from '../mail/smtp-sender.ts';
import { createCaseService } from '../services/cases.ts';
import { testDnsResolver } from '../test/support/dkim.ts';
import { createTestSender, imapSettings } from '../test/support/mailbox.ts';
import { startDovecot, startSmtpRelay } from '../test/support/services/mail.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { DEFAULT_ROUTINES_DIR, loadRoutineCatalogOrThrow } from '../services/routine-catalog.ts';

const SEND_CONCURRENCY = loadConfig({}).mail.sendConcurrency;

const MAILS = Number(process.argv[process.argv.indexOf('--mails') + 1]) || 1000;
const BOT = 'boendelotsen@kommun.test';
const PLANERINGSLEDARE = 'pl.karin@kommun.test';
/** Skatteverket's test personnummer: every seeded case and every BB carry it. */
const PNR = '191212121212';
const caseRefOf = (i: number) => `FF-2026-${String(i).padStart(4, '0')}`;

/** Fictional BB text (Skatteverket's test personnummer). */
function bbText(i: number): string {
  return [
    'Behovsbedömning – ramavtal bostad med särskild service (BmSS)', '',
    'Typ: Uppföljande', `Ref: ${caseRefOf(i)}`, 'Namn: Tolvan Tolvansson', 'Pnr: 19121212-1212',
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

// Where the time goes inside the intake: filled by createBbIntake's onTimings hook.
const timing = { extractionMs: 0, readMs: 0 };

const STAFF = [
  { id: 'pl-karin', email: PLANERINGSLEDARE, role: 'planeringsledare' },
  { id: 'soc', email: 'handlaggare@kommun.test', role: 'socialsekreterare' },
  { id: 'adm', email: 'socialadministrator@kommun.test', role: 'socialadministrator' },
  { id: 'link', email: 'link@kommun.test', role: 'link_samordnare' },
  { id: 'ec', email: 'enhetschef@kommun.test', role: 'enhetschef_myndighet' },
] as const;

/**
 * One ramavtal case per mail, in phase uppföljande (its BB step opens at phase start), with
 * the staff above on every role: the mails the bench sends then complete a step each and fan
 * out as in production (with price to four roles, the copy without price to the handläggare).
 */
async function seedCases(db: Db, cases: ReturnType<typeof createCaseService>): Promise<void> {
  await upsertPeople(db, STAFF.map((p) => ({ id: p.id, email: p.email, name: `Bänk ${p.role}`, roles: [p.role] })));
  const roles = Object.fromEntries(STAFF.map((p) => [p.role, p.id]));
  for (let i = 0; i < MAILS; i++) {
    const started = await cases.startCase({ routineId: 'ramavtal-bb', phase: 'uppfoljande', caseRef: caseRefOf(i), clientInitials: 'T.T.', personnummer: PNR, legalBasis: 'LSS 9 § 9', roles, facts: {} }, 'soc');
    if (!started.ok) throw new Error(`case ${caseRefOf(i)} not started: ${started.message}`);
  }
}

async function main(): Promise<void> {
  const dovecot = await startDovecot();
  const relay = await startSmtpRelay({ lmtpPort: dovecot.lmtpPort });
  const handle = await createDb({ dataDir: 'memory://' });
  await migrate(handle);
  const logger = createLogger({ level: 'error', format: 'json', toStderr: true });
  const services = { imapPort: dovecot.imapPort, lmtpPort: dovecot.lmtpPort, smtpPort: relay.port, password: dovecot.password };
  const smtp = createSmtpSender({ smtp: { host: '127.0.0.1', port: relay.port, secure: false, user: undefined, password: undefined }, from: BOT, internalDomains: ['kommun.test'], db: handle.db, clock: systemClock, logger, maxConnections: SEND_CONCURRENCY });
  // The same worker settings as main.ts.
  // The same as main.ts with the default MAIL_SEND_CONCURRENCY.
  const workers = Array.from({ length: SEND_CONCURRENCY }, () => createOutboxWorker({ db: handle.db, channel: 'mail', deliver: smtp.deliver, clock: systemClock, logger, batchSize: 20, intervalMs: 250 }));
  const pnr = createPnrCrypto(randomBytes(32).toString('hex'));
  const cases = createCaseService({ routines: (await loadRoutineCatalogOrThrow(DEFAULT_ROUTINES_DIR, stockholmDate(new Date()))).catalog, db: handle.db, directory: createPeopleDirectory, pnr, clock: systemClock, logger, mailDomain: 'kommun.test' });
  const seeding = performance.now();
  await seedCases(handle.db, cases);
  process.stdout.write(`seeded ${MAILS} cases in ${((performance.now() - seeding) / 1000).toFixed(1)} s\n`);
  const onTimings = (t: { extractionMs: number; totalMs: number }) => {
    timing.extractionMs += t.extractionMs;
    timing.readMs += t.totalMs;
  };
  const handler = createDefaultMailHandler({ isPlaneringsledare, actOnBehovsbedomning: createBbIntake({ engine: cases.engine, pnr, logger, clock: systemClock, onTimings }) });
  const listener = createMailboxListener({ handle, imap: imapSettings(services, BOT, { pollIntervalMs: 5_000 }), handler, authenticate: createSenderAuthenticator({ policy: 'dmarc', servId: undefined, arcSealers: [] }, testDnsResolver), from: BOT, internalDomains: ['kommun.test'], maxSizeBytes: 25 * 1024 * 1024, clock: systemClock, logger });
  const sender = createTestSender(relay.port);
  // Each PDF names its own case: a second BB for one case would be refused as not expected.
  const pdfs = await Promise.all(Array.from({ length: MAILS }, (_, n) => (n % 2 === 0 ? Promise.resolve(undefined) : bbPdf(bbText(n)))));
  try {
    listener.start();
    for (const w of workers) w.start();
    const t0 = performance.now();
    for (let i = 0; i < MAILS; i += 20) {
      await Promise.all(Array.from({ length: Math.min(20, MAILS - i) }, (_, j) => {
        const n = i + j;
        // Half pasted into the body, half as a PDF attachment, as planeringsledare send them.
        const pdf = pdfs[n];
        return pdf === undefined
          ? sender.send({ from: PLANERINGSLEDARE, to: BOT, subject: 'Behovsbedömning', text: bbText(n) })
          : sender.send({ from: PLANERINGSLEDARE, to: BOT, subject: 'Behovsbedömning', text: 'Se bifogad BB.', attachments: [{ filename: 'bb.pdf', content: pdf, contentType: 'application/pdf' }] });
      }));
    }
    const delivered = performance.now();
    let intakeDone = 0;
    for (;;) {
      const ledger = (await listLedger(handle.db)).length;
      if (ledger >= MAILS && !intakeDone) intakeDone = performance.now();
      // Done when every mail is recorded and no mail row (distribution or reply) is left to send.
      const [unsent] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(and(eq(outbox.channel, 'mail'), ne(outbox.status, 'sent')));
      if (intakeDone && Number(unsent?.n ?? 0) === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const end = performance.now();
    const seconds = (end - t0) / 1000;
    const processed = (await listLedger(handle.db, { outcome: 'processed' })).length;
    const [sent] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(and(eq(outbox.channel, 'mail'), eq(outbox.status, 'sent')));
    process.stdout.write(
      [
        `mails: ${MAILS} (${processed} processed, BB step completed; ${Number(sent?.n ?? 0)} mails sent out)`,
        `delivered into SMTP in ${((delivered - t0) / 1000).toFixed(1)} s`,
        `intake done (all recorded and moved) after ${((intakeDone - t0) / 1000).toFixed(1)} s`,
        `end to end (distribution sent) ${seconds.toFixed(1)} s: ${(MAILS / seconds).toFixed(1)} mails/s`,
        `text extraction: ${(timing.extractionMs / 1000).toFixed(1)} s = ${((100 * timing.extractionMs) / (end - t0)).toFixed(1)} % of wall time; whole BB read (MIME walk + extraction + parse) ${(timing.readMs / 1000).toFixed(1)} s = ${((100 * timing.readMs) / (end - t0)).toFixed(1)} %`,
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
