import type { CaseEngine } from '../../services/case-service.ts';
import { createCoordinationService, type CoordinationResult, type CoordinationService } from '../../services/coordination.ts';
import type { BotDeps } from '../deps.ts';

const services = new WeakMap<BotDeps, CoordinationService>();

/**
 * The coordination service over the bot's own deps. The real case service carries its engine, so
 * the routine 5 / routine 3 case steps move with the queue; without it the queue works alone.
 */
export function coordinationFor(deps: BotDeps): CoordinationService {
  let service = services.get(deps);
  if (!service) {
    const engine = (deps.cases as { engine?: CaseEngine }).engine;
    service = createCoordinationService({
      db: deps.db,
      clock: deps.clock,
      logger: deps.logger,
      engine,
      mailFrom: deps.config.mail.from ?? 'boendelotsen@boendelotsen.invalid',
      offerAnswerWorkingDays: deps.config.coordination.offerAnswerWorkingDays,
      workingTime: deps.config.reminders.hours,
    });
    services.set(deps, service);
  }
  return service;
}

export function resultText(r: CoordinationResult): string {
  return r.ok ? `✅ ${r.message}` : r.message;
}
