import type { AddressInfo } from 'node:net';
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { pino } from 'pino';
import { createHttpServer } from '../../bot/http-server.ts';
import { createTeamsRuntime, type TeamsRuntime } from '../../bot/start.ts';
import { loadConfig } from '../../config.ts';
import { upsertPeople, type NewPerson } from '../../db/people.ts';
import { manualClock } from '../../lib/clock.ts';
import { createFakeCases } from './bot-fake-cases.ts';
import { startFakeConnector, type FakeConnector } from './fake-connector.ts';
import { openTestDb, type Engine, type TestDb } from './test-db.ts';

/**
 * Outbound tokens without Entra ID: the channel side is faked (fake-connector.ts), so the bot's own
 * token for calling it is a fixed string the fake accepts.
 */
class TestCredentials extends ConfigurationServiceClientCredentialFactory {
  override createCredentials(): Promise<never> {
    return Promise.resolve({ signRequest: (req: { headers: { set: (k: string, v: string) => void } }) => (req.headers.set('authorization', 'Bearer test-outbound'), Promise.resolve(req)) } as never);
  }
}

export type BotHarness = {
  db: TestDb;
  connector: FakeConnector;
  runtime: TeamsRuntime;
  clock: ReturnType<typeof manualClock>;
  baseUrl: string;
  /** Audit lines of the fake service (the real one writes audit_log). */
  audit: string[];
  post: (activity: Record<string, unknown>, token?: string) => Promise<Response>;
  /** Runs the 'teams' outbox worker once (deliveries are otherwise on its timer). */
  deliverOutbox: () => Promise<number>;
  stop: () => Promise<void>;
};

export type HarnessOptions = { engine: Engine; appId?: string; metadataUrl?: string; connector?: FakeConnector; now?: Date };

/**
 * The express app with the bot mounted, in this process, on a free loopback port, with a fake
 * Bot Connector. To run against the real CaseService, replace createFakeCases below (one line).
 */
export async function startBotHarness(opts: HarnessOptions): Promise<BotHarness> {
  const db = await openTestDb(opts.engine);
  const connector = opts.connector ?? (await startFakeConnector());
  const clock = manualClock(opts.now ?? new Date('2026-03-02T09:00:00+01:00'));
  const env: Record<string, string> = { NODE_ENV: 'test' };
  if (opts.appId) Object.assign(env, { MICROSOFT_APP_ID: opts.appId, MICROSOFT_APP_PASSWORD: 'test-secret' });
  else env.BOT_ALLOW_ANONYMOUS = 'true';
  if (opts.metadataUrl) env.BOT_OPENID_METADATA_URL = opts.metadataUrl;
  const config = loadConfig(env);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const fake = createFakeCases(db.db, clock);
  const runtime = createTeamsRuntime({ config, db: db.db, cases: fake.cases, logger, clock, ...(opts.appId ? { credentialsFactory: new TestCredentials({ MicrosoftAppId: opts.appId, MicrosoftAppPassword: 'x' }) } : {}), steps: fake.steps, routines: fake.routines });
  const http = createHttpServer({ logger, health: () => Promise.resolve({ ok: true, detail: {} }), mount: runtime.mount });
  const address: AddressInfo = await http.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    db,
    connector,
    runtime,
    clock,
    baseUrl,
    audit: fake.audit,
    post: (activity, token) =>
      fetch(`${baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(activity),
      }),
    deliverOutbox: () => runtime.runOutboxOnce(),
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
