/**
 * The thread that sends outbox mail (mail/send-thread.ts starts it): the 'mail' outbox workers
 * and the SMTP sender, on a PostgreSQL connection pool of its own. Its event loop does nothing
 * else, so the send-tail hold (from a final dot to its row marked sent, one mail at a time) is
 * not stretched by the intake's work on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { createDb, type DbHandle } from '../db/client.ts';
import { configuredClock } from '../lib/clock.ts';
import { LOGGER_OPTIONS } from '../lib/logger.ts';
import { createMailSenders, type MailSenders } from './mail-senders.ts';
import type { SendThreadData, SendThreadReply, SendThreadRequest } from './send-thread.ts';

const port = parentPort;
if (port) {
  const data = workerData as SendThreadData;
  const post = (reply: SendThreadReply) => port.postMessage(reply);
  // Redacted and serialized here, by the same options as the main logger; the main thread writes the lines.
  const logger = pino({ level: data.logLevel, ...LOGGER_OPTIONS }, { write: (line: string) => post({ type: 'log', line }) });
  let running: { handle: DbHandle; senders: MailSenders } | undefined;

  const starting = (async () => {
    const handle = await createDb({ url: data.databaseUrl, poolSize: data.poolSize });
    const senders = createMailSenders({
      db: handle.db,
      clock: configuredClock({ offsetMs: data.clockOffsetMs, start: undefined }),
      logger,
      settings: data.settings,
      ...(data.reportHold ? { onHold: (hold: { waitMs: number; answerMs: number; markMs: number }) => post({ type: 'hold', hold }) } : {}),
    });
    running = { handle, senders };
    senders.start();
    post({ type: 'ready' });
  })();

  // Listening before the start finishes: a stop that arrives meanwhile waits for it.
  port.on('message', (request: SendThreadRequest) => {
    if (request.type !== 'stop') return;
    void starting
      .catch(() => undefined)
      .then(async () => {
        await running?.senders.stop();
        await running?.handle.close();
      })
      .finally(() => port.close());
  });
  // A failed start (the database unreachable) ends the thread with the error: the main thread logs it and starts it again.
  await starting;
}
