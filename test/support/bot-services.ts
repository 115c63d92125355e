import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { CaseEngine } from '../../services/case-service.ts';
import { createCoordinationService } from '../../services/coordination.ts';
import { createIdentityService } from '../../services/identity.ts';
import { createSubstituteService } from '../../services/substitutes.ts';
import { providerTokensFromConfig } from '../../services/provider-tokens.ts';
import { createProviderService } from '../../services/providers.ts';

/** The services main.ts builds for the bot (coordination, providers, identity, substitutes), for tests that start it. */
export function botServices(deps: { db: Db; clock: Clock; logger: Logger; config: Config; cases: { engine: CaseEngine } }) {
  const mailFrom = deps.config.mail.from ?? 'boendelotsen@boendelotsen.invalid';
  return {
    coordination: createCoordinationService({
      db: deps.db,
      clock: deps.clock,
      logger: deps.logger,
      engine: deps.cases.engine,
      mailFrom,
      offerAnswerWorkingDays: deps.config.coordination.offerAnswerWorkingDays,
      workingTime: deps.config.reminders.hours,
    }),
    providers: createProviderService({ db: deps.db, engine: deps.cases.engine, tokens: providerTokensFromConfig(deps.config, deps.clock), clock: deps.clock, mailFrom }),
    identity: createIdentityService({ db: deps.db, clock: deps.clock, logger: deps.logger, allowedTenants: deps.config.bot.allowedTenants }),
    substitutes: createSubstituteService({ db: deps.db, clock: deps.clock, logger: deps.logger, maxWeeks: deps.config.bot.substituteMaxWeeks }),
  };
}
