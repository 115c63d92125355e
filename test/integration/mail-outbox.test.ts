import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFailed } from '../../db/outbox.ts';
import { outbox } from '../../db/schema/index.ts';
import { manualClock } from '../../lib/clock.ts';
import { createOutboxWorker } from '../../services/outbox-worker.ts';
import { enqueueMail, type EnqueueMailInput } from '../../db/outbox-mail.ts';
import { createSmtpSender } from '../../mail/smtp-sender.ts';
import { startSmtpRelay, type SmtpRelay } from '../support/services/mail.ts';
import { listMessages, sharedMailServices, testLogger, uniqueAddress } from '../support/mailbox.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const services = sharedMailServices();
const FROM = 'boendelotsen@kommun.test';

describe.each(ENGINES)('mail outbox over SMTP (%s)', (engine) => {
  let db: TestDb;
  let relay: SmtpRelay;
  const clock = manualClock(new Date('2026-03-02T08:00:00Z'));
  let sender: ReturnType<typeof createSmtpSender>;
  let worker: ReturnType<typeof createOutboxWorker>;

  beforeAll(async () => {
    db = await openTestDb(engine);
    // A relay of this file's own, so taking it down touches no other test.
    relay = await startSmtpRelay({ lmtpPort: services.lmtpPort });
    sender = createSmtpSender({ smtp: { host: '127.0.0.1', port: relay.port, secure: false, user: undefined, password: undefined }, from: FROM, internalDomains: ['kommun.test'], db: db.db, clock, logger: testLogger() });
    worker = createOutboxWorker({ db: db.db, channel: 'mail', deliver: sender.deliver, clock, logger: testLogger() });
  });
  afterAll(async () => {
    sender.close();
    await relay.stop();
    await db.close();
  });

  const queue = (input: Omit<EnqueueMailInput, 'subject' | 'text' | 'html' | 'key'> & { key?: string }) =>
    db.db.transaction((tx) => enqueueMail(tx, { key: input.key ?? uniqueAddress('k'), subject: 'Boendelotsen: test', text: 'Hej', html: '<p>Hej</p>', ...input }, { from: FROM, now: clock.now() }));
  const rowsFor = async (messageId: string | undefined) => (await db.db.select().from(outbox)).filter((r) => r.messageId === messageId);
  /** Runs the worker until nothing is due (time stands still unless the test moves it). */
  const drain = async () => {
    while ((await worker.runOnce()) > 0);
  };

  it('keeps mail queued while SMTP is down and sends each exactly once when it is back', async () => {
    const recipients = [uniqueAddress('a'), uniqueAddress('b'), uniqueAddress('c')];
    const ids = await Promise.all(recipients.map((to) => queue({ to: [to] })));
    await relay.down();
    await drain();
    for (const id of ids) expect(await rowsFor(id)).toMatchObject([{ status: 'pending', attempts: 1 }]);
    clock.advance(60 * 60_000);
    await drain(); // still down: a second retry, nothing lost
    await relay.up();
    clock.advance(60 * 60_000);
    await drain();
    clock.advance(60 * 60_000);
    await drain();
    for (const [i, to] of recipients.entries()) {
      expect(await rowsFor(ids[i])).toMatchObject([{ status: 'sent', attempts: 3 }]);
      const inbox = await listMessages(services, to);
      expect(inbox.map((m) => m.messageId)).toEqual([ids[i]]);
    }
  });

  it('marks a mail refused with 5xx as failed, for administrators to see', async () => {
    const id = await queue({ to: [uniqueAddress('reject-5xx').replace(/^reject-5xx\.[0-9a-f]+/, 'reject-5xx')] });
    await drain();
    const failed = (await listFailed(db.db)).filter((r) => r.messageId === id);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.lastError).toMatch(/550/);
  });

  it('retries a mail deferred with 4xx, with backoff', async () => {
    const id = await queue({ to: ['defer-4xx@kommun.test'] });
    await drain();
    const [first] = await rowsFor(id);
    expect(first).toMatchObject({ status: 'pending', attempts: 1 });
    expect(first?.nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime());
    clock.advance(60 * 60_000);
    await drain();
    expect(await rowsFor(id)).toMatchObject([{ status: 'pending', attempts: 2 }]);
  });

  it('on partial acceptance sends to the accepted once and re-queues only the others under the same Message-ID', async () => {
    const ok = uniqueAddress('ok');
    const id = await queue({ to: [ok, 'defer-4xx@kommun.test', 'reject-5xx@kommun.test'] });
    await drain();
    const rows = await rowsFor(id);
    const original = rows.find((r) => r.payload !== null && (r.payload as { envelopeTo?: string[] }).envelopeTo === undefined);
    expect(original?.status).toBe('sent');
    const followUps = rows.filter((r) => r !== original).map((r) => ({ to: (r.payload as { envelopeTo: string[] }).envelopeTo, status: r.status }));
    expect(followUps).toEqual(expect.arrayContaining([{ to: ['defer-4xx@kommun.test'], status: 'pending' }, { to: ['reject-5xx@kommun.test'], status: 'failed' }]));
    clock.advance(60 * 60_000);
    await drain();
    const inbox = await listMessages(services, ok);
    expect(inbox.map((m) => m.messageId)).toEqual([id]);
  });

  it('refuses an address outside the internal domains unless the mail is marked external', async () => {
    const inside = await queue({ to: ['someone@example.org'] });
    const external = await queue({ to: [uniqueAddress('hyresvard', 'example.org')], external: true });
    await drain();
    expect(await rowsFor(inside)).toMatchObject([{ status: 'failed', attempts: 1 }]);
    expect((await rowsFor(inside))[0]?.lastError).toMatch(/not internal/);
    expect(await rowsFor(external)).toMatchObject([{ status: 'sent' }]);
  });

  it('threads a reply with In-Reply-To and References', async () => {
    const to = uniqueAddress('pl.trad');
    await queue({ to: [to], inReplyTo: '<orig@kommun.test>', references: ['<first@kommun.test>', '<orig@kommun.test>'] });
    await drain();
    const [msg] = await listMessages(services, to);
    const head = msg?.source.toString('utf8').split('\r\n\r\n')[0] ?? '';
    expect(head).toMatch(/In-Reply-To: <orig@kommun\.test>/);
    expect(head).toMatch(/References: <first@kommun\.test> <orig@kommun\.test>/);
  });
});
