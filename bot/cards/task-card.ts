import type { FieldSpec } from '../../domain/routines/types.ts';
import { card, execute, facts, heading, text, warning, type AdaptiveCard, type CardElement } from './card.ts';

export const COMPLETE_VERB = 'complete_step';
/** "Påminn mig": opens a small card with a date (bot/handlers/snooze.ts). */
export const SNOOZE_VERB = 'snooze_step';
/** Input ids carry a prefix so a field named like our own data keys (caseRef) cannot collide. */
export const FIELD_PREFIX = 'f_';

export type TaskCardInput = {
  caseRef: string;
  clientInitials: string;
  stepKey: string;
  title: string;
  due: string | null;
  late: boolean;
  captures: readonly FieldSpec[];
  /** The notification's own line (the price mismatch, a reminder's wording). */
  message?: string | undefined;
  /** When the reader stands in for someone: their name. */
  onBehalfOfName?: string | undefined;
  /** A refusal to show above the inputs (wrong role, a missing field). */
  problem?: string | undefined;
  /** The step is completed by an incoming document (the BB mail), not by a click: no button. */
  awaitsDocument?: boolean | undefined;
};

/** The card a step's holder acts on: case ref and initials only, the routine's words, the deadline, the inputs. */
export function taskCard(t: TaskCardInput): AdaptiveCard {
  const body: CardElement[] = [
    heading(t.title),
    facts([
      ['Ärende', `${t.caseRef} ${t.clientInitials}`],
      ['Senast', t.due ? `${t.due}${t.late ? ' (försenad)' : ''}` : 'ingen tidsgräns'],
    ]),
  ];
  if (t.message && t.message !== t.title) body.push(text(t.message));
  if (t.onBehalfOfName) body.push(text(`Du är ersättare för ${t.onBehalfOfName}.`, { isSubtle: true }));
  if (t.problem) body.push(warning(t.problem));
  if (t.awaitsDocument) {
    body.push(text('Steget blir klart av sig självt när behovsbedömningen kommer in med e-post till Boendelotsen.', { isSubtle: true }));
    return card(body, snoozeButton(t));
  }
  body.push(...t.captures.map((f) => fieldInput(f)));
  return card(body, [execute('Klart', COMPLETE_VERB, { caseRef: t.caseRef, stepKey: t.stepKey }, 'positive'), ...snoozeButton(t)]);
}

/** Sends none of the inputs: the step's required fields must not block asking for a later reminder. */
function snoozeButton(t: TaskCardInput): CardElement[] {
  return t.due ? [{ ...execute('Påminn mig', SNOOZE_VERB, { caseRef: t.caseRef, stepKey: t.stepKey }), associatedInputs: 'none' }] : [];
}

/** One routine field as a card input; `value` pre-fills it (a date the chat line already gave). */
export function fieldInput(f: FieldSpec, value?: string): CardElement {
  const base = { id: `${FIELD_PREFIX}${f.name}`, label: f.label, isRequired: f.required, errorMessage: `${f.label} behövs`, ...(value !== undefined ? { value } : {}) };
  switch (f.kind) {
    case 'date':
    case 'document_date':
      return { type: 'Input.Date', ...base };
    case 'choice':
      return { type: 'Input.ChoiceSet', ...base, style: 'compact', choices: (f.options ?? []).map((o) => ({ title: o.label, value: o.value })) };
    case 'number':
      return { type: 'Input.Number', ...base, ...(f.min !== undefined ? { min: f.min } : {}), ...(f.max !== undefined ? { max: f.max } : {}) };
    case 'boolean':
      return { type: 'Input.Toggle', value: 'false', ...base, title: f.label, valueOn: 'true', valueOff: 'false' };
    case 'text':
      return { type: 'Input.Text', ...base, isMultiline: (f.maxLength ?? 200) > 200, ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}) };
  }
}
