import { card, execute, heading, text, warning, type AdaptiveCard, type CardElement } from './card.ts';

export const SET_SUBSTITUTE_VERB = 'set_substitute';

/** "ersättare": who takes my tasks and reminders, and when. */
export function substituteCard(opts: { problem?: string; done?: string } = {}): AdaptiveCard {
  if (opts.done) return card([heading('Ersättare'), text(opts.done)]);
  const body: CardElement[] = [heading('Ersättare under frånvaro'), text('Uppgifter och påminnelser går till ersättaren under perioden. Du ser vad som gjorts.')];
  if (opts.problem) body.push(warning(opts.problem));
  body.push(
    { type: 'Input.Text', id: 'substitute', label: 'Ersättarens e-post', isRequired: true, style: 'Email' },
    { type: 'Input.Date', id: 'from', label: 'Från och med', isRequired: true },
    { type: 'Input.Date', id: 'to', label: 'Till och med', isRequired: true },
  );
  return card(body, [execute('Spara', SET_SUBSTITUTE_VERB, {}, 'positive')]);
}
