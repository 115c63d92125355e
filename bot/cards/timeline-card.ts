import { roleTitle } from '../../domain/roles.ts';
import type { CaseView, TimelineEntry } from '../../services/types.ts';
import { card, execute, facts, heading, text, type AdaptiveCard, type CardElement } from './card.ts';

export const CASE_ACTION_VERBS = { moveIn: 'move_in', changedNeed: 'changed_need', close: 'close_case' } as const;

const ICON: Record<TimelineEntry['status'], string> = { done: '✅', open: '⏳', skipped: '➖', cancelled: '✖️' };

/** One line per step: done, open, late, and who. */
function timelineLine(e: TimelineEntry): string {
  const icon = e.status === 'open' && e.late ? '⚠️' : ICON[e.status];
  const who = e.status === 'done' ? (e.completedByName ?? '') : (e.holderName ?? roleTitle(e.role));
  const due = e.status === 'open' && e.due ? `, senast ${e.due}${e.late ? ' (försenad)' : ''}` : '';
  const when = e.status === 'done' && e.completedAt ? ` ${e.completedAt.slice(0, 10)}` : '';
  return `${icon} ${e.title} – ${who}${when}${due}`;
}

/** "ärende REF": the timeline, and the case-level actions as inputs plus buttons. */
export function timelineCard(view: CaseView): AdaptiveCard {
  const body: CardElement[] = [
    heading(`${view.caseRef} ${view.clientInitials}`),
    facts([
      ['Rutin', `${view.routineTitle} (v${view.routineVersion})`],
      ['Status', view.status === 'open' ? 'pågår' : 'avslutat'],
      ...(view.legalBasis ? ([['Lagrum', view.legalBasis]] as Array<[string, string]>) : []),
    ]),
    ...view.timeline.map((e) => text(timelineLine(e), { spacing: 'Small' })),
  ];
  if (view.status === 'closed') return card(body);
  body.push(
    { type: 'Input.Date', id: 'date', label: 'Datum (inflytt, sedan när, avslut)' },
    { type: 'Input.Text', id: 'reason', label: 'Orsak (vid avslut)', maxLength: 200 },
  );
  const data = { caseRef: view.caseRef };
  return card(body, [
    execute('Rapportera inflytt', CASE_ACTION_VERBS.moveIn, data),
    execute('Förändrat behov', CASE_ACTION_VERBS.changedNeed, data),
    execute('Avsluta ärendet', CASE_ACTION_VERBS.close, data, 'destructive'),
  ]);
}
