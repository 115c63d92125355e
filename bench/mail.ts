/**
 * npm run bench:mail [-- --mails 1000] [-- --pglite] [-- --senders-in-process] [-- --deliver-locally] [-- --send-concurrency N]
 * Delivers a burst of BB mails over SMTP into a throwaway Dovecot, then starts the mailbox and
 * measures the whole path: IMAP fetch, BB reading (the parser's worker pool), the per-mail
 * transaction, the batched moves, and the distribution mails out over SMTP. The real handler,
 * composed as main.ts composes it: the planeringsledare check, the BB intake with a real case
 * service (cases seeded at their BB step), the routine's distribution mails, the pipeline's
 * settings. Target: at least 40 mails per second end to end on two cores, on PostgreSQL (a
 * throwaway server, as the integration tests start it); --pglite runs it on in-memory PGlite.
 * The SMTP relay runs in a process of its own and answers the final dot once the mail is queued,
 * as a real relay does (startSmtpRelay, 'queued'); the tests' relay delivers before it answers.
 * Only the bot's own mail (the burst) goes into this machine's Dovecot: the distribution is for
 * staff whose mailboxes are on another mail system, so the relay records each mail it passes on
 * (Message-ID, recipients) and the bench checks those against the outbox. --deliver-locally has
 * the relay deliver the distribution into Dovecot too, as before, to compare.
 * Checks that every mail was processed once, moved, and its distribution sent exactly once: the
 * BB with price to four roles (one mail to the four of them) and the copy without price.
 * The mail is sent as main.ts sends it: on PostgreSQL from a thread of its own
 * (mail/send-thread.ts); --senders-in-process keeps the senders on the main thread, to compare.
 * It prints where the machine's CPU went meanwhile (bench/cpu-split.ts): on two shared cores the
 * relay and Dovecot, which deliver the distribution, compete with the app for the same CPU.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { and, eq, ne, sql } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import { loadConfig } from '../config.ts';
import { createDb, type Db, type DbHandle } from '../db/client.ts';
import postgres from 'postgres';
import { startPostgres } from '../test/support/services/postgres.ts';
import { snapshotCpu, splitCpu } from './cpu-split.ts';
import { statementsPer } from './statements.ts';
import { listLedger } from '../db/mail-ledger.ts';
import { createBbReader } from '../mail/bb-reader.ts';
import type { PipelineStage } from '../mail/mail-pipeline.ts';
import { migrate } from '../db/migrate.ts';
import { createPeopleDirectory, upsertPeople } from '../db/people.ts';
import { caseSteps, mailLedger, outbox } from '../db/schema/index.ts';
import { systemClock } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import { createPnrCrypto } from '../lib/pnr-crypto.ts';
import { createBbIntake, findPlaneringsledare } from '../mail/bb-intake.ts';
import { createDefaultMailHandler } from '../mail/handler.ts';
import { createMailboxListener } from '../mail/imap-listener.ts';
import { createSenderAuthenticator } from '../mail/sender-auth.ts';
import { createMailSending } from '../mail/send-thread.ts';
import { createCaseService } from '../services/cases.ts';
import { testDnsResolver } from '../test/support/dkim.ts';
import { countMessages, createTestSender, imapSettings } from '../test/support/mailbox.ts';
import { startDovecot, startSmtpRelayProcess } from '../test/support/services/mail.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { DEFAULT_ROUTINES_DIR, loadRoutineCatalogOrThrow } from '../services/routine-catalog.ts';

const DEFAULTS = loadConfig({});
/** MAIL_SEND_CONCURRENCY: the service's default unless --send-concurrency N asks for another. */
const SEND_CONCURRENCY = (process.argv.includes('--send-concurrency') && Number(process.argv[process.argv.indexOf('--send-concurrency') + 1])) || DEFAULTS.mail.sendConcurrency;

const MAILS = Number(process.argv[process.argv.indexOf('--mails') + 1]) || 1000;
/** postgres (default: a throwaway server, as the integration tests start it) or pglite (in memory). */
const ENGINE = process.argv.includes('--pglite') ? 'pglite' : 'postgres';
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

// Where each accepted mail's time in the send-tail hold goes: filled by the sender's onHold.
const hold = { sends: 0, waitMs: 0, answerMs: 0, markMs: 0 };
/** The event loop's delay while the burst is handled: every step of a send waits for it. */
const loopDelay = monitorEventLoopDelay({ resolution: 5 });

