import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLedger } from '../../db/mail-ledger.ts';
import { outbox } from '../../db/schema/index.ts';
import { createTestSender, countMessages, readMessages, sharedMailServices, startMailStack, uniqueAddress, waitForCount, type MailStack } from '../support/mailbox.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const services = sharedMailServices();
// A subject as people write them: with a personnummer in it. It must never come back in a reply.
const RISKY_SUBJECT = 'BB för 19121212-1212 Tolvan Tolvansson';

describe.each(ENGINES)('quarantine with a Swedish reply to the sender (%s)', (engine) => {
  let db: TestDb;
  let stack: MailStack;
  const sender = createTestSender(services.smtpPort);
  beforeAll(async () => {
    db = await openTestDb(engine);
    stack = startMailStack({ handle: db, services, distributeTo: [uniqueAddress('socialadm')], maxSizeBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await stack.stop();
    sender.close();
    await db.close();
  });

  /** Sends one mail, waits for the reply in the sender's inbox, returns it with the original's id. */
  async function expectReply(mail: { from: string; subject: string; attachments?: { filename: string; content: Buffer }[] }): Promise<{ reply: ParsedMail; originalId: string }> {
    const originalId = await sender.send({ ...mail, to: stack.bot });
    await waitForCount(services, mail.from, 'INBOX', 1);
    const [reply] = await readMessages(services, mail.from);
    if (!reply) throw new Error('no reply');
    expect(reply.subject).not.toContain('1212');
    expect(reply.subject).not.toContain('Tolvan');
    expect(reply.inReplyTo).toBe(originalId);
    expect(reply.headers.get('auto-submitted')).toBe('auto-generated');
    expect(reply.html).toBeTruthy();
    return { reply, originalId };
  }

  async function ledgerFor(messageId: string) {
    return (await listLedger(db.db, { mailbox: `${stack.bot}/INBOX` })).filter((r) => r.messageId === messageId);
  }

  it('answers a sender not registered as planeringsledare', async () => {
    const { reply, originalId } = await expectReply({ from: uniqueAddress('kalle'), subject: RISKY_SUBJECT });
    expect(reply.text).toContain('registrerade som planeringsledare');
    expect(reply.text).toContain('Vad du kan göra');
    expect(await ledgerFor(originalId)).toMatchObject([{ outcome: 'quarantined', reason: 'not_planeringsledare' }]);
  });

  it('answers a document that is not a usable behovsbedömning, naming the missing fields', async () => {
    const { reply, originalId } = await expectReply({ from: uniqueAddress('pl.lisa'), subject: `${RISKY_SUBJECT} [ej-bb]` });
    expect(reply.text).toContain('kunde inte läsas som en behovsbedömning');
    expect(reply.text).toMatch(/- BB-poäng\n\s+- Boendepris/);
    expect(await ledgerFor(originalId)).toMatchObject([{ outcome: 'quarantined', reason: 'not_a_bb' }]);
  });

  it('answers a mail over the size limit without reading it', async () => {
    const big = Buffer.alloc(100 * 1024, 7);
    const { reply, originalId } = await expectReply({ from: uniqueAddress('pl.mats'), subject: RISKY_SUBJECT, attachments: [{ filename: 'bb.pdf', content: big }] });
    expect(reply.text).toContain('för stort');
    expect(reply.text).toContain('0,1 MB');
    const [row] = await ledgerFor(originalId);
    expect(row).toMatchObject({ outcome: 'quarantined', reason: 'too_large' });
    expect(row?.sizeBytes).toBeGreaterThan(100 * 1024);
  });

  it('answers a behovsbedömning whose case reference matches no case', async () => {
    const { reply, originalId } = await expectReply({ from: uniqueAddress('pl.nina'), subject: `${RISKY_SUBJECT} [okänt-ärende]` });
    expect(reply.subject).toContain('FF-2026-9999');
    expect(reply.text).toContain('FF-2026-9999 matchar inget ärende');
    expect(reply.text).toContain('Teams');
    expect(await ledgerFor(originalId)).toMatchObject([{ outcome: 'quarantined', reason: 'unknown_case', caseRef: 'FF-2026-9999' }]);
  });

  it('keeps every quarantined mail in Quarantine, and sends no reply outside the internal domains', async () => {
    const outsider = uniqueAddress('spam', 'utomstaende.test');
    const originalId = await sender.send({ from: outsider, to: stack.bot, subject: 'Hej' });
    await waitForCount(services, stack.bot, 'Quarantine', 5);
    expect(await ledgerFor(originalId)).toMatchObject([{ outcome: 'quarantined', reason: 'not_planeringsledare' }]);
    expect((await db.db.select().from(outbox)).filter((r) => r.recipient === outsider)).toHaveLength(0);
    expect(await countMessages(services, stack.bot, 'INBOX')).toBe(0);
    expect(await countMessages(services, stack.bot, 'Processed')).toBe(0);
  });
});
