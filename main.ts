/**
 * The one composition root (STYLE.md §2): config → logger → db → services → http (bot, mail and
 * the scheduler join here as they are built). Nothing else connects or reads the environment.
 * With arguments it runs a command line tool instead (`npx boendelotsen …`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { createHttpServer } from './bot/http-server.ts';
import { createTeamsRuntime } from './bot/start.ts';
import { findCommand, helpText } from './cli/index.ts';
import type { CliIo } from './cli/types.ts';
import { ConfigError, loadConfig, readEnvironment, type Config } from './config.ts';
import { createDb, type DbHandle } from './db/client.ts';
import { migrate, migrationStatus } from './db/migrate.ts';
import { countServiceStarts, pingDb, recordServiceStart } from './db/system.ts';
import { systemClock } from './lib/clock.ts';
import { createPeopleDirectory } from './db/people.ts';
import { createIntervalTask } from './lib/interval-task.ts';
import { localPnrKey } from './lib/local-key.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import { createPnrCrypto } from './lib/pnr-crypto.ts';
import { createCaseService } from './services/cases.ts';
import { providerMailHooks } from './services/provider-mail.ts';
import { providerTokensFromConfig } from './services/provider-tokens.ts';
import { withProviderReplies, type ProviderReplyDeps } from './mail/provider-replies.ts';
import { sweepOfferDeadlines } from './services/coordination-deadlines.ts';
import { fireDueTimers } from './services/timer-sweep.ts';
import { sweepReminders } from './services/reminders-sweep.ts';
import { createOutboxWorker } from './lib/outbox-worker.ts';
import { createBbIntake, isPlaneringsledare } from './mail/bb-intake.ts';
import { createDefaultMailHandler, createTestMailHandler, type DefaultHandlerDeps, type IncomingMailHandler } from './mail/handler.ts';
import { createMailboxListener } from './mail/imap-listener.ts';
import { createSmtpSender } from './mail/smtp-sender.ts';

const VERSION = (JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }).version;

function readConfig(): Config {
  const dotenv = existsSync('.env') ? readFileSync('.env', 'utf8') : undefined;
  return loadConfig(readEnvironment(dotenv), { isTty: process.stdout.isTTY });
}

async function openDatabase(config: Config, logger: Logger): Promise<DbHandle> {
  const handle = await createDb({ url: config.db.url, dataDir: config.db.dataDir, poolSize: config.db.poolSize });
  const status = await migrate(handle);
  logger.info({ engine: handle.engine, migrations: status.applied, latest: status.latest }, 'database ready');
  return handle;
}

/** Outgoing mail (the 'mail' outbox worker) and the mailbox listener, each when configured. */
function startMail(
  config: Config,
  handle: DbHandle,
  logger: Logger,
  actOnBehovsbedomning: DefaultHandlerDeps['actOnBehovsbedomning'],
  providerReplies?: Omit<ProviderReplyDeps, 'from'>,
): { stop: () => Promise<void> } {
  const { imap, smtp, from, internalDomains, maxSizeBytes, testDistributeTo, sendConcurrency } = config.mail;
  const sender = smtp && from ? createSmtpSender({ smtp, from, internalDomains, db: handle.db, clock: systemClock, logger, maxConnections: sendConcurrency }) : undefined;
  // A BB fans out to five mails: one worker per pooled SMTP connection (SKIP LOCKED keeps them
  // apart), polling often enough to keep ahead of the intake.
  const workers = sender
    ? Array.from({ length: sendConcurrency }, () => createOutboxWorker({ db: handle.db, channel: 'mail', deliver: sender.deliver, clock: systemClock, logger, batchSize: 20, intervalMs: 250 }))
    : [];
  // The test-only stand-in (BOENDELOTSEN_TEST_MAIL_HANDLER, refused in production) replaces the BB
  // handler so the crash test can count distribution mails without building cases.
  const handler: IncomingMailHandler =
    testDistributeTo && from
      ? createTestMailHandler({ distributeTo: testDistributeTo, from, clock: systemClock })
      : createDefaultMailHandler({ isPlaneringsledare, actOnBehovsbedomning });
  // A subject with a provider case token goes to the provider side, everything else to the BB path.
  const routed = providerReplies && from ? withProviderReplies({ ...providerReplies, from }, handler) : handler;
  const listener =
    imap && from
      ? createMailboxListener({ handle, imap, handler: routed, from, internalDomains, maxSizeBytes, clock: systemClock, logger })
      : undefined;
  for (const worker of workers) worker.start();
  listener?.start();
  return {
    stop: async () => {
      await listener?.stop();
      for (const worker of workers) await worker.stop();
      sender?.close();
    },
  };
}

