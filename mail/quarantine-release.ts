import { createHash } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import type { Db } from '../db/client.ts';
import { listLinkedAwaitingRelease, markReleased } from '../db/quarantine.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { ImapSettings } from './imap-listener.ts';

export type QuarantineReleaseDeps = { db: Db; imap: ImapSettings; clock: Clock; logger: Logger };

/** At most this many mails share a Message-ID before we stop looking (a forged duplicate flood). */
const MAX_CANDIDATES = 20;

/**
 * Moves BB mails that a planeringsledare linked to a case (koppla) out of the Quarantine folder
 * into Processed, so the mailbox shows they were handled. The link is a database transaction
 * that cannot reach the IMAP server; it records the mail as linked, and this pass, run
 * periodically on its own connection, moves what is recorded and not yet moved. A mail is found by
 * its Message-ID and recognised by the hash of its bytes (a MOVE keeps them), so another mail
 * with the same Message-ID is never moved in its place. Returns how many were moved.
 */
export async function releaseLinkedMails(deps: QuarantineReleaseDeps): Promise<number> {
  const mailbox = `${deps.imap.user}/${deps.imap.mailbox}`;
  const pending = await listLinkedAwaitingRelease(deps.db, mailbox);
  if (pending.length === 0) return 0;
  const log = deps.logger.child({ component: 'quarantine-release' });
  const c = new ImapFlow({
    host: deps.imap.host, port: deps.imap.port, secure: deps.imap.secure,
    auth: { user: deps.imap.user, pass: deps.imap.password },
    logger: false, disableAutoIdle: true, socketTimeout: 60_000,
  });
  // Without an error listener an ImapFlow error kills the process.
  c.on('error', (err: Error & { code?: string }) => log.warn({ code: 'IMAP_ERROR', imapCode: err.code }, 'IMAP connection error'));
  let moved = 0;
  try {
    await c.connect();
    const lock = await c.getMailboxLock(deps.imap.quarantineFolder);
    try {
      for (const mail of pending) {
        const uid = await findByHash(c, mail);
        if (uid === undefined) {
          // Gone from Quarantine (moved by hand, or by another instance): nothing left to move.
          log.warn({ code: 'MAIL_RELEASE_NOT_FOUND', quarantineId: mail.id }, 'linked mail not found in Quarantine; recorded as released');
        } else {
          const done = await c.messageMove(String(uid), deps.imap.processedFolder, { uid: true });
          if (!done) {
            log.error({ code: 'MAIL_RELEASE_MOVE_FAILED', quarantineId: mail.id }, 'linked mail could not be moved to Processed; will try again');
            continue;
          }
          moved++;
          log.info({ code: 'MAIL_RELEASED', quarantineId: mail.id }, 'linked mail moved from Quarantine to Processed');
        }
        await markReleased(deps.db, { id: mail.id, now: deps.clock.now() });
      }
    } finally {
      lock.release();
    }
  } finally {
    if (c.usable) await c.logout().catch(() => undefined);
    c.close();
  }
  return moved;
}

async function findByHash(c: ImapFlow, mail: { messageId: string | null; sha256: string; receivedAt: Date | null; quarantinedAt: Date }): Promise<number | undefined> {
  // Without a Message-ID, the mails that arrived around the same day are the candidates.
  const day = mail.receivedAt ?? mail.quarantinedAt;
  const query = mail.messageId
    ? { header: { 'message-id': mail.messageId } }
    : { since: new Date(day.getTime() - 86_400_000), before: new Date(day.getTime() + 2 * 86_400_000) };
  const found = await c.search(query, { uid: true });
  const uids = (found || []).slice(0, MAX_CANDIDATES);
  for (const uid of uids) {
    const msg = await c.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
    const source = msg ? msg.source : undefined;
    if (source && createHash('sha256').update(source).digest('hex') === mail.sha256) return uid;
  }
  return undefined;
}
