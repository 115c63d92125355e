import { botServices } from './bot-services.ts';
import type { AddressInfo } from 'node:net';
import { testLogger } from './log-capture.ts';
import { createHttpServer } from '../../bot/http-server.ts';
import { createTeamsRuntime, type TeamsRuntime } from '../../bot/start.ts';
import { loadConfig } from '../../config.ts';
import { createPeopleDirectory, upsertPeople, type NewPerson } from '../../db/people.ts';
import { manualClock } from '../../lib/clock.ts';
import { createPnrCrypto, type PnrCrypto } from '../../lib/pnr-crypto.ts';
import { createCaseService } from '../../services/cases.ts';
import { TestCredentials } from './bot-credentials.ts';
import { testPnrKey } from './case-fixtures.ts';
import { startFakeConnector, type FakeConnector } from './fake-connector.ts';
import { openTestDb, type Engine, type TestDb } from './test-db.ts';
import { shippedRoutines } from './routines.ts';

export type CaseServiceWithEngine = ReturnType<typeof createCaseService>;

export type BotHarness = {
  db: TestDb;
  connector: FakeConnector;
  runtime: TeamsRuntime;
  clock: ReturnType<typeof manualClock>;
  /** The real case services the bot calls; `engine` is the mailbox's way in (a BB document event). */
  cases: CaseServiceWithEngine;
  baseUrl: string;
  post: (activity: Record<string, unknown>, token?: string) => Promise<Response>;
  /** Runs the 'teams' outbox worker until nothing is due (deliveries are otherwise on its timer). */
  deliverOutbox: () => Promise<number>;
  stop: () => Promise<void>;
};

export type HarnessOptions = {
  engine: Engine;
  appId?: string;
  metadataUrl?: string;
  connector?: FakeConnector;
  now?: Date;
  env?: Record<string, string>;
  /** The data keys, when the test's mail side must share them with the bot (sealed quarantine). */
  pnr?: PnrCrypto;
};

/**
 * The express app with the bot mounted, in this process, on a free loopback port: the real case
 * services on a real database (PGlite or PostgreSQL), and a fake Bot Connector, the one part of
 * Teams a test cannot run. The same wiring as main.ts, with a clock the test moves.
 */
export async function startBotHarness(opts: HarnessOptions): Promise<BotHarness> {
  const db = await openTestDb(opts.engine);
  const connector = opts.connector ?? (await startFakeConnector());
  const clock = manualClock(opts.now ?? new Date('2026-03-02T09:00:00+01:00'));
  const env: Record<string, string> = { NODE_ENV: 'test' };
  if (opts.appId) Object.assign(env, { MICROSOFT_APP_ID: opts.appId, MICROSOFT_APP_PASSWORD: 'test-secret' });
  else env.BOT_ALLOW_ANONYMOUS = 'true';
  if (opts.metadataUrl) env.BOT_OPENID_METADATA_URL = opts.metadataUrl;
  Object.assign(env, opts.env);
  const config = loadConfig(env);
  const logger = testLogger();
  const cases = createCaseService({ routines: shippedRoutines, db: db.db, directory: createPeopleDirectory, pnr: opts.pnr ?? createPnrCrypto(testPnrKey()), clock, logger, mailDomain: 'boendelotsen.kommun.example' });
  const runtime = createTeamsRuntime({ config, db: db.db, cases, people: createPeopleDirectory(db.db), ...botServices({ db: db.db, clock, logger, config, cases }), logger, clock, ...(opts.appId ? { credentialsFactory: new TestCredentials({ MicrosoftAppId: opts.appId, MicrosoftAppPassword: 'x' }) } : {}) });
  const http = createHttpServer({ logger, health: () => Promise.resolve({ ok: true, detail: {} }), mount: runtime.mount });
  const address: AddressInfo = await http.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    db,
    connector,
    runtime,
    clock,
    cases,
    baseUrl,
    post: (activity, token) =>
      fetch(`${baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(activity),
      }),
    deliverOutbox: async () => {
      // A delivery can queue more (a mail instead of Teams): drain until a pass finds nothing.
      let total = 0;
      for (let n = await runtime.runOutboxOnce(); n > 0; n = await runtime.runOutboxOnce()) total += n;
      return total;
    },
    stop: async () => {
      await runtime.stop();
      await http.close(1000);
      if (!opts.connector) await connector.close();
      await db.close();
    },
  };
}

export async function addPeople(h: BotHarness, people: NewPerson[]): Promise<void> {
  await upsertPeople(h.db.db, people);
}
