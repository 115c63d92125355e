import type { CaseView, TimelineEntry } from '../../services/types.ts';
import { card, execute, facts, heading, text, warning, type AdaptiveCard } from './card.ts';
import { CASE_ACTION_VERBS } from './timeline-card.ts';

/**
 * "avsluta REF DATUM ORSAK" while steps are open: what closing cancels, and one button that closes
 * (the timeline card's own close action, so the outcome is the redrawn timeline). Doing nothing
 * leaves the case open.
 */
export function closeConfirmCard(view: CaseView, open: TimelineEntry[], date: string, reason: string): AdaptiveCard {
  const lines = open.map((e) => `- ${e.title}${e.holderName ? ` (${e.holderName})` : ''}${e.late ? ' – försenat' : ''}`).join('\n');
  return card(
    [
      heading(`Avsluta ${view.caseRef} ${view.clientInitials}?`),
      facts([
        ['Avslutas', date],
        ['Orsak', reason],
      ]),
      warning(`${open.length === 1 ? 'Det här öppna steget avbryts' : `Dessa ${open.length} öppna steg avbryts`} och deras påminnelser stoppas:`),
      text(lines),
      text('Vill du inte avsluta, gör ingenting: ärendet lämnas orört.', { isSubtle: true }),
    ],
    [execute('Avsluta ärendet', CASE_ACTION_VERBS.close, { caseRef: view.caseRef, date, reason }, 'destructive')],
  );
}
