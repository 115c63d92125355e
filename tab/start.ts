import type { Express } from 'express';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { PeopleDirectory } from '../db/people.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { PnrCrypto } from '../lib/pnr-crypto.ts';
import type { CoordinationService } from '../services/coordination.ts';
import type { IdentityService } from '../services/identity.ts';
import { createOverviewService } from '../services/overview.ts';
import type { CaseService } from '../services/types.ts';
import { createTabAuthenticator } from './auth.ts';
import { mountTabRoutes } from './routes.ts';

export type OverviewTabDeps = {
  config: Pick<Config, 'tab' | 'bot'>;
  db: Db;
  cases: Pick<CaseService, 'listTasks' | 'viewCase'>;
  people: PeopleDirectory;
  coordination: Pick<CoordinationService, 'listQueue' | 'listVacancies'>;
  identity: Pick<IdentityService, 'resolve'>;
  pnr: PnrCrypto;
  clock: Clock;
  logger: Logger;
  routineTitle: (routineId: string) => string;
};

/**
 * The overview tab's part of the composition root: its routes for the HTTP server's mount hook.
 * Without an SSO app id the pages load and their data answers 503 (said once, at start).
 */
export function createOverviewTab(d: OverviewTabDeps): (app: Express) => void {
  const { clientId, resource, openIdMetadataUrl } = d.config.tab;
  const auth = clientId === undefined ? undefined : createTabAuthenticator({ clientId, resource, openIdMetadataUrl, allowedTenants: d.config.bot.allowedTenants }, d.logger);
  if (!auth) d.logger.warn({ code: 'TAB_NOT_CONFIGURED' }, 'TAB_SSO_CLIENT_ID and MICROSOFT_APP_ID are not set: the overview tab shows no data');
  const overview = createOverviewService({ db: d.db, people: d.people, clock: d.clock, cases: d.cases, coordination: d.coordination, routineTitle: d.routineTitle });
  return (app) => mountTabRoutes(app, { auth, identity: d.identity, overview, report: { db: d.db, clock: d.clock, crypto: d.pnr }, people: d.people, clock: d.clock, logger: d.logger });
}
