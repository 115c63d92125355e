import type { RoleRule, RoutineDefinition } from '../../domain/routines/types.ts';
import { roleTitle, type RoleId } from '../../domain/roles.ts';
import { card, execute, heading, peopleDataset, peoplePicker, text, warning, type AdaptiveCard, type CardElement, type PickerChoice } from './card.ts';

export const START_CASE_VERB = 'start_case';
export const LEGAL_BASES = ['LSS 9 § 9', 'LSS 9 § 8', 'SoL'] as const;

/** The roles a routine's steps name, in first-use order: one e-mail input each. */
export function rolesOf(routines: readonly RoutineDefinition[]): RoleId[] {
  const out = new Set<RoleId>();
  const add = (rule: RoleRule) => {
    if (typeof rule === 'string') out.add(rule);
    else if ('anyOf' in rule) rule.anyOf.forEach((r) => out.add(r));
    else [rule.then, rule.else].forEach((r) => out.add(r));
  };
  for (const r of routines) for (const s of r.steps) add(s.role);
  return [...out];
}

/** Phases a case can start in (those begun later by a timer are not offered). */
function startChoices(routines: readonly RoutineDefinition[]): Array<{ title: string; value: string }> {
  return routines.flatMap((r) =>
    r.phases.filter((p) => p.timer === undefined).map((p) => ({ title: `${r.title} – ${p.title}`, value: `${r.id}:${p.id}` })),
  );
}

/**
 * "ny placering": everything startCase needs; the personnummer goes to the service and is never
 * shown again. `areas` are the starter's: with several, the card asks which one the case is in,
 * and the people pickers search all of them (the service checks the chosen one).
 */
export function placementCard(
  routines: readonly RoutineDefinition[],
  opts: { problem?: string; values?: Record<string, string>; areas?: readonly string[]; candidates?: (dataset: string) => readonly PickerChoice[] } = {},
): AdaptiveCard {
  const v = opts.values ?? {};
  const areas = opts.areas ?? [];
  const onlyArea = areas.length === 1 ? areas[0] : undefined;
  const choices = startChoices(routines);
  const body: CardElement[] = [heading('Ny placering'), text('Startar en rutin. Personnumret lagras krypterat och visas aldrig i Teams.')];
  if (opts.problem) body.push(warning(opts.problem));
  body.push(
    { type: 'Input.ChoiceSet', id: 'routine', label: 'Rutin', isRequired: true, style: 'compact', value: v.routine ?? choices[0]?.value ?? '', choices },
    { type: 'Input.Text', id: 'caseRef', label: 'Ärendereferens', isRequired: true, placeholder: 'FF-2026-0142', value: v.caseRef ?? '' },
    { type: 'Input.Text', id: 'initials', label: 'Klientens initialer', isRequired: true, placeholder: 'E.B.', maxLength: 8, value: v.initials ?? '' },
    { type: 'Input.Text', id: 'personnummer', label: 'Personnummer (12 siffror)', isRequired: true, placeholder: 'ÅÅÅÅMMDD-NNNN' },
    { type: 'Input.ChoiceSet', id: 'legalBasis', label: 'Lagrum', isRequired: true, style: 'compact', value: v.legalBasis ?? LEGAL_BASES[0], choices: LEGAL_BASES.map((b) => ({ title: b, value: b })) },
  );
  if (areas.length > 1) {
    body.push({ type: 'Input.ChoiceSet', id: 'area', label: 'Område', isRequired: true, style: 'compact', value: v.area ?? '', choices: areas.map((a) => ({ title: a, value: a })) });
  } else if (onlyArea) {
    body.push(text(`Område: ${onlyArea}`, { isSubtle: true }));
  }
  body.push(
    text('Vem har varje roll på ärendet? Sök på namn eller skriv e-post (tomt = ingen ännu).', { weight: 'Bolder' }),
    ...rolesOf(routines).map((role) => {
      const dataset = peopleDataset(role, onlyArea);
      return peoplePicker(`role_${role}`, roleTitle(role), dataset, { value: v[`role_${role}`] ?? '', choices: opts.candidates?.(dataset) ?? [] });
    }),
  );
  return card(body, [execute('Starta', START_CASE_VERB, {}, 'positive')], '1.5');
}
