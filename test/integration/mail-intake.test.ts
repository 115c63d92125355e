import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLedger, recordMail } from '../../db/mail-ledger.ts';
import { outbox } from '../../db/schema/index.ts';
import type { IncomingMailHandler } from '../../mail/handler.ts';
import {
  countMessages, createTestSender, listMessages, readMessages, sharedMailServices, startMailStack, uidValidityOf, uniqueAddress, waitFor, waitForCount,
} from '../support/mailbox.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const services = sharedMailServices();

describe.each(ENGINES)('mail intake (%s)', (engine) => {
  let db: TestDb;
  const sender = createTestSender(services.smtpPort);
  beforeAll(async () => {
    db = await openTestDb(engine);
  });
  afterAll(async () => {
    sender.close();
    await db.close();
  });

  it('records a mail once, distributes it, and moves it to Processed', async () => {
    const recipients = [uniqueAddress('socialadm'), uniqueAddress('link')];
    const stack = startMailStack({ handle: db, services, distributeTo: recipients });
    try {
      const pl = uniqueAddress('pl.anna');
      const messageId = await sender.send({ from: pl, to: stack.bot, subject: 'Behovsbedömning FF-2026-0001' });
      await waitForCount(services, stack.bot, 'Processed', 1);
      for (const r of recipients) await waitForCount(services, r, 'INBOX', 1);

      const rows = await listLedger(db.db, { mailbox: `${stack.bot}/INBOX` });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ messageId, outcome: 'processed', fromAddress: pl, reason: 'test_distribution' });
      expect(rows[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(await countMessages(services, stack.bot, 'INBOX')).toBe(0);

      const [received] = await readMessages(services, recipients[0] ?? '');
      expect(received?.headers.get('auto-submitted')).toBe('auto-generated');
      expect(received?.headers.get('x-boendelotsen')).toBe('1');
      expect(received?.text).toContain(messageId);
      expect(received?.html).toBeTruthy();
    } finally {
      await stack.stop();
    }
  });

  it('moves auto-replies, bounces and its own mail to Processed without acting on them', async () => {
    let calls = 0;
    const handler: IncomingMailHandler = () => {
      calls += 1;
      return Promise.resolve({ outcome: 'processed' });
    };
    const stack = startMailStack({ handle: db, services, handler });
    try {
      const pl = uniqueAddress('pl.bo');
      const kinds: { expect: string; mail: Parameters<typeof sender.send>[0] }[] = [
        { expect: 'auto_reply', mail: { from: pl, to: stack.bot, headers: { 'Auto-Submitted': 'auto-replied' } } },
        { expect: 'auto_reply', mail: { from: pl, to: stack.bot, headers: { 'X-Autoreply': 'yes' } } },
        { expect: 'auto_reply', mail: { from: pl, to: stack.bot, subject: 'Automatiskt svar: Behovsbedömning' } },
        { expect: 'auto_reply', mail: { from: pl, to: stack.bot, subject: 'Out of Office: Behovsbedömning' } },
        { expect: 'bulk', mail: { from: pl, to: stack.bot, headers: { Precedence: 'bulk' } } },
        { expect: 'bounce', mail: { from: uniqueAddress('mailer-daemon'), to: stack.bot, envelopeFrom: '' } },
        { expect: 'bounce', mail: { from: 'MAILER-DAEMON@kommun.test', to: stack.bot } },
        { expect: 'own_mail', mail: { from: stack.bot, to: stack.bot } },
        { expect: 'own_mail', mail: { from: pl, to: stack.bot, headers: { 'X-Boendelotsen': '1' } } },
      ];
      const ids: string[] = [];
      for (const k of kinds) ids.push(await sender.send(k.mail));
      await sender.sendRaw({ from: '', to: [stack.bot] }, dsnReport(stack.bot));
      await waitForCount(services, stack.bot, 'Processed', kinds.length + 1);

      // Matched by Message-ID: the relay may deliver mails in another order than they were sent.
      const rows = await listLedger(db.db, { mailbox: `${stack.bot}/INBOX` });
      expect(rows.map((r) => r.outcome)).toEqual(Array(kinds.length + 1).fill('ignored'));
      const reasonOf = new Map(rows.map((r) => [r.messageId, r.reason]));
      expect(ids.map((id) => reasonOf.get(id))).toEqual(kinds.map((k) => k.expect));
      expect(rows.filter((r) => !ids.includes(r.messageId ?? '')).map((r) => r.reason)).toEqual(['bounce']);
      expect(calls).toBe(0);
      const queued = await db.db.select().from(outbox);
      expect(queued.filter((r) => r.recipient.includes(pl))).toHaveLength(0);
    } finally {
      await stack.stop();
    }
  });

  it('after a crash between commit and move, only moves the mail on restart', async () => {
    const bot = uniqueAddress('boendelotsen');
    await sender.send({ from: uniqueAddress('pl.cia'), to: bot });
    await waitForCount(services, bot, 'INBOX', 1);
    const [msg] = await listMessages(services, bot);
    // The state a crash leaves: the ledger row committed, the mail still in the inbox.
    await recordMail(db.db, {
      mailbox: `${bot}/INBOX`, uidValidity: await uidValidityOf(services, bot), uid: msg?.uid ?? 0, messageId: msg?.messageId ?? null,
      sha256: 'x'.repeat(64), sizeBytes: msg?.source.length ?? 0, fromAddress: null, outcome: 'processed', reason: null, caseRef: null, receivedAt: null, handledAt: new Date(),
    });
    let calls = 0;
    const stack = startMailStack({ handle: db, services, bot, handler: () => ((calls += 1), Promise.resolve({ outcome: 'processed' })) });
    try {
      await waitForCount(services, bot, 'Processed', 1);
      expect(calls).toBe(0);
      expect(await listLedger(db.db, { mailbox: `${bot}/INBOX` })).toHaveLength(1);
    } finally {
      await stack.stop();
    }
  });

  it('quarantines a mail whose handler keeps failing, after a few tries, and says so', async () => {
    let calls = 0;
    const handler: IncomingMailHandler = () => {
      calls += 1;
      return Promise.reject(new Error('boom'));
    };
    const stack = startMailStack({ handle: db, services, handler });
    try {
      const pl = uniqueAddress('pl.dan');
      await sender.send({ from: pl, to: stack.bot });
      await waitForCount(services, stack.bot, 'Quarantine', 1, 30_000);
      expect(calls).toBe(3);
      const [row] = await listLedger(db.db, { mailbox: `${stack.bot}/INBOX` });
      expect(row).toMatchObject({ outcome: 'quarantined', reason: 'processing_failed' });
      await waitForCount(services, pl, 'INBOX', 1);
      const [reply] = await readMessages(services, pl);
      expect(reply?.text).toContain('kunde inte läsas');
    } finally {
      await stack.stop();
    }
  });

  it('handles mail that arrives while it idles, woken by IDLE', async () => {
    const stack = startMailStack({ handle: db, services, imap: { pollIntervalMs: 600_000 } });
    try {
      await waitFor('listener holds the mailbox', () => stack.listener.holdsMailbox(), 10_000);
      await new Promise((r) => setTimeout(r, 1_000)); // let it settle into IDLE
      await sender.send({ from: uniqueAddress('pl.eva'), to: stack.bot });
      await waitForCount(services, stack.bot, 'Processed', 1, 10_000);
    } finally {
      await stack.stop();
    }
  });
});

/** A delivery status notification (RFC 3464), as a mail server sends back. */
function dsnReport(to: string): string {
  return [
    'From: Mail Delivery System <postmaster@kommun.test>',
    `To: ${to}`,
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    'Could not deliver.',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Final-Recipient: rfc822; someone@kommun.test',
    'Action: failed',
    'Status: 5.1.1',
    '--b1--',
    '',
  ].join('\r\n');
}
