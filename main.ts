/**
 * The one composition root: config → logger → db → services → bot, mail and sweeps. Every service
 * is built here and handed to the bot, the mail listener and the command line; nothing else
 * connects or reads the environment.
 *
 * Importing this module does nothing. `bin/boendelotsen.js` calls `main(argv)`: without arguments
 * it starts the service, with arguments it runs one command. Modules are loaded when needed, so a
 * command that needs no database never loads a driver, the bot or the mail stack, and answers in
 * about the time Node itself needs to start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { findCommand, helpText, isHelp } from './cli/index.ts';
import type { CliIo } from './cli/types.ts';
import type { Config } from './config.ts';
import type { DbHandle } from './db/client.ts';
import type { Clock } from './lib/clock.ts';
import type { Logger } from './lib/logger.ts';
import type { IncomingMail, IncomingMailHandler } from './mail/handler.ts';

/** What a caller may put in place of a default part: the test entry point's stand-in mail handler. */
export type ServiceOverrides = { mailHandler?: IncomingMailHandler };

export type RunningService = { port: number; stop: () => Promise<void> };

function readVersion(): string {
  // dist/main.js and main.ts sit one and zero folders below package.json.
  for (const rel of ['./package.json', '../package.json']) {
    const url = new URL(rel, import.meta.url);
    if (!existsSync(url)) continue;
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'boendelotsen' && pkg.version) return pkg.version;
  }
  return '0.0.0';
}

export async function readConfig(): Promise<Config> {
  const { loadConfig, readEnvironment } = await import('./config.ts');
  return loadConfig(readEnvironment(), { isTty: process.stdout.isTTY });
}

/** Opens the database and migrates it; `begun` is called once the opening is under way. */
export async function openDatabase(config: Config, logger: Logger, begun?: () => void): Promise<DbHandle> {
  const [{ createDb }, { migrate }, { ensurePrivateDir, tightenTree }] = await Promise.all([import('./db/client.ts'), import('./db/migrate.ts'), import('./lib/private-files.ts')]);
  if (config.db.url === undefined) ensurePrivateDir(config.db.dataDir);
  const opening = createDb({ url: config.db.url, dataDir: config.db.dataDir, poolSize: config.db.poolSize });
  begun?.();
  const handle = await opening;
  // PGlite writes its files 0666/0777 whatever the umask: tighten what it made.
  if (config.db.url === undefined) tightenTree(config.db.dataDir);
  // Under a role that does not own the tables (the audit trail's guard stays on), migrations run
  // on a connection of their own as the owner.
  let status;
  if (config.db.migrationUrl !== undefined) {
    const owner = await createDb({ url: config.db.migrationUrl, poolSize: 1 });
    try {
      status = await migrate(owner);
    } finally {
      await owner.close();
    }
  } else {
    status = await migrate(handle);
  }
  logger.info({ engine: handle.engine, migrations: status.applied, latest: status.latest }, 'database ready');
  return handle;
}

/** Our own Message-IDs use the domain we send from. */
function mailDomainOf(config: Config): string {
  return config.mail.from?.split('@')[1] ?? 'boendelotsen.invalid';
}

/** Loads the service's modules; started while the database opens, so the two overlap. */
async function loadServiceModules() {
  const [http, teams, tab, db, system, people, clock, interval, pnrCrypto, cases, coordination, identity, substitutes, providers, providerMail, providerTokens, providerReplies, deadlines, timers, reminders, bbIntake, handler, listener, sending, bbReader, senderAuth, gallring, auditCheckpoints, quarantineRelease] =
    await Promise.all([
      import('./bot/http-server.ts'),
      import('./bot/start.ts'),
      import('./tab/start.ts'),
      import('./db/migrate.ts'),
      import('./db/system.ts'),
      import('./db/people.ts'),
      import('./lib/clock.ts'),
      import('./lib/interval-task.ts'),
      import('./lib/pnr-crypto.ts'),
      import('./services/cases.ts'),
      import('./services/coordination.ts'),
      import('./services/identity.ts'),
      import('./services/substitutes.ts'),
      import('./services/providers.ts'),
      import('./services/provider-mail.ts'),
      import('./services/provider-tokens.ts'),
      import('./mail/provider-replies.ts'),
      import('./services/coordination-deadlines.ts'),
      import('./services/timer-sweep.ts'),
      import('./services/reminders-sweep.ts'),
      import('./mail/bb-intake.ts'),
      import('./mail/handler.ts'),
      import('./mail/imap-listener.ts'),
      import('./mail/send-thread.ts'),
      import('./mail/bb-reader.ts'),
      import('./mail/sender-auth.ts'),
      import('./services/gallring.ts'),
      import('./services/audit-checkpoints.ts'),
      import('./mail/quarantine-release.ts'),
    ]);
  return { http, teams, tab, db, system, people, clock, interval, pnrCrypto, cases, coordination, identity, substitutes, providers, providerMail, providerTokens, providerReplies, deadlines, timers, reminders, bbIntake, handler, listener, sending, bbReader, senderAuth, gallring, auditCheckpoints, quarantineRelease };
}

