import { stockholmParts } from '../../domain/calendar/stockholm.ts';

/** Minimal Adaptive Card shapes: the JSON Teams renders. Version 1.4 is the first with Action.Execute. */
export type CardElement = Record<string, unknown>;
export type AdaptiveCard = {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.4' | '1.5';
  body: CardElement[];
  actions?: CardElement[];
};

export function card(body: CardElement[], actions: CardElement[] = [], version: AdaptiveCard['version'] = '1.4'): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version,
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

export const text = (value: string, extra: CardElement = {}): CardElement => ({ type: 'TextBlock', text: value, wrap: true, ...extra });
export const heading = (value: string): CardElement => text(value, { weight: 'Bolder', size: 'Medium' });
export const facts = (pairs: Array<[string, string]>): CardElement => ({ type: 'FactSet', facts: pairs.map(([title, value]) => ({ title, value })) });
export const warning = (value: string): CardElement => text(value, { color: 'Attention' });

/** Action.Execute: Teams posts an adaptiveCard/action invoke and replaces the card with our answer. */
export const execute = (title: string, verb: string, data: Record<string, unknown> = {}, style?: 'positive' | 'destructive'): CardElement => ({
  type: 'Action.Execute',
  title,
  verb,
  data,
  ...(style ? { style } : {}),
});

/** Stockholm wall-clock date, for the "klart 2026-03-02 14:05" line. */
export function stockholmStamp(at: Date): string {
  const { date, hour, minute } = stockholmParts(at);
  return `${date} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** The dataset a people picker asks the bot to search: people holding `role`, in `area` when given. */
export function peopleDataset(role: string, area?: string): string {
  return area ? `people.${role}.${area}` : `people.${role}`;
}

export type PickerChoice = { title: string; value: string };

/**
 * A people picker: a filtered Input.ChoiceSet. Its static choices are the first people the
 * bot's own directory gives for the dataset (every client filters them as the person types);
 * where the client has Teams' dynamic typeahead (Data.Query), it searches the rest of the
 * directory too. The chosen value is the e-mail address. A client that cannot render the input
 * at all gets a plain e-mail field with the same id, so the server reads one shape.
 */
export function peoplePicker(
  id: string,
  label: string,
  dataset: string,
  opts: { value?: string; isRequired?: boolean; choices?: readonly PickerChoice[] } = {},
): CardElement {
  const value = opts.value ?? '';
  const isRequired = opts.isRequired ?? false;
  const choices = [...(opts.choices ?? [])];
  // A value already chosen (a card sent back with a problem) must be among the choices to show.
  if (value && !choices.some((c) => c.value === value)) choices.unshift({ title: value, value });
  return {
    type: 'Input.ChoiceSet',
    id,
    label,
    style: 'filtered',
    isRequired,
    placeholder: 'Sök på namn',
    value,
    choices,
    'choices.data': { type: 'Data.Query', dataset, count: 15 },
    fallback: { type: 'Input.Text', id, label, style: 'Email', placeholder: 'namn@kommun.se', isRequired, value },
  };
}
