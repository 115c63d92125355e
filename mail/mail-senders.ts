import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { createOutboxWorker } from '../services/outbox-worker.ts';
import { createSmtpSender, type SmtpSenderDeps, type SmtpSettings } from './smtp-sender.ts';

/** What outgoing mail needs from the settings; plain data, so it can cross to the sending thread. */
export type MailSendSettings = {
  smtp: SmtpSettings;
  from: string;
  internalDomains: readonly string[];
  /** MAIL_SEND_CONCURRENCY: pooled SMTP connections, one outbox worker each. */
  concurrency: number;
};

export type MailSenders = { start: () => void; stop: () => Promise<void> };

/**
 * The 'mail' outbox workers and the SMTP sender they share (one transport, one send-tail hold).
 * A BB fans out to two mails: one worker per pooled SMTP connection (SKIP LOCKED keeps them
 * apart), polling often enough to keep ahead of the intake.
 */
export function createMailSenders(deps: { db: Db; clock: Clock; logger: Logger; settings: MailSendSettings; onHold?: SmtpSenderDeps['onHold'] }): MailSenders {
  const { smtp, from, internalDomains, concurrency } = deps.settings;
  const sender = createSmtpSender({ smtp, from, internalDomains, db: deps.db, clock: deps.clock, logger: deps.logger, maxConnections: concurrency, ...(deps.onHold ? { onHold: deps.onHold } : {}) });
  const workers = Array.from({ length: concurrency }, () =>
    createOutboxWorker({ db: deps.db, channel: 'mail', deliver: sender.deliver, clock: deps.clock, logger: deps.logger, batchSize: 20, intervalMs: 250 }),
  );
  return {
    start: () => {
      for (const worker of workers) worker.start();
    },
    stop: async () => {
      await Promise.all(workers.map((worker) => worker.stop()));
      sender.close();
    },
  };
}
