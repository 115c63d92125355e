import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLedger } from '../../db/mail-ledger.ts';
import { createSenderAuthenticator } from '../../mail/sender-auth.ts';
import { GATEWAY_SERVID, testDnsResolver, type Signing } from '../support/dkim.ts';
import { countMessages, createTestSender, sharedMailServices, startMailStack, uniqueAddress, waitFor, waitForCount, type MailStack } from '../support/mailbox.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const services = sharedMailServices();

/**
 * Mail travels the real path: SMTP relay (the gateway, which stamps its Authentication-Results)
 * → LMTP → Dovecot → IMAP → the listener. The test handler distributes anything from a `pl.`
 * address, so a forged mail that got through would show as a distribution mail.
 */
describe.each(ENGINES)('sender authentication (%s)', (engine) => {
  let db: TestDb;
  const sender = createTestSender(services.smtpPort);
  beforeAll(async () => {
    db = await openTestDb(engine);
  });
  afterAll(async () => {
    sender.close();
    await db.close();
  });

  async function sendAll(stack: MailStack, cases: { signing: Signing; headers?: Record<string, string> }[]) {
    const sent: { id: string; from: string; signing: Signing }[] = [];
    for (const c of cases) {
      const from = uniqueAddress('pl.anna');
      sent.push({ id: await sender.send({ from, to: stack.bot, subject: 'Behovsbedömning FF-2026-0001', signing: c.signing, ...(c.headers ? { headers: c.headers } : {}) }), from, signing: c.signing });
    }
    await waitFor('alla mejl behandlade', async () => (await listLedger(db.db, { mailbox: `${stack.bot}/INBOX` })).length === cases.length, 20_000);
    const ledger = await listLedger(db.db, { mailbox: `${stack.bot}/INBOX` });
    return sent.map((s) => ({ ...s, row: ledger.find((r) => r.messageId === s.id) }));
  }

  it('acts on a DKIM-signed mail and quarantines forged, unsigned and wrongly signed ones without a reply', async () => {
    const distributeTo = [uniqueAddress('socialadm')];
    const stack = startMailStack({ handle: db, services, distributeTo });
    try {
      const results = await sendAll(stack, [{ signing: 'from-domain' }, { signing: { domain: 'angripare.test' } }, { signing: 'unsigned' }, { signing: 'wrong-key' }]);
      const [good, ...bad] = results;
      expect(good?.row).toMatchObject({ outcome: 'processed' });
      for (const b of bad) expect(b.row, JSON.stringify(b.signing)).toMatchObject({ outcome: 'quarantined', reason: 'unauthenticated' });
      await waitForCount(services, stack.bot, 'Quarantine', 3);
      await waitForCount(services, stack.bot, 'Processed', 1);
      await waitForCount(services, distributeTo[0] ?? '', 'INBOX', 1);
      // Give a wrongly queued reply time to leave, then check nobody was answered.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await countMessages(services, distributeTo[0] ?? '', 'INBOX')).toBe(1);
      for (const b of bad) expect(await countMessages(services, b.from, 'INBOX')).toBe(0);
    } finally {
      await stack.stop();
    }
  });

  it('trusts only the gateway’s own Authentication-Results when an authserv-id is configured', async () => {
    const authenticate = createSenderAuthenticator({ policy: 'dmarc', servId: GATEWAY_SERVID, arcSealers: [] }, () => Promise.reject(new Error('no DNS in gateway mode')));
    const stack = startMailStack({ handle: db, services, authenticate, distributeTo: [uniqueAddress('link')] });
    try {
      const forgedResults = { 'Authentication-Results': `${GATEWAY_SERVID}; dmarc=pass header.from=kommun.test` };
      const [good, forged, other] = await sendAll(stack, [
        { signing: 'from-domain' },
        // The sender writes the gateway's verdict itself: the gateway removes it, and its own says fail.
        { signing: 'unsigned', headers: forgedResults },
        // A verdict from some other server is not ours to trust.
        { signing: 'unsigned', headers: { 'Authentication-Results': 'mx.annan.test; dmarc=pass header.from=kommun.test' } },
      ]);
      expect(good?.row).toMatchObject({ outcome: 'processed' });
      expect(forged?.row).toMatchObject({ outcome: 'quarantined', reason: 'unauthenticated' });
      expect(other?.row).toMatchObject({ outcome: 'quarantined', reason: 'unauthenticated' });
    } finally {
      await stack.stop();
    }
  });

  it('under the dkim policy accepts only a signature aligned with the From domain', async () => {
    const authenticate = createSenderAuthenticator({ policy: 'dkim', servId: undefined, arcSealers: [] }, testDnsResolver);
    const stack = startMailStack({ handle: db, services, authenticate, distributeTo: [uniqueAddress('link')] });
    try {
      const [good, forged] = await sendAll(stack, [{ signing: 'from-domain' }, { signing: { domain: 'angripare.test' } }]);
      expect(good?.row).toMatchObject({ outcome: 'processed' });
      expect(forged?.row).toMatchObject({ outcome: 'quarantined', reason: 'unauthenticated' });
    } finally {
      await stack.stop();
    }
  });
});
