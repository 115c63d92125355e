import type { Express } from 'express';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { createOutboxWorker, type OutboxWorker } from '../services/outbox-worker.ts';
import type { PeopleDirectory } from '../db/people.ts';
import type { CaseService } from '../services/types.ts';
import { botMode } from './auth-options.ts';
import { logBotMode, mountBotRoutes } from './routes.ts';
import { createTeamsBot, type TeamsBot, type TeamsBotDeps } from './teams-app.ts';

export type TeamsRuntime = {
  bot: TeamsBot | undefined;
  /** For createHttpServer's mount hook. */
  mount: (app: Express) => void;
  /** Starts delivering the 'teams' outbox (after the server listens). */
  start: () => void;
  /** One delivery pass now (tests, and a nudge after a burst). */
  runOutboxOnce: () => Promise<number>;
  stop: () => Promise<void>;
};

/**
 * The Teams side of the composition root: the bot when it is configured (an app id, or explicit
 * anonymous mode), its route, and the worker that delivers the 'teams' outbox.
 */
export type TeamsRuntimeDeps = { config: Config; db: Db; cases: CaseService | undefined; people: PeopleDirectory; logger: Logger; clock: Clock } & Pick<
  TeamsBotDeps,
  'credentialsFactory' | 'steps' | 'routines' | 'startable' | 'coordination' | 'providers' | 'identity' | 'substitutes'
>;

export function createTeamsRuntime(deps: TeamsRuntimeDeps): TeamsRuntime {
  const mode = botMode(deps.config.bot);
  const cases = deps.cases;
  if (mode === 'anonymous' && deps.config.nodeEnv === 'production') {
    // config.ts refuses this already; a second guard where the door would open.
    throw new Error('BOT_ALLOW_ANONYMOUS=true är inte tillåtet när NODE_ENV=production');
  }
  logBotMode(deps.logger, mode);
  if (mode !== 'disabled' && !cases) deps.logger.warn({ code: 'BOT_NO_CASE_SERVICE' }, 'no case service wired: /api/messages answers 503');
  const bot = mode === 'disabled' || !cases ? undefined : createTeamsBot({ ...deps, cases });
  const worker: OutboxWorker | undefined = bot
    ? createOutboxWorker({ db: deps.db, channel: 'teams', deliver: bot.deliver, clock: deps.clock, logger: deps.logger })
    : undefined;
  return {
    bot,
    mount: (app) => mountBotRoutes(app, bot, deps.logger),
    start: () => worker?.start(),
    runOutboxOnce: () => worker?.runOnce() ?? Promise.resolve(0),
    stop: async () => {
      await worker?.stop();
    },
  };
}