type ServiceModules = Awaited<ReturnType<typeof loadServiceModules>>;

/** Outgoing mail (the 'mail' outbox worker) and the mailbox listener, each when configured. */
function startMail(
  m: ServiceModules,
  config: Config,
  handle: DbHandle,
  logger: Logger,
  handler: IncomingMailHandler,
  providerReplies: Omit<Parameters<ServiceModules['providerReplies']['withProviderReplies']>[0], 'from'>,
  prepare: ((mail: IncomingMail) => Promise<string | undefined>) | undefined,
): { stop: () => Promise<void>; problem: () => string | undefined } {
  const { clock } = providerReplies;
  const { imap, smtp, from, internalDomains, maxSizeBytes, sendConcurrency, auth } = config.mail;
  if (auth.policy === 'none') logger.warn({ code: 'MAIL_AUTH_OFF' }, 'MAIL_AUTH_POLICY=none: mail senders are not verified (development only)');
  // On PostgreSQL the senders get a thread and connections of their own (mail/send-thread.ts);
  // PGlite has one connection, in this thread, so they stay here.
  const sending =
    smtp && from
      ? m.sending.createMailSending({ databaseUrl: handle.engine === 'postgres' ? config.db.url : undefined, db: handle.db, settings: { smtp, from, internalDomains, concurrency: sendConcurrency }, clock, logger })
      : undefined;
  // A subject with a provider case token goes to the provider side, everything else to the BB path.
  const routed = from ? m.providerReplies.withProviderReplies({ ...providerReplies, from }, handler) : handler;
  const listener =
    imap && from ? m.listener.createMailboxListener({ handle, imap, handler: routed, authenticate: m.senderAuth.createSenderAuthenticator(auth), from, internalDomains, maxSizeBytes, clock, logger, maxHandlerAttempts: config.mail.maxAttempts, commitConcurrency: config.mail.commitConcurrency, ...(prepare ? { prepare } : {}) }) : undefined;
  // A BB linked from Teams (koppla) is moved out of Quarantine by this pass, on its own connection.
  const release = imap
    ? m.interval.createIntervalTask('quarantine-release', Math.max(imap.pollIntervalMs, 5_000), () => m.quarantineRelease.releaseLinkedMails({ db: handle.db, imap, clock, logger }), logger)
    : undefined;
  sending?.start();
  listener?.start();
  release?.start();
  return {
    problem: () => listener?.problem() ?? sending?.problem(),
    stop: async () => {
      await release?.stop();
      await listener?.stop();
      await sending?.stop();
    },
  };
}

/**
 * Builds every part and starts serving. Returns a handle to stop it; `main` wires that to SIGTERM
 * and SIGINT.
 */
