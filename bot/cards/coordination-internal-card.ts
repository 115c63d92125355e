import { card, execute, heading, text, type AdaptiveCard } from './card.ts';

export const INTERNAL_ANSWER_VERB = 'coordination_internal_answer';
export const INTERNAL_DECISION_VERB = 'coordination_internal_decision';

/** The planeringsledare's answer on a proposed internal move (routine 3). */
export function internalAnswerCard(vacancyRef: string): AdaptiveCard {
  return card(
    [heading(`Intern flytt till ${vacancyRef}`), text('Ta ställning utifrån förvaltningens totala och aktuella behov av platsen. Motsätter du dig flytten beslutar verksamhetschef.')],
    [
      execute('Tillstyrker', INTERNAL_ANSWER_VERB, { vacancyRef, answer: 'tillstyrker' }, 'positive'),
      execute('Motsätter mig', INTERNAL_ANSWER_VERB, { vacancyRef, answer: 'motsatter' }, 'destructive'),
    ],
  );
}

/** The verksamhetschef's final decision after an opposition. */
export function internalDecisionCard(vacancyRef: string): AdaptiveCard {
  return card(
    [heading(`Beslut om intern flytt till ${vacancyRef}`), text('Planeringsledaren motsätter sig flytten. Ditt beslut är slutligt.')],
    [
      execute('Genomför', INTERNAL_DECISION_VERB, { vacancyRef, decision: 'genomfor' }, 'positive'),
      execute('Genomför inte', INTERNAL_DECISION_VERB, { vacancyRef, decision: 'genomfor_ej' }, 'destructive'),
    ],
  );
}
