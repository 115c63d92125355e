import { z } from 'zod/v4';
import swedish from 'zod/v4/locales/sv.js';
import { isLocalDate } from '../calendar/local-date.ts';
import { ROLE_IDS } from '../roles.ts';
import { HOOK_NAMES } from './hooks.ts';
import type { RoutineDefinition } from './types.ts';

/**
 * The one schema a routine file is read through. It checks shape only; what the parts mean
 * (references, reachability, the normal path) is checked by checkRoutine. Pure: it parses a value
 * already read from a file, and the JSON Schema for editors is generated from it.
 */

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'ska vara små bokstäver a–z, siffror, - och _');
const text = z.string().trim().min(1, 'får inte vara tomt');
const role = z.enum(ROLE_IDS);
const localDate = z.string().refine(isLocalDate, 'ska vara ett datum ÅÅÅÅ-MM-DD');
const scalar = z.union([z.string(), z.number(), z.boolean()]);

type ConditionShape =
  | { fact: string; equals: string | number | boolean | null }
  | { fact: string; in: Array<string | number | boolean> }
  | { fact: string; exists: boolean }
  | { stepDone: string }
  | { phase: string }
  | { all: ConditionShape[] }
  | { any: ConditionShape[] }
  | { not: ConditionShape };

const condition: z.ZodType<ConditionShape> = z.lazy(() =>
  z.union([
    z.strictObject({ fact: text, equals: z.union([scalar, z.null()]) }),
    z.strictObject({ fact: text, in: z.array(scalar).min(1) }),
    z.strictObject({ fact: text, exists: z.boolean() }),
    z.strictObject({ stepDone: text }),
    z.strictObject({ phase: text }),
    z.strictObject({ all: z.array(condition).min(1) }),
    z.strictObject({ any: z.array(condition).min(1) }),
    z.strictObject({ not: condition }),
  ]),
);

const amount = z.union([z.number().int(), z.strictObject({ param: text })]);
const duration = z.strictObject({ months: amount.optional(), days: amount.optional(), workingDays: amount.optional() });
const dateRef = z.union([z.literal('opened'), z.literal('today'), z.strictObject({ fact: text })]);
const dateKind = z.enum(['deadline', 'validity', 'after_deadline']);
const dateRule = z.strictObject({ from: dateRef, add: duration.optional(), kind: dateKind });

const roleRule = z.union(
  [role, z.strictObject({ when: condition, then: role, else: role }), z.strictObject({ anyOf: z.array(role).min(1) })],
  { error: `ska vara en roll (${ROLE_IDS.join(', ')}), { "when", "then", "else" } eller { "anyOf": [...] }` },
);

const opensOn = z.discriminatedUnion('on', [
  z.strictObject({ on: z.literal('phase_start') }),
  z.strictObject({ on: z.literal('steps_done'), steps: z.array(text).min(1), mode: z.enum(['all', 'any']).optional() }),
  z.strictObject({ on: z.literal('timer'), armedBy: text, at: dateRule, cancelledBy: z.array(text).optional() }),
  z.strictObject({ on: z.literal('action'), availableAfter: text.optional() }),
]);

const providerReplyKind = z.enum(['confirmed', 'started', 'genomforandeplan', 'manadsrapport', 'franvaro']);
const completion = z.discriminatedUnion('by', [
  z.strictObject({ by: z.literal('confirmation') }),
  z.strictObject({ by: z.literal('document'), kind: z.literal('behovsbedomning') }),
  z.strictObject({ by: z.literal('provider_reply'), kind: providerReplyKind }),
  z.strictObject({ by: z.literal('system') }),
]);

const field = z.strictObject({
  name: text,
  kind: z.enum(['date', 'document_date', 'choice', 'text', 'number', 'boolean']),
  label: text,
  required: z.boolean(),
  requiredWhen: condition.optional(),
  options: z.array(z.strictObject({ value: text, label: text })).min(1).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  maxLength: z.number().int().positive().optional(),
  fact: text.optional(),
});

const rule = z.discriminatedUnion('rule', [
  z.strictObject({ rule: z.literal('min_months'), from: dateRef, to: dateRef, months: amount, message: text }),
  z.strictObject({ rule: z.literal('max_months'), from: dateRef, to: dateRef, months: amount, message: text }),
  z.strictObject({ rule: z.literal('condition'), when: condition, message: text }),
]);

const mail = z.strictObject({ to: role, template: id, when: condition.optional(), fields: z.array(text).optional() });