export async function startService(config: Config, logger: Logger, overrides: ServiceOverrides = {}): Promise<RunningService> {
  if (config.pnrKeyHex === undefined) {
    logger.warn({ code: 'PNR_KEY_LOCAL' }, 'PNR_ENCRYPTION_KEY is not set: using a key kept in the data directory (not allowed in production)');
  }
  const version = readVersion();
  // The routines are read and checked before anything else: a bad file refuses the start before
  // the database is touched. A folder that passed the checks unchanged, in this build and today,
  // is read from the build's record of it (cli/routine-check-cache.ts), as the commands read it.
  const [{ readCatalog, DEFAULT_ROUTINES_DIR }, { stockholmDate }] = await Promise.all([import('./cli/catalog.ts'), import('./domain/calendar/stockholm.ts')]);
  const routinesDir = config.routinesDir ?? DEFAULT_ROUTINES_DIR;
  const read = await readCatalog(routinesDir, { today: stockholmDate(new Date()) });
  if (!read.ok) throw new (await import('./services/routine-catalog.ts')).RoutineFilesError(read.folder, read.problems);
  const { catalog: routines, warnings } = read;
  for (const warning of warnings) logger.warn({ code: 'ROUTINE_WARNING', routinesDir }, warning);
  logger.info({ routinesDir, routines: routines.latest.map((r) => `${r.id} v${r.version}`) }, 'routines loaded');
  // Keys next: a key file others can read, or one that cannot be used, stops the start before the
  // database is opened or anything is written.
  const [{ loadKeyRing }, { loadSigningKey }] = await Promise.all([import('./lib/local-key.ts'), import('./lib/audit-checkpoints.ts')]);
  const signingKey = config.audit.signingKeyFile === undefined ? undefined : loadSigningKey(config.audit.signingKeyFile);
  const keys = loadKeyRing({ pnrKeyHex: config.pnrKeyHex, keysFile: config.keysFile, dataDir: config.db.dataDir });
  // Before the bot's modules load: botbuilder-dialogs' text recognizers then load only if used.
  (await import('./bot/defer-recognizers.ts')).deferTextRecognizers();
  // The database first: PGlite's creation or opening waits often (its WebAssembly compiles off
  // the main thread, its files are read), and the service's modules load in those waits. Started
  // together, the modules' much larger graph was loaded first and PGlite began seconds later.
  let begun = (): void => {};
  const underWay = new Promise<void>((resolve) => (begun = resolve));
  const opening = openDatabase(config, logger, begun);
  await Promise.race([underWay, opening]);
  const [m, handle] = await Promise.all([loadServiceModules(), opening]);
  // One clock for every service; shifted only in training and demo environments.
  const clock = m.clock.configuredClock(config.clock);
  warnShiftedClock(config, logger, clock);
  await m.system.recordServiceStart(handle.db, { startedAt: clock.now(), hostname: hostname(), pid: process.pid, version });

  const pnr = m.pnrCrypto.createPnrCrypto(keys.ring);
  const people = m.people.createPeopleDirectory(handle.db);
  // Provider mail carries a case token; the engine resolves the provider's mailbox.
  const providerTokens = m.providerTokens.providerTokensFromConfig({ ...config, pnrKeyHex: keys.baseKeyHex }, clock);
  const cases = m.cases.createCaseService({
    db: handle.db,
    directory: m.people.createPeopleDirectory,
    pnr,
    clock,
    logger,
    mailDomain: mailDomainOf(config),
    routines,
    workingTime: config.reminders.hours,
    ...m.providerMail.providerMailHooks(providerTokens),
  });
  // Timers are rows; every instance sweeps every minute and SKIP LOCKED keeps them apart.
  // The same sweep reminds of offer answer deadlines (routine 5), claimed by compare-and-set.
  const sweep = m.interval.createIntervalTask(
    'timer-sweep',
    60_000,
    () => m.timers.fireDueTimers({ db: handle.db, engine: cases.engine, clock, logger }).then(() => m.deadlines.sweepOfferDeadlines({ db: handle.db, clock, logger, hours: config.reminders.hours })),
    logger,
  );
  // The reminder ladder and digests: insert-wins keys keep instances from sending twice.
  const reminderSweep = m.interval.createIntervalTask('reminder-sweep', 60_000, () => m.reminders.sweepReminders({ db: handle.db, clock, logger, settings: config.reminders }), logger);

  const mailFrom = config.mail.from ?? 'boendelotsen@boendelotsen.invalid';
  const coordination = m.coordination.createCoordinationService({
    db: handle.db,
    clock,
    logger,
    engine: cases.engine,
    mailFrom,
    offerAnswerWorkingDays: config.coordination.offerAnswerWorkingDays,
    workingTime: config.reminders.hours,
  });
  const providers = m.providers.createProviderService({ db: handle.db, engine: cases.engine, tokens: providerTokens, clock, mailFrom });
  // Who speaks in Teams: the Entra object id in the allowed tenant(s), never a reported e-mail.
  const identity = m.identity.createIdentityService({ db: handle.db, clock, logger, allowedTenants: config.bot.allowedTenants });
  const substitutes = m.substitutes.createSubstituteService({ db: handle.db, clock, logger, maxWeeks: config.bot.substituteMaxWeeks });
  const teams = m.teams.createTeamsRuntime({ config, db: handle.db, cases, people, coordination, providers, identity, substitutes, logger, clock });
  // The overview tab: the same services and rules as chat, behind a Teams SSO token.
  const tab = m.tab.createOverviewTab({ config, db: handle.db, cases, people, coordination, identity, pnr, clock, logger, routineTitle: (id) => routines.latest.find((r) => r.id === id)?.title ?? id });

  // Set once the mailbox starts; the health check is served before that.
  let mailProblem: () => string | undefined = () => undefined;
  const http = m.http.createHttpServer({
    logger,
    mount: (app) => {
      teams.mount(app);
      tab(app);
    },
    health: async () => {
      const problem = mailProblem();
      if (problem !== undefined) return { ok: false, reason: `e-post: ${problem}` };
      try {
        await m.system.pingDb(handle.db);
        const status = await m.db.migrationStatus(handle);
        return {
          ok: true,
          detail: { version, database: handle.engine, migration: status.latest, migrations: status.applied, starts: await m.system.countServiceStarts(handle.db) },
        };
      } catch (err) {
        logger.warn({ code: 'DB_UNAVAILABLE', err }, 'database not reachable');
        return { ok: false, reason: 'database not reachable' };
      }
    },
  });
  const address = await http.listen(config.http.port, config.http.host);
  logger.info({ port: address.port, host: address.address, version }, 'Boendelotsen listening');
  teams.start();
  // BB mails are parsed in a worker thread with a deadline: never on the loop that serves Teams.
  const bbReader = m.bbReader.createBbReader({ timeoutMs: config.mail.parseTimeoutMs, logger, workers: config.mail.parseWorkers });
  const mailHandler = overrides.mailHandler ?? m.handler.createDefaultMailHandler({
    findPlaneringsledare: m.bbIntake.findPlaneringsledare,
    actOnBehovsbedomning: m.bbIntake.createBbIntake({ engine: cases.engine, pnr, logger, clock, readMail: bbReader.read }),
  });
  // The pipeline reads each BB ahead of its transaction; the case it names is its commit lane.
  const prepare = overrides.mailHandler ? undefined : (mail: IncomingMail) => bbReader.prefetch(mail.source).then((read) => (read.result.ok ? (read.result.bb.caseRef ?? undefined) : undefined));
  const mail = startMail(m, config, handle, logger, mailHandler, { engine: cases.engine, tokens: providerTokens, clock, logger }, prepare);
  mailProblem = mail.problem;
  sweep.start();
  reminderSweep.start();
  // Signed checkpoints of the audit chain's head, outside the database (and to the archive mailbox).
  if (!signingKey) logger.warn({ code: 'AUDIT_UNSIGNED' }, 'AUDIT_SIGNING_KEY_FILE is not set: a rewritten audit tail with recomputed hashes cannot be detected');
  const archive = config.audit.archiveMailbox && config.mail.from ? { to: config.audit.archiveMailbox, from: config.mail.from } : undefined;
  const checkpoints = signingKey
    ? m.interval.createIntervalTask('audit-checkpoint', config.audit.checkpointIntervalMs, () => m.auditCheckpoints.writeAuditCheckpoint({ db: handle.db, key: signingKey, file: config.audit.checkpointFile, clock, logger, archive }), logger)
    : undefined;
  // Gallring: once a day after GALLRING_TIME; checked every 10 minutes.
  const gallring = m.interval.createIntervalTask('gallring', 600_000, m.gallring.dailyGallring({ db: handle.db, clock, logger, retention: config.retention, dailyAt: config.retention.dailyAt }), logger);
  gallring.start();
  checkpoints?.start();
  // The audit sealer folds finished entries into the global chain of seals (with or without a key).
  const sealer = m.interval.createIntervalTask('audit-seal', config.audit.sealIntervalMs, () => m.auditCheckpoints.sealAuditTrail({ db: handle.db, clock }), logger);
  sealer.start();

  // Reverse order of start: stop taking requests, then the workers, then close the database.
  const stop = async () => {
    await http.close(config.shutdownTimeoutMs);
    await sweep.stop();
    await reminderSweep.stop();
    await gallring.stop();
    await checkpoints?.stop();
    await sealer.stop();
    await teams.stop();
    await mail.stop();
    await bbReader.close();
    await handle.close();
  };
  return { port: address.port, stop };
}

