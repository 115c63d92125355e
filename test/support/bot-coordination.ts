import { botServices } from './bot-services.ts';
import type { AddressInfo } from 'node:net';
import { testLogger } from './log-capture.ts';
import { expect } from 'vitest';
import { createHttpServer } from '../../bot/http-server.ts';
import { createTeamsRuntime, type TeamsRuntime } from '../../bot/start.ts';
import { loadConfig, type Config } from '../../config.ts';
import { createPeopleDirectory } from '../../db/people.ts';
import { manualClock } from '../../lib/clock.ts';
import { createPnrCrypto } from '../../lib/pnr-crypto.ts';
import { createCaseService } from '../../services/cases.ts';
import { cardAction, message, type TeamsUser } from './bot-activities.ts';
import { testPnrKey } from './case-fixtures.ts';
import { startFakeConnector, type FakeConnector } from './fake-connector.ts';
import { openTestDb, type Engine, type TestDb } from './test-db.ts';
import { shippedRoutines } from './routines.ts';
import type { RoutineCatalog } from '../../domain/routines/registry.ts';

type Card = { body: Array<Record<string, unknown>>; actions?: Array<Record<string, unknown>> };

/**
 * The bot on a free loopback port over the REAL case service (not the shared harness's fake), so
 * coordination drives routine 5 / routine 3 case steps as in production. Only the Bot Connector is faked.
 */
export async function startCoordinationBot(engine: Engine, now: Date, routines: RoutineCatalog = shippedRoutines) {
  const db: TestDb = await openTestDb(engine);
  const connector: FakeConnector = await startFakeConnector();
  const clock = manualClock(now);
  const config: Config = loadConfig({ NODE_ENV: 'test', BOT_ALLOW_ANONYMOUS: 'true', MAIL_FROM: 'boendelotsen@kommun.example', OFFER_ANSWER_WORKING_DAYS: '3' });
  const logger = testLogger();
  const cases = createCaseService({ routines, db: db.db, directory: createPeopleDirectory, pnr: createPnrCrypto(testPnrKey()), clock, logger, mailDomain: 'kommun.example' });
  const runtime: TeamsRuntime = createTeamsRuntime({ config, db: db.db, cases, people: createPeopleDirectory(db.db), ...botServices({ db: db.db, clock, logger, config, cases }), logger, clock });
  const http = createHttpServer({ logger, health: () => Promise.resolve({ ok: true, detail: {} }), mount: runtime.mount });
  const address: AddressInfo = await http.listen(0, '127.0.0.1');
  const post = (activity: Record<string, unknown>) =>
    fetch(`http://127.0.0.1:${address.port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });

  /** Posts a chat line and returns the bot's last reply in that conversation. */
  async function say(user: TeamsUser, text: string, replies = 1): Promise<{ text: string; card: Card | undefined; all: string }> {
    const before = connector.sent.filter((s) => s.conversationId === user.conversationId).length;
    const res = await post(message(user, connector.url, text));
    expect(res.status).toBe(200);
    const got = (await connector.waitFor(user.conversationId, before + replies)).slice(before);
    const texts = got.map((g) => g.activity.text ?? '').join('\n');
    const withCard = got.find((g) => g.activity.attachments?.length);
    return { text: got[0]?.activity.text ?? '', card: withCard?.activity.attachments?.[0]?.content as Card | undefined, all: texts };
  }

  /** Presses an Action.Execute button; the invoke response is the card (or text) that replaces it. */
  async function press(user: TeamsUser, verb: string, data: Record<string, unknown>): Promise<string> {
    const res = await post(cardAction(user, connector.url, verb, data));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { value: unknown };
    return typeof body.value === 'string' ? body.value : JSON.stringify((body.value as Card).body);
  }

  /** Runs the 'teams' outbox worker until nothing is due (deliveries are otherwise on its timer). */
  async function deliverOutbox(): Promise<number> {
    let total = 0;
    for (let n = await runtime.runOutboxOnce(); n > 0; n = await runtime.runOutboxOnce()) total += n;
    return total;
  }

  return {
    db, connector, clock, config, cases, say, press, deliverOutbox,
    stop: async () => {
      await runtime.stop();
      await http.close(1000);
      await connector.close();
      await db.close();
    },
  };
}

export type CoordinationBot = Awaited<ReturnType<typeof startCoordinationBot>>;
