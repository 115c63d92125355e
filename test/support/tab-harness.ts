import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../../bot/http-server.ts';
import { loadConfig } from '../../config.ts';
import { createPeopleDirectory } from '../../db/people.ts';
import { manualClock } from '../../lib/clock.ts';
import { createPnrCrypto, type PnrCrypto } from '../../lib/pnr-crypto.ts';
import { createCaseService } from '../../services/cases.ts';
import { createOverviewTab } from '../../tab/start.ts';
import { botServices } from './bot-services.ts';
import { testPnrKey } from './case-fixtures.ts';
import { testLogger } from './log-capture.ts';
import type { Logger } from '../../lib/logger.ts';
import { shippedRoutines } from './routines.ts';
import { startSsoIssuer, TAB_CLIENT_ID, TAB_RESOURCE, TEST_TENANT, type SsoIssuer } from './tab-tokens.ts';
import { openTestDb, type Engine, type TestDb } from './test-db.ts';

export type TabHarness = {
  db: TestDb;
  crypto: PnrCrypto;
  issuer: SsoIssuer;
  clock: ReturnType<typeof manualClock>;
  baseUrl: string;
  /** GET with a bearer token (or none). */
  get: (path: string, token?: string) => Promise<Response>;
  stop: () => Promise<void>;
};

/**
 * The express app with the overview tab mounted as main.ts mounts it, on a free loopback port:
 * the real services on a real database, and Entra's key set played on loopback.
 */
export async function startTabHarness(opts: { engine: Engine; now: Date; db?: TestDb; logger?: Logger }): Promise<TabHarness> {
  const db = opts.db ?? (await openTestDb(opts.engine));
  const issuer = await startSsoIssuer();
  const clock = manualClock(opts.now);
  const crypto = createPnrCrypto(testPnrKey());
  const config = loadConfig({ NODE_ENV: 'test', TAB_SSO_CLIENT_ID: TAB_CLIENT_ID, TAB_SSO_RESOURCE: TAB_RESOURCE, TAB_OPENID_METADATA_URL: issuer.metadataUrl, BOT_ALLOWED_TENANTS: TEST_TENANT });
  const logger = opts.logger ?? testLogger();
  const cases = createCaseService({ routines: shippedRoutines, db: db.db, directory: createPeopleDirectory, pnr: crypto, clock, logger, mailDomain: 'boendelotsen.kommun.example' });
  const services = botServices({ db: db.db, clock, logger, config, cases });
  const mount = createOverviewTab({
    config, db: db.db, cases, people: createPeopleDirectory(db.db), coordination: services.coordination, identity: services.identity, pnr: crypto, clock, logger,
    routineTitle: (id) => shippedRoutines.latest.find((r) => r.id === id)?.title ?? id,
  });
  const http = createHttpServer({ logger, health: () => Promise.resolve({ ok: true, detail: {} }), mount });
  const address: AddressInfo = await http.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    db, crypto, issuer, clock, baseUrl,
    get: (path, token) => fetch(`${baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }),
    stop: async () => {
      await http.close(1000);
      await issuer.stop();
      if (!opts.db) await db.close();
    },
  };
}
