import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countMessages, createTestSender, sharedMailServices, startMailStack, uniqueAddress, waitFor, waitForCount } from '../support/mailbox.ts';
import { openTestDb, type TestDb } from '../support/test-db.ts';

const services = sharedMailServices();

describe('mail folders at start', () => {
  let db: TestDb;
  const sender = createTestSender(services.smtpPort);
  beforeAll(async () => {
    db = await openTestDb('pglite');
  });
  afterAll(async () => {
    sender.close();
    await db.close();
  });

  it('creates missing Processed and Quarantine folders before handling mail', async () => {
    const stack = startMailStack({ handle: db, services, imap: { processedFolder: 'Behandlat', quarantineFolder: 'Karantan' } });
    try {
      await sender.send({ from: uniqueAddress('pl.anna'), to: stack.bot });
      await sender.send({ from: uniqueAddress('pl.bo'), to: stack.bot, subject: 'Behovsbedömning [ej-bb]' });
      await waitForCount(services, stack.bot, 'Behandlat', 1);
      await waitForCount(services, stack.bot, 'Karantan', 1);
      expect(await countMessages(services, stack.bot, 'INBOX')).toBe(0);
      expect(stack.listener.problem()).toBeUndefined();
    } finally {
      await stack.stop();
    }
  });

  it('does not read the mailbox, and says why, when a folder cannot be created', async () => {
    // A name starting with ~ is refused by the server (it means a home directory there).
    const stack = startMailStack({ handle: db, services, imap: { quarantineFolder: '~Karantan' } });
    try {
      await sender.send({ from: uniqueAddress('pl.anna'), to: stack.bot });
      await waitFor('listener reports the folder', () => Promise.resolve(stack.listener.problem() !== undefined), 10_000);
      expect(stack.listener.problem()).toContain('~Karantan');
      await new Promise((r) => setTimeout(r, 1_000));
      // The mail waits in the inbox: nothing was handled or answered without a place to file it.
      expect(await countMessages(services, stack.bot, 'INBOX')).toBe(1);
    } finally {
      await stack.stop();
    }
  });
});
