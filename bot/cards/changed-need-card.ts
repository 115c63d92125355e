import type { PhaseDefinition } from '../../domain/routines/types.ts';
import { card, execute, facts, heading, text, warning, type AdaptiveCard, type CardElement } from './card.ts';
import { fieldInput } from './task-card.ts';

export const CHANGED_NEED_VERB = 'report_changed_need';

/**
 * "förändrat behov": the routine's phase asks more than a chat line carries (who noticed it, when
 * it was requested, that it is documented); the card asks for all of it, with what is known filled
 * in. Only the reference the person typed is shown: the case is not read before the service has
 * checked their role on it.
 */
export function changedNeedCard(c: { caseRef: string; phase: PhaseDefinition; values: Record<string, string>; problem?: string | undefined }): AdaptiveCard {
  const body: CardElement[] = [heading(c.phase.title), facts([['Ärende', c.caseRef]])];
  for (const rule of c.phase.rules ?? []) body.push(text(rule.message, { isSubtle: true, spacing: 'Small' }));
  if (c.problem) body.push(warning(c.problem));
  body.push(...(c.phase.captures ?? []).map((f) => fieldInput(f, c.values[f.name])));
  return card(body, [execute('Anmäl förändrat behov', CHANGED_NEED_VERB, { caseRef: c.caseRef }, 'positive')]);
}
