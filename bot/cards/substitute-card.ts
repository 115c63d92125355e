import { card, execute, heading, peopleDataset, peoplePicker, text, warning, type AdaptiveCard, type CardElement, type PickerChoice } from './card.ts';

export const SET_SUBSTITUTE_VERB = 'set_substitute';

/** "ersättare": who takes my tasks and reminders, and when (a manager may name one for their staff). */
export function substituteCard(opts: { problem?: string; done?: string; candidates?: readonly PickerChoice[] } = {}): AdaptiveCard {
  if (opts.done) return card([heading('Ersättare'), text(opts.done)]);
  const body: CardElement[] = [
    heading('Ersättare under frånvaro'),
    text('Uppgifter och påminnelser går till ersättaren under perioden. Ersättaren har samma roll som du. Du ser vad som gjorts.'),
  ];
  if (opts.problem) body.push(warning(opts.problem));
  body.push(
    peoplePicker('substitute', 'Ersättare', peopleDataset('substitute'), { isRequired: true, choices: opts.candidates ?? [] }),
    { type: 'Input.Date', id: 'from', label: 'Från och med', isRequired: true },
    { type: 'Input.Date', id: 'to', label: 'Till och med', isRequired: true },
    { type: 'Input.Text', id: 'absent', label: 'Frånvarande (tomt = du själv; chefen kan ange en medarbetares e-post)', style: 'Email', placeholder: 'namn@kommun.se' },
  );
  return card(body, [execute('Spara', SET_SUBSTITUTE_VERB, {}, 'positive')], '1.5');
}
