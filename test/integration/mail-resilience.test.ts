import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../db/client.ts';
import { listLedger } from '../../db/mail-ledger.ts';
import { startDovecot, startSmtpRelay, type Dovecot, type SmtpRelay } from '../support/services/mail.ts';
import { createTestSender, listMessages, sharedMailServices, startMailStack, uniqueAddress, waitFor, waitForCount, type MailServices } from '../support/mailbox.ts';
import { openTestDb, type TestDb } from '../support/test-db.ts';

describe('the IMAP server restarting under the listener', () => {
  let dovecot: Dovecot;
  let relay: SmtpRelay;
  let services: MailServices;
  let db: TestDb;
  beforeAll(async () => {
    // A Dovecot of this file's own: restarting the shared one would disturb other test files.
    dovecot = await startDovecot();
    relay = await startSmtpRelay({ lmtpPort: dovecot.lmtpPort });
    services = { imapPort: dovecot.imapPort, lmtpPort: dovecot.lmtpPort, smtpPort: relay.port, password: dovecot.password };
    db = await openTestDb('postgres');
  });
  afterAll(async () => {
    await db.close();
    await relay.stop();
    await dovecot.stop();
  });

  it('reconnects after a restart mid-IDLE and processes mail delivered afterwards', async () => {
    const sender = createTestSender(services.smtpPort);
    // A long poll interval: only IDLE or a reconnect can pick the mail up in time.
    const stack = startMailStack({ handle: db, services, imap: { pollIntervalMs: 600_000 } });
    try {
      await sender.send({ from: uniqueAddress('pl.fore'), to: stack.bot });
      await waitForCount(services, stack.bot, 'Processed', 1);
      await new Promise((r) => setTimeout(r, 1_000)); // settled in IDLE
      await dovecot.restart();
      await sender.send({ from: uniqueAddress('pl.efter'), to: stack.bot });
      await waitForCount(services, stack.bot, 'Processed', 2, 20_000);
      expect(await listLedger(db.db, { mailbox: `${stack.bot}/INBOX` })).toHaveLength(2);
    } finally {
      await stack.stop();
      sender.close();
    }
  });
});

describe('two instances on one PostgreSQL and one mailbox', () => {
  const services = sharedMailServices();
  let first: TestDb;
  let second: DbHandle;
  beforeAll(async () => {
    first = await openTestDb('postgres');
    second = await createDb({ url: first.url, poolSize: 10 });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('processes each mail once, and the other instance takes over when the holder stops', async () => {
    const bot = uniqueAddress('boendelotsen');
    const recipients = [uniqueAddress('socialadm'), uniqueAddress('link')];
    const a = startMailStack({ handle: first, services, bot, distributeTo: recipients });
    const b = startMailStack({ handle: second, services, bot, distributeTo: recipients });
    const sender = createTestSender(services.smtpPort);
    try {
      await waitFor('one instance holds the mailbox', () => a.listener.holdsMailbox() || b.listener.holdsMailbox(), 10_000);
      await new Promise((r) => setTimeout(r, 500));
      expect([a, b].filter((s) => s.listener.holdsMailbox())).toHaveLength(1);
      const sent = await Promise.all(Array.from({ length: 20 }, (_, i) => sender.send({ from: uniqueAddress(`pl.${i}`), to: bot })));
      await waitForCount(services, bot, 'Processed', 20);

      const [holder, other] = a.listener.holdsMailbox() ? [a, b] : [b, a];
      await holder.stop();
      await waitFor('the other instance takes over', () => other.listener.holdsMailbox(), 10_000);
      sent.push(...(await Promise.all(Array.from({ length: 5 }, (_, i) => sender.send({ from: uniqueAddress(`pl.x${i}`), to: bot })))));
      await waitForCount(services, bot, 'Processed', 25);

      const ledger = await listLedger(first.db, { mailbox: `${bot}/INBOX` });
      expect(ledger.map((r) => r.messageId).sort()).toEqual([...sent].sort());
      for (const r of recipients) {
        await waitForCount(services, r, 'INBOX', 25);
        const got = await listMessages(services, r);
        expect(got).toHaveLength(25);
        expect(new Set(got.map((m) => m.messageId)).size).toBe(25);
      }
    } finally {
      await a.stop();
      await b.stop();
      sender.close();
    }
  });
});
