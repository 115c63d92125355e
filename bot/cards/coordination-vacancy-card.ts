import type { UnitRow } from '../../db/coordination.ts';
import type { VacancyView } from '../../services/coordination-vacancies.ts';
import { card, execute, facts, heading, text, warning, type AdaptiveCard, type CardElement } from './card.ts';

export const REGISTER_VACANCY_VERB = 'coordination_register_vacancy';
const HOUSING_LEGAL_BASES = ['LSS 9 § 9', 'LSS 9 § 8', 'SoL'] as const;

/** "ny ledig": the form for registering a vacancy at once (routine 5 step 1). */
export function vacancyFormCard(units: readonly UnitRow[], opts: { problem?: string; values?: Record<string, string>; today: string }): AdaptiveCard {
  const v = opts.values ?? {};
  const body: CardElement[] = [heading('Registrera ledig lägenhet'), text('Hyresvärden för enheten informeras per e-post direkt när du registrerar.')];
  if (opts.problem) body.push(warning(opts.problem));
  body.push(
    { type: 'Input.ChoiceSet', id: 'unit', label: 'Enhet', isRequired: true, style: 'compact', value: v.unit ?? units[0]?.id ?? '', choices: units.map((u) => ({ title: `${u.name} (${u.area})`, value: u.id })) },
    { type: 'Input.Text', id: 'apartment', label: 'Lägenhet', isRequired: true, placeholder: '1203', value: v.apartment ?? '' },
    { type: 'Input.Text', id: 'housingKind', label: 'Boendeform', isRequired: true, placeholder: 'gruppbostad, servicebostad, särskilt boende …', value: v.housingKind ?? '' },
    { type: 'Input.ChoiceSet', id: 'legalBasis', label: 'Lagrum', isRequired: true, style: 'compact', value: v.legalBasis ?? HOUSING_LEGAL_BASES[0], choices: HOUSING_LEGAL_BASES.map((b) => ({ title: b, value: b })) },
    { type: 'Input.Text', id: 'area', label: 'Område (tomt = enhetens)', value: v.area ?? '' },
    { type: 'Input.Date', id: 'freeFrom', label: 'Ledig från', isRequired: true, value: v.freeFrom ?? opts.today },
  );
  return card(body, [execute('Registrera', REGISTER_VACANCY_VERB, {}, 'positive')]);
}

/** "lediga": each vacancy with its days vacant; a reservation shows case ref and initials only. */
export function vacancyListCard(views: readonly VacancyView[]): AdaptiveCard {
  if (views.length === 0) return card([heading('Lediga lägenheter'), text('Inga lediga lägenheter just nu.')]);
  const body: CardElement[] = [heading(`Lediga lägenheter (${views.length})`)];
  for (const v of views) {
    body.push(text(`**${v.ref}** ${v.unit} lgh ${v.apartment}`, { separator: true }));
    const pairs: Array<[string, string]> = [
      ['Boendeform', `${v.housingKind}, ${v.legalBasis}, ${v.area}`],
      ['Ledig från', `${v.freeFrom} (${v.daysVacant} dagar)`],
      ['Status', v.heldFor ? `${v.statusText}: ${v.heldFor}` : v.statusText],
    ];
    if (v.answerDeadline) pairs.push(['Svar senast', v.answerDeadline]);
    body.push(facts(pairs));
  }
  return card(body);
}
