import { addMonths, compareDates, isLocalDate } from '../calendar/local-date.ts';
import type { FieldSpec, RuleSpec } from '../routines/types.ts';
import { refuse, type Refusal } from './refusals.ts';
import type { FactValue } from './types.ts';
import { evaluateCondition, resolveAmount, resolveDateRef, type Scope } from './values.ts';

const DEFAULT_TEXT_MAX = 2000;

/**
 * Checks an event's data against the step's (or phase's) fields. Only declared fields are kept, so
 * nothing undeclared (a name, a personnummer pasted into a card) reaches the case's facts.
 */
export function validateCaptures(
  fields: readonly FieldSpec[],
  data: Record<string, FactValue>,
  scope: Scope,
): { ok: true; values: Record<string, FactValue> } | Refusal {
  const missing: string[] = [];
  const invalid: string[] = [];
  const values: Record<string, FactValue> = {};
  const withData: Scope = { ...scope, values: { ...scope.values, ...data } };
  for (const field of fields) {
    const value = data[field.name];
    if (value === undefined || value === null || value === '') {
      const required = field.required || (field.requiredWhen !== undefined && evaluateCondition(field.requiredWhen, withData));
      if (required) missing.push(field.label);
      continue;
    }
    const problem = fieldProblem(field, value, scope);
    if (problem) invalid.push(`${field.label} (${problem})`);
    else values[field.name] = value;
  }
  if (missing.length > 0) return refuse('data_missing', `Uppgifter saknas: ${missing.join(', ')}.`);
  if (invalid.length > 0) return refuse('data_invalid', `Ogiltig uppgift: ${invalid.join('; ')}.`);
  return { ok: true, values };
}

function fieldProblem(field: FieldSpec, value: FactValue, scope: Scope): string | undefined {
  switch (field.kind) {
    case 'date':
      return isLocalDate(value) ? undefined : 'ska vara ett datum ÅÅÅÅ-MM-DD';
    case 'document_date':
      if (!isLocalDate(value)) return 'ska vara ett datum ÅÅÅÅ-MM-DD';
      return compareDates(value, scope.today) > 0 ? 'ett dokument kan inte vara daterat i framtiden' : undefined;
    case 'choice': {
      const options = field.options ?? [];
      if (typeof value === 'string' && options.some((o) => o.value === value)) return undefined;
      return `ska vara ett av: ${options.map((o) => o.label).join(', ')}`;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'ska vara ett tal';
      if (field.min !== undefined && value < field.min) return `minst ${field.min}`;
      if (field.max !== undefined && value > field.max) return `högst ${field.max}`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'ska vara ja eller nej';
    case 'text':
      if (typeof value !== 'string') return 'ska vara text';
      return value.length > (field.maxLength ?? DEFAULT_TEXT_MAX) ? `högst ${field.maxLength ?? DEFAULT_TEXT_MAX} tecken` : undefined;
  }
}

/** The routine's own rules (a need lasted 3 months; a document at most a year old; a dialogue held). */
export function checkRules(rules: readonly RuleSpec[], scope: Scope): Refusal | undefined {
  for (const rule of rules) {
    if (rule.rule === 'condition') {
      if (!evaluateCondition(rule.when, scope)) return refuse('rule_not_met', rule.message);
      continue;
    }
    const from = resolveDateRef(rule.from, scope);
    const to = resolveDateRef(rule.to, scope);
    if (from === undefined || to === undefined) continue; // required fields are checked by captures
    const limit = addMonths(from, resolveAmount(rule.months, scope.def));
    const broken = rule.rule === 'min_months' ? compareDates(to, limit) < 0 : compareDates(to, limit) > 0;
    if (broken) return refuse('rule_not_met', rule.message);
  }
  return undefined;
}