const deadline = z.union([
  z.strictObject({ type: z.literal('offset'), from: dateRef, add: duration.optional(), kind: dateKind }),
  z.strictObject({ type: z.literal('au_submission'), meetingsParam: text }),
  z.strictObject({ type: z.literal('occurrence') }),
]);

const recurrence = z.union([
  z.strictObject({ every: z.literal('month'), anchor: dateRef, dueDay: amount }),
  z.strictObject({ every: z.literal('months'), months: amount, anchor: dateRef, leadDays: amount }),
]);

const step = z.strictObject({
  id,
  title: text,
  phases: z.array(text).min(1),
  role: roleRule,
  opensOn,
  when: condition.optional(),
  completedBy: completion,
  hook: z.enum(HOOK_NAMES, { error: `ska vara en känd hook (${HOOK_NAMES.join(', ')})` }).optional(),
  captures: z.array(field).optional(),
  rules: z.array(rule).optional(),
  deadline: deadline.optional(),
  extendable: z.strictObject({ by: role, maxTotal: dateRule }).optional(),
  recurrence: recurrence.optional(),
  notify: z.strictObject({ onOpen: z.array(role).optional(), onComplete: z.array(role).optional(), onLate: z.array(role).optional() }).optional(),
  notes: z.array(z.strictObject({ when: condition, text })).optional(),
  mailOnComplete: z.array(mail).optional(),
  derive: z.array(z.strictObject({ fact: text, rule: dateRule })).optional(),
  cancels: z.array(text).optional(),
  restart: z.strictObject({ when: condition, steps: z.array(text).min(1) }).optional(),
  closeCase: z.strictObject({ when: condition, reason: text }).optional(),
  startCase: z
    .strictObject({ when: condition, routineId: id, phase: z.union([text, z.strictObject({ fact: text })]), facts: z.array(text).optional() })
    .optional(),
});

const phase = z.strictObject({
  id,
  title: text,
  beginBy: z.array(role).optional(),
  captures: z.array(field).optional(),
  rules: z.array(rule).optional(),
  timer: z.strictObject({ armedBy: text, at: dateRule }).optional(),
});

const auMeeting = z.strictObject({ date: localDate, submissionDeadline: localDate });
const param = z.union([z.number(), z.string(), z.boolean(), z.array(auMeeting)]);

export const routineDefinitionSchema = z.strictObject({
  $schema: z.string().optional(),
  id,
  version: z.number().int().positive(),
  title: text,
  source: text,
  /** The roles that may start a case on this routine. */
  startableBy: z.array(role).min(1),
  params: z.record(z.string(), param),
  phases: z.array(phase).min(1),
  steps: z.array(step).min(1),
  closing: z.strictObject({ by: z.array(role).min(1), notify: z.array(role), mail: z.array(mail).optional() }),
});

export type SchemaProblem = { path: string; message: string };

export type ParsedRoutine = { ok: true; routine: RoutineDefinition } | { ok: false; problems: SchemaProblem[] };

/** Reads a value (a parsed JSON file) as a routine definition, or says what is wrong and where. */
export function parseRoutineDefinition(value: unknown): ParsedRoutine {
  const result = routineDefinitionSchema.safeParse(value, { error: swedish().localeError });
  if (!result.success) {
    return { ok: false, problems: result.error.issues.map((i) => ({ path: describePath(value, i.path), message: i.message })) };
  }
  const { $schema: _schema, ...routine } = result.data;
  return { ok: true, routine: exactShape(routine) };
}

/**
 * JSON has no undefined, and zod leaves absent optional keys absent: the parsed value already has
 * the definition's exact optional shape, which zod's inferred `?: T | undefined` cannot express.
 */
function exactShape(parsed: unknown): RoutineDefinition {
  return parsed as RoutineDefinition;
}

/** "steps[4] (avtal_uppf).opensOn": a step is named by its id as well as its place. */
function describePath(value: unknown, path: readonly PropertyKey[]): string {
  let node: unknown = value;
  let out = '';
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number' && node !== null && typeof node === 'object' && typeof (node as { id?: unknown }).id === 'string') {
      out += ` (${(node as { id: string }).id})`;
    }
  }
  return out || '(filen)';
}

/** The JSON Schema editors use to check a routine file while it is written. */
export function routineJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(routineDefinitionSchema, { target: 'draft-2020-12', io: 'input' });
}
