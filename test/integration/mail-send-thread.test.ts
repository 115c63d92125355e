import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb, type DbHandle } from '../../db/client.ts';
import { enqueueMail } from '../../db/outbox-mail.ts';
import { outbox } from '../../db/schema/index.ts';
import { systemClock } from '../../lib/clock.ts';
import { LOGGER_OPTIONS } from '../../lib/logger.ts';
import { createMailSending, type MailSending } from '../../mail/send-thread.ts';
import { listMessages, sharedMailServices, uniqueAddress, waitFor } from '../support/mailbox.ts';
import { openPostgresTestDb, type PostgresTestDb } from '../support/test-db.ts';

const services = sharedMailServices();
const FROM = 'boendelotsen@kommun.test';

/** A logger with the production options whose lines the test can read. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info', ...LOGGER_OPTIONS }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines, withCode: (code: string) => lines.filter((l) => l.code === code) };
}

function sendingTo(url: string, log: ReturnType<typeof capturingLogger>, db: DbHandle['db']): MailSending {
  return createMailSending({
    databaseUrl: url,
    db,
    settings: { smtp: { host: '127.0.0.1', port: services.smtpPort, secure: false, user: undefined, password: undefined }, from: FROM, internalDomains: ['kommun.test'], concurrency: 2 },
    clock: systemClock,
    logger: log.logger,
  });
}

const queue = (db: DbHandle['db'], to: string) =>
  db.transaction((tx) => enqueueMail(tx, { key: uniqueAddress('k'), to: [to], subject: 'Boendelotsen: test', text: 'Hej', html: '<p>Hej</p>' }, { from: FROM, now: systemClock.now() }));

/**
 * On PostgreSQL the outbox's mail is sent from a worker thread with connections of its own
 * (mail/send-thread.ts), so the send-tail hold does not wait for the intake's event loop. What
 * must hold: it sends, its log lines reach the service's log, it stops when asked, and a thread
 * that dies is noticed and started again: sending never stops silently.
 */
describe('the mail sending thread (PostgreSQL)', () => {
  let handle: PostgresTestDb;
  let url: string;
  beforeAll(async () => {
    handle = await openPostgresTestDb(4);
    url = handle.url;
  });
  afterAll(async () => {
    await handle.close();
  });

  it('sends queued mail, writes its log lines to the service log, and stops when asked', async () => {
    const log = capturingLogger();
    const sending = sendingTo(url, log, handle.db);
    const to = uniqueAddress('handlaggare');
    const sent = await queue(handle.db, to);
    // Outside the internal domains: refused by the sender, logged in the thread.
    const refused = await queue(handle.db, uniqueAddress('someone', 'elsewhere.test'));
    sending.start();
    await waitFor('the mail reaches the inbox', async () => (await listMessages(services, to)).length === 1, 20_000);
    expect((await listMessages(services, to)).map((m) => m.messageId)).toEqual([sent]);
    await waitFor('the refusal is logged', () => log.withCode('OUTBOX_FAILED').length === 1, 10_000);
    expect(log.withCode('OUTBOX_FAILED')[0]).toMatchObject({ thread: 'mail-send', level: 50 });
    const rows = await handle.db.select().from(outbox);
    expect(rows.find((r) => r.messageId === refused)?.status).toBe('failed');
    expect(sending.problem()).toBeUndefined();

    await sending.stop();
    // Stopped means stopped: a mail queued now stays queued.
    const after = await queue(handle.db, uniqueAddress('late'));
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await handle.db.select().from(outbox)).find((r) => r.messageId === after)?.status).toBe('pending');
  });

  it('logs a thread that dies and starts it again until it can send', async () => {
    // A database that does not exist yet: the thread's start fails, as when PostgreSQL is away.
    const name = `t_${randomBytes(6).toString('hex')}`;
    const missingUrl = inject('pgAdminUrl').replace(/\/postgres$/, `/${name}`);
    const log = capturingLogger();
    const sending = sendingTo(missingUrl, log, handle.db);
    sending.start();
    try {
      await waitFor('the dead thread is logged', () => log.withCode('MAIL_SEND_THREAD_DIED').length >= 1, 20_000);
      expect(log.withCode('MAIL_SEND_THREAD_DIED')[0]).toMatchObject({ level: 50, restartInMs: 1_000 });
      expect(sending.problem()).toBeDefined();

      // The database comes: the next start succeeds and the mail goes out.
      const admin = postgres(inject('pgAdminUrl'), { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`create database ${name} template ${inject('pgTemplate')}`);
      } finally {
        await admin.end();
      }
      const late = await createDb({ url: missingUrl, poolSize: 2 });
      try {
        const to = uniqueAddress('after-restart');
        await queue(late.db, to);
        await waitFor('the mail goes out after the restart', async () => (await listMessages(services, to)).length === 1, 30_000);
        expect(log.withCode('MAIL_SEND_THREAD_DIED').length).toBeGreaterThanOrEqual(1);
        expect(sending.problem()).toBeUndefined();
      } finally {
        await late.close();
      }
    } finally {
      await sending.stop();
    }
  });
});