/** Runs one command; returns its exit code. Only commands that declare `needsDb` open the database. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || isHelp(argv[0])) {
    io.stdout(helpText());
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr(`Okänt kommando: ${argv.join(' ')}\n\n${helpText()}`);
    return 64;
  }
  const command = await found.spec.load();
  const usage = found.spec.usage;
  // Commands without the database read only the routine folder setting, not the whole
  // configuration: a bad unrelated setting does not stop `routine show`.
  if (found.spec.needsConfig) {
    const config = await readConfig();
    return command.run(found.args, { io, usage, config, ...(config.routinesDir === undefined ? {} : { routinesDir: config.routinesDir }) });
  }
  if (!found.spec.needsDb) {
    const { readRoutinesDirSetting } = await import('./config-env.ts');
    const routinesDir = readRoutinesDirSetting();
    return command.run(found.args, routinesDir === undefined ? { io, usage } : { io, usage, routinesDir });
  }
  const config = await readConfig();
  // Tools keep stdout for their own output: logs go to stderr, quietly.
  const { createLogger } = await import('./lib/logger.ts');
  const logger = createLogger({ level: 'warn', format: config.log.format, toStderr: true });
  const [handle, { configuredClock }] = await Promise.all([openDatabase(config, logger), import('./lib/clock.ts')]);
  const clock = configuredClock(config.clock);
  warnShiftedClock(config, logger, clock);
  const [{ loadKeyRing }, { createPnrCrypto }] = await Promise.all([import('./lib/local-key.ts'), import('./lib/pnr-crypto.ts')]);
  const keys = loadKeyRing({ pnrKeyHex: config.pnrKeyHex, keysFile: config.keysFile, dataDir: config.db.dataDir });
  try {
    return await command.run(found.args, { io, usage, ...(config.routinesDir === undefined ? {} : { routinesDir: config.routinesDir }), services: { handle, config, clock, crypto: createPnrCrypto(keys.ring), actor: `cli:${userInfo().username}` } });
  } finally {
    await handle.close();
  }
}

function warnShiftedClock(config: Config, logger: Logger, clock: Clock): void {
  if (config.clock.offsetMs === 0 && config.clock.start === undefined) return;
  logger.warn({ code: 'CLOCK_SHIFTED', now: clock.now().toISOString(), offsetMs: config.clock.offsetMs }, 'the service clock is shifted (training or demo environment)');
}

/** Stops the service once on SIGTERM or SIGINT, then exits: the port is free when the process is gone. */
function stopOnSignals(service: RunningService, logger: Logger): void {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    service.stop().then(
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
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

async function loadConfigOrExit(): Promise<Config> {
  const { ConfigError } = await import('./config.ts');
  try {
    return await readConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

/** The process entry: the service without arguments, else one command. */
export async function main(argv: string[], overrides: ServiceOverrides = {}): Promise<void> {
  // Everything this process creates (data, keys, checkpoints, exports) is the owner's alone.
  process.umask(0o077);
  try {
    if (argv.length > 0) {
      const io: CliIo = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) };
      process.exitCode = await runCli(argv, io);
      return;
    }
    const config = await loadConfigOrExit();
    const { createLogger } = await import('./lib/logger.ts');
    const logger = createLogger(config.log);
    stopOnSignals(await startService(config, logger, overrides), logger);
  } catch (err) {
    if (err instanceof Error && err.name === 'RoutineFilesError') {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG: the routine files are configuration
    }
    if (err instanceof Error && err.name === 'PrivateFileError') {
      process.stderr.write(`Boendelotsen startar inte: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    if (err instanceof Error && err.name === 'ConfigError') {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    process.stderr.write(`Boendelotsen kunde inte starta: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
