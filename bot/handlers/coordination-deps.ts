import type { CoordinationResult, CoordinationService } from '../../services/coordination.ts';
import type { BotDeps } from '../deps.ts';

/** The coordination service the composition root built. */
export function coordinationFor(deps: BotDeps): CoordinationService {
  return deps.coordination;
}

export function resultText(r: CoordinationResult): string {
  return r.ok ? `✅ ${r.message}` : r.message;
}
