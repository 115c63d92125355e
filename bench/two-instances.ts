/**
 * npm run bench:two [-- --mails 300 --users 200]
 * Two app processes (the built JavaScript, `node bin/boendelotsen.js`, as production runs it)
 * against one throwaway PostgreSQL server, one Dovecot mailbox and one SMTP relay on loopback:
 * 1. the bot: people asking "mina uppgifter" against one instance, then spread over both
 *    (anonymous mode, replies to a fake Bot Connector): combined throughput against one;
 * 2. the mailbox: a burst of BB mails; whichever instance holds the mailbox reads it; the holder
 *    is killed (SIGKILL) a third of the way through: the time until the other takes over;
 * 3. no doubled and no lost work: every mail recorded and moved once, five distribution mails per
 *    BB queued once and sent; the sweeps of both instances ran over the same late steps: each
 *    was escalated to the manager in Teams, and no Teams message arrived twice.
 * Both apps run at a training clock (CLOCK_START) a month ahead. After the bot's bursts each
 * person's case moves on to a step with a deadline (kontaktuppgifter, opened today by real time),
 * which is long past at the apps' clock, so both instances' sweeps find every one of them to escalate.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createDb } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { listLedger } from '../db/mail-ledger.ts';
import { createPeopleDirectory, upsertPeople } from '../db/people.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { systemClock } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import { createPnrCrypto } from '../lib/pnr-crypto.ts';
import { createCaseService } from '../services/cases.ts';
import { DEFAULT_ROUTINES_DIR, loadRoutineCatalogOrThrow } from '../services/routine-catalog.ts';
import { startApp as startTestApp, type AppProcess } from '../test/support/app-process.ts';
import { message, teamsUser, type TeamsUser } from '../test/support/bot-activities.ts';
import { GATEWAY_SERVID } from '../test/support/dkim.ts';
import { startFakeConnector } from '../test/support/fake-connector.ts';
import { countMessages, createTestSender } from '../test/support/mailbox.ts';
import { startDovecot, startSmtpRelay } from '../test/support/services/mail.ts';
import { startPostgres } from '../test/support/services/postgres.ts';

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const MAILS = arg('mails', 300);
const USERS = arg('users', 200);
const ASKS = 3;
const BOT = 'boendelotsen@kommun.test';
const PL = 'pl.karin@kommun.test';
const PNR = '191212121212';
const KEY = randomBytes(32).toString('hex');
const mailRef = (i: number) => `FF-2026-${String(i).padStart(4, '0')}`;
const botRef = (i: number) => `BOT-2026-${String(i).padStart(4, '0')}`;
const personId = (i: number) => `bench-${i}`;
const STAFF = [
  { id: 'pl-karin', email: PL, role: 'planeringsledare' },
  { id: 'adm', email: 'socialadministrator@kommun.test', role: 'socialadministrator' },
  { id: 'link', email: 'link@kommun.test', role: 'link_samordnare' },
  { id: 'ec', email: 'enhetschef@kommun.test', role: 'enhetschef_myndighet' },
  { id: 'soc', email: 'handlaggare@kommun.test', role: 'socialsekreterare' },
] as const;

function bbText(i: number): string {
  return [
    'Behovsbedömning – ramavtal bostad med särskild service (BmSS)', '', 'Typ: Uppföljande', `Ref: ${mailRef(i)}`, 'Namn: Tolvan Tolvansson', 'Pnr: 19121212-1212',
    'Insats: Bostad med särskild service för vuxna enligt LSS 9 § 9', 'Leverantör: Vardagsstöd AB', 'Enhet: Gruppbostaden Eken', 'Datum: 2026-03-02', 'Bedömare: Karin Lund', '',
    'Prisuppgift', 'Poäng totalt: 2,15', 'Boendepris/dygn: 2190 kr', 'Dygnspris: 4708,50 kr', 'Undantag: Nej',
  ].join('\n');
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)] ?? 0;
const holdsMailbox = (app: AppProcess) => app.output().includes('"code":"MAILBOX_ACQUIRED"');
/** The production command (`node bin/boendelotsen.js`) on a free port, once /healthz answers. */
const startApp = (env: Record<string, string>) => startTestApp(env, { healthyWithinMs: 120_000, captureLogs: false });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const pg = await startPostgres();
  const dovecot = await startDovecot();
  const relay = await startSmtpRelay({ lmtpPort: dovecot.lmtpPort });
  const connector = await startFakeConnector();
  const apps: AppProcess[] = [];
  try {
    const admin = postgres(pg.adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe('create database bench');
    await admin.end();
    const url = pg.adminUrl.replace(/\/postgres$/, '/bench');
    const handle = await createDb({ url, poolSize: 10 });
    await migrate(handle);
    const logger = createLogger({ level: 'error', format: 'json', toStderr: true });
    const cases = createCaseService({ routines: (await loadRoutineCatalogOrThrow(DEFAULT_ROUTINES_DIR, stockholmDate(new Date()))).catalog, db: handle.db, directory: createPeopleDirectory, pnr: createPnrCrypto(KEY), clock: systemClock, logger, mailDomain: 'kommun.test' });
    const users = Array.from({ length: USERS }, (_, i) => teamsUser(5000 + i, `Person ${i}`));
    // The people's manager, in Teams too: the escalations of their late steps go to her chat.
    const manager = teamsUser(4999, 'Bänk enhetschef');
    await upsertPeople(handle.db, [
      ...STAFF.map((p) => ({ id: p.id, email: p.email, name: `Bänk ${p.role}`, roles: [p.role], area: 'Norr', ...(p.id === 'ec' ? { aadObjectId: manager.aadObjectId } : {}) })),
      ...users.map((u, i) => ({ id: personId(i), aadObjectId: u.aadObjectId, email: `person${i}@kommun.test`, name: u.name, roles: ['socialsekreterare', 'enhetschef_myndighet'], area: 'Norr', managerId: 'ec' })),
    ]);
    const roles = Object.fromEntries(STAFF.map((p) => [p.role, p.id]));
    const seed0 = performance.now();
    // A case per person (its first step waits on them), and a case per mail waiting for its BB.
    for (let i = 0; i < USERS; i++) {
      const r = await cases.startCase({ routineId: 'ramavtal-bb', phase: 'infor_kop', caseRef: botRef(i), clientInitials: 'E.B.', personnummer: PNR, legalBasis: 'LSS 9 § 9', roles: { ...roles, enhetschef_myndighet: personId(i), socialsekreterare: personId(i) } }, personId(i));
      if (!r.ok) throw new Error(`${botRef(i)}: ${r.message}`);
    }
    for (let i = 0; i < MAILS; i++) {
      const r = await cases.startCase({ routineId: 'ramavtal-bb', phase: 'uppfoljande', caseRef: mailRef(i), clientInitials: 'T.T.', personnummer: PNR, legalBasis: 'LSS 9 § 9', roles, facts: {} }, 'soc');
      if (!r.ok) throw new Error(`${mailRef(i)}: ${r.message}`);
    }
    await handle.db.execute(sql`analyze`);
    console.log(`seeded ${USERS} + ${MAILS} cases in ${((performance.now() - seed0) / 1000).toFixed(1)} s`);

    // A Tuesday a month ahead, 08:00 Stockholm: every seeded step is late and the digest is due.
    const clockStart = nextTuesdayAMonthAhead();
    const env = {
      DATABASE_URL: url, NODE_ENV: 'test', LOG_LEVEL: 'info', PNR_ENCRYPTION_KEY: KEY, BOT_ALLOW_ANONYMOUS: 'true', CLOCK_START: clockStart,
      IMAP_HOST: '127.0.0.1', IMAP_PORT: String(dovecot.imapPort), IMAP_SECURE: 'false', IMAP_USER: BOT, IMAP_PASSWORD: dovecot.password, IMAP_POLL_INTERVAL_MS: '1000',
      SMTP_HOST: '127.0.0.1', SMTP_PORT: String(relay.port), SMTP_SECURE: 'false', MAIL_FROM: BOT, MAIL_INTERNAL_DOMAINS: 'kommun.test', MAIL_AUTH_SERVID: GATEWAY_SERVID,
    };
    apps.push(await startApp(env), await startApp(env));
    const [a, b] = apps as [AppProcess, AppProcess];

    // 1. The bot: one instance, then both.
    const ask = async (app: AppProcess, u: TeamsUser) => {
      const t = performance.now();
      const res = await fetch(`${app.baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message(u, connector.url, 'mina uppgifter')) });
      await res.text();
      return { ms: performance.now() - t, ok: res.status === 200 };
    };
    await Promise.all([...users, manager].map((u, i) => ask(apps[i % 2]!, u))); // warm-up: links each person, stores the chat
    const burst = async (pick: (i: number) => AppProcess) => {
      const samples: Array<{ ms: number; ok: boolean }> = [];
      const t0 = performance.now();
      await Promise.all(users.map(async (u, i) => {
        for (let k = 0; k < ASKS; k++) samples.push(await ask(pick(i + k), u));
      }));
      const seconds = (performance.now() - t0) / 1000;
      return { rps: samples.length / seconds, p95: percentile(samples.map((s) => s.ms), 95), failed: samples.filter((s) => !s.ok).length };
    };
    const one = await burst(() => a);
    const both = await burst((i) => apps[i % 2]!);

    // Each person's case moves on (as if decided in the other instance): the next step has a
    // deadline, long past at the apps' clock, so the sweeps escalate it to the people's manager.
    // Her chat is known now, so the escalations go to Teams.
    for (let i = 0; i < USERS; i++) {
      const r = await cases.completeStep({ caseRef: botRef(i), stepKey: 'beslut_kop', personId: personId(i), data: { purchaseDecidedOn: stockholmDate(new Date()) } });
      if (!r.ok) throw new Error(`${botRef(i)} beslut_kop: ${r.message}`);
    }

    // 2. The mailbox: a burst, then the holder is killed.
    const sender = createTestSender(relay.port);
    for (let i = 0; i < MAILS; i += 20) await Promise.all(Array.from({ length: Math.min(20, MAILS - i) }, (_, j) => sender.send({ from: PL, to: BOT, subject: 'Behovsbedömning', text: bbText(i + j) })));
    sender.close();
    const m0 = performance.now();
    while ((await listLedger(handle.db)).length < MAILS / 3) await sleep(50);
    const holder = holdsMailbox(a) ? a : b;
    const standby = holder === a ? b : a;
    const killedAt = performance.now();
    await holder.stop('SIGKILL');
    const atKill = (await listLedger(handle.db)).length;
    while (!holdsMailbox(standby)) await sleep(20);
    const acquired = performance.now();
    while ((await listLedger(handle.db)).length <= atKill) await sleep(20);
    const resumed = performance.now();
    for (;;) {
      const [row] = await handle.query<{ unsent: number }>(sql`select count(*)::int as unsent from outbox where channel = 'mail' and status <> 'sent'`);
      if ((await listLedger(handle.db)).length >= MAILS && row?.unsent === 0) break;
      await sleep(100);
    }
    const mailSeconds = (performance.now() - m0) / 1000;
    // The late steps' rungs the sweeps recorded, and on how many of the steps.
    const lateStepRungs = async () =>
      (await handle.query<{ n: number; steps: number }>(sql`select count(*)::int as n, count(distinct r.case_id)::int as steps from reminders_sent r join cases c on c.id = r.case_id where c.case_ref like 'BOT-%' and r.step_key = 'kontaktuppgifter'`))[0];
    // Both instances' sweeps (every minute) have found the late steps and the Teams outbox is empty.
    const sweepUntil = performance.now() + 150_000;
    for (;;) {
      const [pending] = await handle.query<{ n: number }>(sql`select count(*)::int as n from outbox where channel = 'teams' and status not in ('sent', 'failed')`);
      if (((await lateStepRungs())?.steps ?? 0) >= USERS && pending?.n === 0) break;
      if (performance.now() > sweepUntil) break; // the checks below say what is missing
      await sleep(500);
    }

    // 3. No doubled and no lost work.
    const ledger = await listLedger(handle.db);
    const [outboxCounts] = await handle.query<{ mail: number; distinct: number; unsent: number }>(sql`select count(*)::int as mail, count(distinct dedupe_key)::int as distinct, count(*) filter (where status <> 'sent')::int as unsent from outbox where channel = 'mail' and case_ref like 'FF-%'`);
    const reminders = await lateStepRungs();
    // What reached Teams (the fake Bot Connector), other than the answers to "mina uppgifter": the
    // same content twice in one chat is a message delivered twice. The one kill allows one: a
    // message the killed holder had delivered but not yet marked sent goes out again after its lease.
    const proactive = connector.sent.filter((s) => !(s.activity.text ?? '').startsWith('**Mina uppgifter'));
    const contents = proactive.map((s) => `${s.conversationId} ${JSON.stringify({ text: s.activity.text, attachments: s.activity.attachments })}`);
    const doubled = contents.length - new Set(contents).size;
    const toManager = proactive.filter((s) => s.conversationId === manager.conversationId).map((s) => JSON.stringify(s.activity)).filter((text) => text.includes('Eskalering'));
    const escalatedInTeams = users.filter((_, i) => toManager.some((text) => text.includes(`${botRef(i)} `))).length;
    const [digests] = await handle.query<{ n: number; distinct: number }>(sql`select count(*)::int as n, count(distinct (person_id, day))::int as distinct from digests_sent`);
    const [teams] = await handle.query<{ n: number; distinct: number }>(sql`select count(*)::int as n, count(distinct dedupe_key)::int as distinct from outbox where channel = 'teams'`);
    const inbox = await countMessages({ imapPort: dovecot.imapPort, lmtpPort: dovecot.lmtpPort, smtpPort: relay.port, password: dovecot.password }, BOT, 'INBOX');
    const processed = await countMessages({ imapPort: dovecot.imapPort, lmtpPort: dovecot.lmtpPort, smtpPort: relay.port, password: dovecot.password }, BOT, 'Processed');
    const checks: Array<[string, boolean]> = [
      [`every mail recorded once (${ledger.length} rows, ${new Set(ledger.map((r) => r.uid)).size} distinct UIDs, ${ledger.filter((r) => r.outcome === 'processed').length} processed)`, ledger.length === MAILS && new Set(ledger.map((r) => r.uid)).size === MAILS && ledger.every((r) => r.outcome === 'processed')],
      [`every mail moved once (${processed} in Processed, ${inbox} left in INBOX)`, processed === MAILS && inbox === 0],
      // At least the five distribution mails per BB; the sweeps at the training clock add the routine's own.
      [`the mails of the BB cases queued once each and all sent (${outboxCounts?.mail} rows, ${outboxCounts?.distinct} distinct keys, ${outboxCounts?.unsent} unsent)`, (outboxCounts?.mail ?? 0) >= MAILS * 5 && outboxCounts?.mail === outboxCounts?.distinct && outboxCounts?.unsent === 0],
      [`every late step escalated (${reminders?.steps} of ${USERS} steps, ${reminders?.n} rungs recorded), and each escalation reached the manager in Teams (${escalatedInTeams} of ${USERS})`, reminders?.steps === USERS && escalatedInTeams === USERS],
      [`Teams messages delivered once, at most one extra copy for the kill (${proactive.length} delivered, ${doubled} twice)`, proactive.length > 0 && doubled <= 1],
      [`digests once per person and day (${digests?.n} sent, ${digests?.distinct} distinct)`, (digests?.n ?? 0) > 0 && digests?.n === digests?.distinct],
      [`Teams messages queued once each (${teams?.n} rows, ${teams?.distinct} distinct keys)`, teams?.n === teams?.distinct],
      [`bot requests answered (failed: one instance ${one.failed}, both ${both.failed})`, one.failed === 0 && both.failed === 0],
    ];
    console.log(
      [
        `bot, ${USERS} people × ${ASKS} "mina uppgifter": one instance ${one.rps.toFixed(0)} requests/s (p95 ${one.p95.toFixed(0)} ms); two instances ${both.rps.toFixed(0)} requests/s (p95 ${both.p95.toFixed(0)} ms): ×${(both.rps / one.rps).toFixed(2)}`,
        `mailbox: ${MAILS} BB mails in ${mailSeconds.toFixed(1)} s across the takeover (${(MAILS / mailSeconds).toFixed(1)} mails/s); holder killed after ${atKill} mails`,
        `takeover: the other instance held the mailbox ${((acquired - killedAt) / 1000).toFixed(2)} s after the kill, and recorded its first mail ${((resumed - killedAt) / 1000).toFixed(2)} s after it`,
        ...checks.map(([what, ok]) => `check: ${what}: ${ok ? 'OK' : 'FAILED'}`),
      ].join('\n'),
    );
    if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
    await handle.close();
  } finally {
    for (const app of apps) await app.stop('SIGTERM');
    await connector.close();
    await relay.stop();
    await dovecot.stop();
    pg.stop();
  }
}

/** `YYYY-MM-DD 08:00` for the first Tuesday at least 30 days from now (a working day, after the digest time). */
function nextTuesdayAMonthAhead(): string {
  const d = new Date(Date.now() + 30 * 86_400_000);
  while (d.getUTCDay() !== 2) d.setUTCDate(d.getUTCDate() + 1);
  return `${d.toISOString().slice(0, 10)} 08:00`;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