/** Our own Message-IDs use the domain we send from. */
function mailDomainOf(config: Config): string {
  return config.mail.from?.split('@')[1] ?? 'boendelotsen.invalid';
}

async function startService(config: Config, logger: Logger): Promise<void> {
  if (config.pnrKeyHex === undefined) {
    logger.warn({ code: 'PNR_KEY_LOCAL' }, 'PNR_ENCRYPTION_KEY is not set: using a key kept in the data directory (not allowed in production)');
  }
  const handle = await openDatabase(config, logger);
  await recordServiceStart(handle.db, { startedAt: new Date(), hostname: hostname(), pid: process.pid, version: VERSION });

  const pnr = createPnrCrypto(config.pnrKeyHex ?? localPnrKey(config.db.dataDir));
  // Provider mail carries a case token (issue 9); the engine resolves the provider's mailbox.
  const providerTokens = providerTokensFromConfig(config);
  const cases = createCaseService({
    db: handle.db,
    directory: createPeopleDirectory,
    pnr,
    clock: systemClock,
    logger,
    mailDomain: mailDomainOf(config),
    workingTime: config.reminders.hours,
    ...providerMailHooks(providerTokens),
  });
  // Timers are rows; every instance sweeps every minute and SKIP LOCKED keeps them apart.
  // The same sweep reminds of offer answer deadlines (routine 5), claimed by compare-and-set.
  const sweep = createIntervalTask(
    'timer-sweep',
    60_000,
    () => fireDueTimers({ db: handle.db, engine: cases.engine, clock: systemClock, logger }).then(() => sweepOfferDeadlines({ db: handle.db, clock: systemClock, logger })),
    logger,
  );
  // The reminder ladder and digests (issue 7): insert-wins keys keep instances from sending twice.
  const reminderSweep = createIntervalTask('reminder-sweep', 60_000, () => sweepReminders({ db: handle.db, clock: systemClock, logger, settings: config.reminders }), logger);

  // Teams bot (issue 6): /api/messages and the 'teams' outbox worker.
  const teams = createTeamsRuntime({ config, db: handle.db, cases, logger, clock: systemClock });

  const http = createHttpServer({
    logger,
    mount: teams.mount,
    health: async () => {
      try {
        await pingDb(handle.db);
        const status = await migrationStatus(handle);
        return {
          ok: true,
          detail: {
            version: VERSION,
            database: handle.engine,
            migration: status.latest,
            migrations: status.applied,
            starts: await countServiceStarts(handle.db),
          },
        };
      } catch (err) {
        logger.warn({ code: 'DB_UNAVAILABLE', err }, 'database not reachable');
        return { ok: false, reason: 'database not reachable' };
      }
    },
  });
  const address = await http.listen(config.http.port, config.http.host);
  logger.info({ port: address.port, host: address.address, version: VERSION }, 'Boendelotsen listening');
  teams.start();
  const mail = startMail(config, handle, logger, createBbIntake({ engine: cases.engine, pnr, logger, clock: systemClock }), { engine: cases.engine, tokens: providerTokens, clock: systemClock, logger });
  sweep.start();
  reminderSweep.start();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Reverse order of start: stop taking requests, then close the database.
    http
      .close(config.shutdownTimeoutMs)
      .then(() => sweep.stop())
      .then(() => reminderSweep.stop())
      .then(() => teams.stop())
      .then(() => mail.stop())
      .then(() => handle.close())
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (err: unknown) => {
          logger.error({ code: 'SHUTDOWN_FAILED', err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

async function runCli(argv: string[], config: Config, logger: Logger): Promise<number> {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
  if (argv[0] === 'help' || argv[0] === 'hjälp' || argv[0] === '--help' || argv[0] === '-h') {
    io.stdout(helpText());
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr(`Okänt kommando: ${argv.join(' ')}\n\n${helpText()}`);
    return 64;
  }
  if (!found.command.needsDb) return found.command.run(found.args, { io, config });
  const handle = await openDatabase(config, logger);
  try {
    return await found.command.run(found.args, { io, services: { handle, config, clock: systemClock } });
  } finally {
    await handle.close();
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = readConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const argv = process.argv.slice(2);
  if (argv.length === 0) {
    const logger = createLogger(config.log);
    await startService(config, logger);
    return;
  }
  // Tools keep stdout for their own output: logs go to stderr, quietly.
  const logger = createLogger({ level: 'warn', format: config.log.format, toStderr: true });
  process.exitCode = await runCli(argv, config, logger);
}


main().catch((err: unknown) => {
  process.stderr.write(`Boendelotsen kunde inte starta: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
