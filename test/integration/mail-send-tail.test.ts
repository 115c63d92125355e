import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { enqueueMail } from '../../db/outbox-mail.ts';
import { outbox } from '../../db/schema/index.ts';
import { manualClock } from '../../lib/clock.ts';
import { createSmtpSender } from '../../mail/smtp-sender.ts';
import { createOutboxWorker, type DeliveryOutcome } from '../../services/outbox-worker.ts';
import { testLogger, uniqueAddress } from '../support/mailbox.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const FROM = 'boendelotsen@kommun.test';
/** The default MAIL_SEND_CONCURRENCY: that many workers, each with a pooled connection. */
const SENDERS = 4;
const MAILS = 12;

/**
 * What a kill can leave at the SMTP boundary: mails the server has accepted (its reply to the
 * final dot) whose outbox rows are not yet marked sent; each is sent again after its lease. With
 * several senders this must stay at most one mail at any moment, not one per sender.
 */
describe.each(ENGINES)('parallel SMTP senders and the window between accepted and marked sent (%s)', (engine) => {
  let db: TestDb;
  let server: SMTPServer;
  let port = 0;
  /** Message-IDs the server has accepted whose rows are not yet recorded. */
  const inWindow = new Set<string>();
  let worstWindow = 0;
  let openData = 0;
  let worstOpenData = 0;
  const accepted: string[] = [];

  beforeAll(async () => {
    db = await openTestDb(engine);
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream: SMTPServerDataStream, _session, cb) {
        openData += 1;
        worstOpenData = Math.max(worstOpenData, openData);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          openData -= 1;
          const id = /^Message-ID: *(<[^>]+>)/im.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? '?';
          // A slow answer to the final dot: several mails would be past their dot at once.
          setTimeout(() => {
            accepted.push(id);
            inWindow.add(id);
            worstWindow = Math.max(worstWindow, inWindow.size);
            cb(null, 'queued');
          }, 40);
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.close();
  });

  it('has at most one mail accepted and not yet marked sent at any moment, while the bytes still go in parallel', async () => {
    const clock = manualClock(new Date('2026-03-02T08:00:00Z'));
    const logger = testLogger();
    const sender = createSmtpSender({ smtp: { host: '127.0.0.1', port, secure: false, user: undefined, password: undefined }, from: FROM, internalDomains: ['kommun.test'], db: db.db, clock, logger, maxConnections: SENDERS });
    const ids: string[] = [];
    for (let i = 0; i < MAILS; i++) {
      const id = await db.db.transaction((tx) => enqueueMail(tx, { key: uniqueAddress('k'), to: [uniqueAddress(`r${i}`)], subject: 'Boendelotsen: test', text: 'Hej', html: '<p>Hej</p>' }, { from: FROM, now: clock.now() }));
      ids.push(id ?? '');
    }
    // The worker records the outcome (marks the row) after deliver returns; a slow database there
    // widens the window the hold must cover.
    const deliver = async (row: Parameters<typeof sender.deliver>[0]): Promise<DeliveryOutcome> => {
      const outcome = await sender.deliver(row);
      await new Promise((r) => setTimeout(r, 20));
      return {
        ...outcome,
        recorded: () => {
          inWindow.delete(row.messageId ?? '');
          outcome.recorded?.();
        },
      };
    };
    const workers = Array.from({ length: SENDERS }, () => createOutboxWorker({ db: db.db, channel: 'mail', deliver, clock, logger, batchSize: MAILS / SENDERS }));
    await Promise.all(workers.map((w) => w.runOnce()));
    sender.close();

    expect([...accepted].sort()).toEqual([...ids].sort());
    const rows = await db.db.select().from(outbox);
    expect(rows.map((r) => r.status)).toEqual(Array.from({ length: MAILS }, () => 'sent'));
    expect(worstWindow).toBe(1);
    expect(worstOpenData).toBeGreaterThan(1);
  });
});
