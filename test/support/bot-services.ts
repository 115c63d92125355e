import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { CaseEngine } from '../../services/case-service.ts';
import { createCoordinationService } from '../../services/coordination.ts';
import { providerTokensFromConfig } from '../../services/provider-tokens.ts';
import { createProviderService } from '../../services/providers.ts';

/** The coordination and provider services as main.ts builds them, for tests that start the bot. */
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
    providers: createProviderService({ db: deps.db, engine: deps.cases.engine, tokens: providerTokensFromConfig(deps.config), clock: deps.clock, mailFrom }),
  };
}