async function main(): Promise<void> {
  const dovecot = await startDovecot();
  const deliverLocally = process.argv.includes('--deliver-locally');
  const relay = await startSmtpRelayProcess({ lmtpPort: dovecot.lmtpPort, ...(deliverLocally ? {} : { forwardExcept: [BOT] }) });
  const pg = ENGINE === 'postgres' ? await startPostgres({ statementStats: true }) : undefined;
  let handle: DbHandle;
  let databaseUrl: string | undefined;
  if (pg) {
    const admin = postgres(pg.adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe('create database bench');
    await admin.end();
    databaseUrl = pg.adminUrl.replace(/\/postgres$/, '/bench');
    handle = await createDb({ url: databaseUrl, poolSize: loadConfig({}).db.poolSize });
    // The statements the server runs while the burst is handled, counted by the server.
    await handle.db.execute(sql`create extension pg_stat_statements`);
  } else {
    handle = await createDb({ dataDir: 'memory://' });
  }
  await migrate(handle);
  const logger = createLogger({ level: 'error', format: 'json', toStderr: true });
  const services = { imapPort: dovecot.imapPort, lmtpPort: dovecot.lmtpPort, smtpPort: relay.port, password: dovecot.password };
  // As main.ts composes it with the default MAIL_SEND_CONCURRENCY: on PostgreSQL in a thread of its own.
  const sending = createMailSending({
    databaseUrl: process.argv.includes('--senders-in-process') ? undefined : databaseUrl, db: handle.db, clock: systemClock, logger,
    settings: { smtp: { host: '127.0.0.1', port: relay.port, secure: false, user: undefined, password: undefined }, from: BOT, internalDomains: ['kommun.test'], concurrency: SEND_CONCURRENCY },
    onHold: (t) => {
      hold.sends += 1;
      hold.waitMs += t.waitMs;
      hold.answerMs += t.answerMs;
      hold.markMs += t.markMs;
    },
  });
  const pnr = createPnrCrypto(randomBytes(32).toString('hex'));
  const cases = createCaseService({ routines: (await loadRoutineCatalogOrThrow(DEFAULT_ROUTINES_DIR, stockholmDate(new Date()))).catalog, db: handle.db, directory: createPeopleDirectory, pnr, clock: systemClock, logger, mailDomain: 'kommun.test' });
  const seeding = performance.now();
  await seedCases(handle.db, cases);
  process.stdout.write(`seeded ${MAILS} cases in ${((performance.now() - seeding) / 1000).toFixed(1)} s\n`);
  const onTimings = (t: { extractionMs: number; totalMs: number }) => {
    timing.extractionMs += t.extractionMs;
    timing.readMs += t.totalMs;
  };
  const stages: Record<PipelineStage, { ms: number; mails: number }> = { fetch: { ms: 0, mails: 0 }, prepare: { ms: 0, mails: 0 }, commit: { ms: 0, mails: 0 }, move: { ms: 0, mails: 0 } };
  const bbReader = createBbReader({ timeoutMs: DEFAULTS.mail.parseTimeoutMs, logger, workers: DEFAULTS.mail.parseWorkers });
  const handler = createDefaultMailHandler({ findPlaneringsledare, actOnBehovsbedomning: createBbIntake({ engine: cases.engine, pnr, logger, clock: systemClock, onTimings, readMail: bbReader.read }) });
  const listener = createMailboxListener({
    handle, imap: imapSettings(services, BOT, { pollIntervalMs: 5_000 }), handler, authenticate: createSenderAuthenticator({ policy: 'dmarc', servId: undefined, arcSealers: [] }, testDnsResolver),
    from: BOT, internalDomains: ['kommun.test'], maxSizeBytes: 25 * 1024 * 1024, clock: systemClock, logger, commitConcurrency: DEFAULTS.mail.commitConcurrency,
    // As main.ts: the BB is read ahead of its transaction, and the case it names is its lane.
    prepare: (mail) => bbReader.prefetch(mail.source).then((read) => (read.result.ok ? (read.result.bb.caseRef ?? undefined) : undefined)),
    onTimings: (stage, ms, mails) => {
      stages[stage].ms += ms;
      stages[stage].mails += mails;
    },
  });
  const sender = createTestSender(relay.port);
  // Each PDF names its own case: a second BB for one case would be refused as not expected.
  const pdfs = await Promise.all(Array.from({ length: MAILS }, (_, n) => (n % 2 === 0 ? Promise.resolve(undefined) : bbPdf(bbText(n)))));
  try {
    // The burst lands in the mailbox first (the municipality's mail server's work, timed apart).
    const d0 = performance.now();
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
    while ((await countMessages(services, BOT, 'INBOX')) < MAILS) await new Promise((r) => setTimeout(r, 100));
    const delivered = performance.now();
    if (pg) await handle.db.execute(sql`select pg_stat_statements_reset()`);
    const t0 = performance.now();
    loopDelay.enable();
    const cpuAtStart = snapshotCpu();
    listener.start();
    sending.start();
    let intakeDone = 0;
    for (;;) {
      // A count, not the rows: the poll should cost the server little while it measures.
      const [recorded] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(mailLedger);
      const ledger = Number(recorded?.n ?? 0);
      if (ledger >= MAILS && !intakeDone) intakeDone = performance.now();
      // Done when every mail is recorded and no mail row (distribution or reply) is left to send.
      const [unsent] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(and(eq(outbox.channel, 'mail'), ne(outbox.status, 'sent')));
      if (intakeDone && Number(unsent?.n ?? 0) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const end = performance.now();
    const cpu = splitCpu(cpuAtStart, snapshotCpu(), { dovecot: Number(readFileSync(path.join(dovecot.dir, 'run', 'master.pid'), 'utf8')), ...(pg ? { postgres: pg.pid() } : {}) });
    const statements = pg ? await serverStatements(handle) : [];
    loopDelay.disable();
    const seconds = (end - t0) / 1000;
    await listener.stop();
    const ledgerRows = await listLedger(handle.db);
    const processed = ledgerRows.filter((r) => r.outcome === 'processed').length;
    const [sent] = await handle.db
      .select({ n: sql<number>`count(*)::int`, addressed: sql<number>`coalesce(sum(jsonb_array_length(${outbox.payload}->'to')), 0)::int` })
      .from(outbox)
      .where(and(eq(outbox.channel, 'mail'), eq(outbox.status, 'sent')));
    // What the relay passed on: every mail marked sent, once, to exactly its envelope (no kill here, so no extra copy).
    const forwarded = await relay.stop();
    const sentRows = await handle.db.select({ messageId: outbox.messageId, payload: outbox.payload }).from(outbox).where(and(eq(outbox.channel, 'mail'), eq(outbox.status, 'sent')));
    const received = new Map<string, string[][]>();
    for (const f of forwarded) received.set(f.messageId, [...(received.get(f.messageId) ?? []), [...f.to].sort()]);
    const envelopeOf = (p: unknown) => {
      const m = p as { envelopeTo?: string[]; to: string[]; cc?: string[] };
      return [...(m.envelopeTo ?? [...m.to, ...(m.cc ?? [])])].sort();
    };
    const passedOnOnce = sentRows.filter((r) => JSON.stringify(received.get(`<${r.messageId.replace(/^<|>$/g, '')}>`) ?? []) === JSON.stringify([envelopeOf(r.payload)])).length;
    const [open] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(caseSteps).where(and(eq(caseSteps.stepId, 'bb_uppf'), eq(caseSteps.status, 'open')));
    const left = await countMessages(services, BOT, 'INBOX');
    const moved = await countMessages(services, BOT, 'Processed');
    const checks = [
      [`every mail recorded once (${ledgerRows.length} ledger rows, ${new Set(ledgerRows.map((r) => r.uid)).size} distinct)`, ledgerRows.length === MAILS && new Set(ledgerRows.map((r) => r.uid)).size === MAILS],
      [`every mail processed (${processed})`, processed === MAILS],
      [`every BB step completed (${open?.n ?? '?'} still open)`, Number(open?.n ?? -1) === 0],
      [`every mail moved (${moved} in Processed, ${left} left in INBOX)`, moved === MAILS && left === 0],
      [`two mails sent per BB to five recipients, once each (${Number(sent?.n ?? 0)} sent, ${Number(sent?.addressed ?? 0)} recipients)`, Number(sent?.n ?? 0) === MAILS * 2 && Number(sent?.addressed ?? 0) === MAILS * 5],
      ...(deliverLocally
        ? []
        : ([[`the relay passed on each sent mail once, to its recipients (${passedOnOnce} of ${sentRows.length}; ${forwarded.length} passed on)`, passedOnOnce === sentRows.length && forwarded.length === sentRows.length]] as const)),
    ] as const;
    const stage = (name: PipelineStage) => `${name} ${(stages[name].ms / 1000).toFixed(1)} s over ${stages[name].mails} mails (${(stages[name].ms / Math.max(1, stages[name].mails)).toFixed(1)} ms each)`;
    process.stdout.write(
      [
        `engine: ${ENGINE}; mails: ${MAILS} (half pasted text, half PDF); parse workers ${DEFAULTS.mail.parseWorkers}, commits side by side ${DEFAULTS.mail.commitConcurrency}, SMTP senders ${SEND_CONCURRENCY}`,
        `burst delivered into the mailbox (SMTP → Dovecot, not timed below) in ${((delivered - d0) / 1000).toFixed(1)} s`,
        `intake done (all recorded and moved) after ${((intakeDone - t0) / 1000).toFixed(1)} s: ${(MAILS / ((intakeDone - t0) / 1000)).toFixed(1)} mails/s`,
        `end to end (distribution sent) ${seconds.toFixed(1)} s: ${(MAILS / seconds).toFixed(1)} mails/s${ENGINE === 'postgres' ? ` (target ≥ 40) ${MAILS / seconds >= 40 ? 'OK' : 'UNDER TARGET'}` : ' (no target on PGlite)'}`,
        `where the time goes (summed per stage; stages overlap): ${stage('fetch')}; ${stage('prepare')}; ${stage('commit')}; ${stage('move')}`,
        `text extraction: ${(timing.extractionMs / 1000).toFixed(1)} s; whole BB read in the workers (MIME walk + extraction + parse) ${(timing.readMs / 1000).toFixed(1)} s`,
        `send-tail hold, per accepted mail (${hold.sends}; one mail at a time is between its final dot and its row marked sent): waited for it ${perSend(hold.waitMs)} ms; final dot to the server's answer ${perSend(hold.answerMs)} ms; answer to row marked sent ${perSend(hold.markMs)} ms`,
        `CPU meanwhile, ms per mail: this process (every thread) ${perMail(cpu.bench)}, the SMTP relay ${perMail(cpu.children)}, PostgreSQL ${perMail(cpu.postgres)}, Dovecot ${perMail(cpu.dovecot)} (${[...cpu.dovecotBy].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([name, ms]) => `${name} ${perMail(ms)}`).join(', ')}); elsewhere on the machine (not this bench) ${(cpu.elsewhere / 1000).toFixed(1)} s in ${seconds.toFixed(1)} s (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`,
        `event-loop delay meanwhile: mean ${(loopDelay.mean / 1e6).toFixed(1)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms`,
        ...(ENGINE === 'postgres' ? [roundTrips(statements)] : []),
        ...checks.map(([what, ok]) => `check: ${what}: ${ok ? 'OK' : 'FAILED'}`),
        '',
      ].join('\n'),
    );
    if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  } finally {
    await listener.stop();
    await bbReader.close();
    await sending.stop();
    sender.close();
    await handle.close();
    await relay.stop();
    await dovecot.stop();
    pg?.stop();
  }
}

function perMail(ms: number): string {
  return (ms / MAILS).toFixed(1);
}

function perSend(ms: number): string {
  return (ms / Math.max(1, hold.sends)).toFixed(1);
}

/** What the server ran in the bench's database since the reset, by statement (parameters as $n). */
async function serverStatements(handle: DbHandle): Promise<Array<{ query: string; calls: number }>> {
  const rows = await handle.query<{ query: string; calls: string }>(
    sql`select query, calls from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat_statements%'`,
  );
  return rows.map((r) => ({ query: r.query, calls: Number(r.calls) }));
}

/** Database round trips per mail (including the bench's own progress polls), by statement. */
function roundTrips(statements: Array<{ query: string; calls: number }>): string {
  const per = statementsPer(statements, MAILS);
  return `database round trips (counted by the server, pg_stat_statements): ${per.total.toFixed(1)} per mail; per mail, by statement:\n${per.table}`;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:mail misslyckades: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
