import { card, execute, facts, heading, text, warning, type AdaptiveCard } from './card.ts';

export const ACCEPT_OFFER_VERB = 'coordination_accept_offer';
export const DECLINE_OFFER_VERB = 'coordination_decline_offer';

/** After "erbjud": record the answer here ("Boka" or "Tacka nej", routine 5 steps 4–5). */
export function offerAnswerCard(o: { vacancyRef: string; heldFor: string; deadline: string; problem?: string }): AdaptiveCard {
  const body = [heading(`Svar på erbjudandet ${o.vacancyRef}`), facts([['Erbjuden', o.heldFor], ['Svar senast', o.deadline]])];
  if (o.problem) body.push(warning(o.problem));
  body.push(
    { type: 'Input.Date', id: 'plannedMoveIn', label: 'Planerat inflyttningsdatum (vid ja)' },
    { type: 'Input.Text', id: 'reason', label: 'Uppgiven orsak (vid nej)', isMultiline: true, maxLength: 500 },
    text('Vid nej står personen alltid kvar i kön: bara myndigheten avslutar ett beslut.', { isSubtle: true }),
  );
  return card(body, [
    execute('Tackat ja (boka)', ACCEPT_OFFER_VERB, { vacancyRef: o.vacancyRef }, 'positive'),
    execute('Tackat nej', DECLINE_OFFER_VERB, { vacancyRef: o.vacancyRef }, 'destructive'),
  ]);
}
