import type { RoutineDefinition } from './types.ts';

/**
 * Named hooks: the places where a service outside the engine (vacancy coordination, internal
 * moves, the provider choice) completes a routine step as a side effect of its own work. A routine
 * file names the hook on the step ("hook": "vacancy.offer"); the service asks for the open step
 * with that hook, never for a step id, so a municipality may rename or restructure its steps.
 *
 * Each hook belongs to a group a service drives as a whole: a routine that names one hook of a
 * group must name them all, or the service would silently stop driving its case halfway.
 * `provides` are the data the service hands the step; a hooked step may require no other field.
 */
export const ROUTINE_HOOKS = {
  'vacancy.register': { group: 'vacancy', provides: ['vacantFrom', 'landlordInformed'] },
  'vacancy.reserve': { group: 'vacancy', provides: [] },
  'vacancy.offer': { group: 'vacancy', provides: ['viewingOn'] },
  'vacancy.answer': { group: 'vacancy', provides: ['answer', 'declineReason', 'staysInQueue', 'plannedMoveIn'] },
  'vacancy.orders': { group: 'vacancy', provides: [] },
  'vacancy.move_in': { group: 'vacancy', provides: ['moveInDate'] },
  'internal_move.dialog': { group: 'internal_move', provides: ['planeringsledareStance'] },
  'internal_move.decision': { group: 'internal_move', provides: ['verksamhetschefDecision'] },
  'internal_move.moved': { group: 'internal_move', provides: ['moveDate'] },
  'provider.choice': { group: 'provider_choice', provides: ['provider'] },
  'provider.ickeval': { group: 'provider_choice', provides: ['provider'] },
} as const satisfies Record<string, { group: string; provides: readonly string[] }>;

export type RoutineHook = keyof typeof ROUTINE_HOOKS;
export const HOOK_NAMES = Object.keys(ROUTINE_HOOKS) as [RoutineHook, ...RoutineHook[]];

function isRoutineHook(value: string): value is RoutineHook {
  return Object.hasOwn(ROUTINE_HOOKS, value);
}

/** The step a hook names in a routine (at most one, checked when loaded). */
export function stepIdForHook(def: RoutineDefinition, hook: RoutineHook): string | undefined {
  return def.steps.find((s) => s.hook === hook)?.id;
}

type Report = (message: string, step?: string) => void;

/** The hooks' meaning: known, once each, whole groups, completed by a confirmation, and fed what they require. */
export function checkHooks(def: RoutineDefinition, error: Report): void {
  const named = new Map<RoutineHook, string>();
  for (const s of def.steps) {
    if (s.hook === undefined) continue;
    if (!isRoutineHook(s.hook)) {
      error(`hooken ”${String(s.hook)}” finns inte (kända: ${HOOK_NAMES.join(', ')})`, s.id);
      continue;
    }
    const other = named.get(s.hook);
    if (other !== undefined) error(`hooken ”${s.hook}” finns redan på steget ”${other}”; en hook hör till ett steg`, s.id);
    named.set(s.hook, s.id);
    if (s.completedBy.by !== 'confirmation') error(`hooken ”${s.hook}” kan bara klarmarkera ett steg som bekräftas (completedBy "confirmation")`, s.id);
    const provides: readonly string[] = ROUTINE_HOOKS[s.hook].provides;
    for (const f of s.captures ?? []) {
      if (f.required && f.requiredWhen === undefined && !provides.includes(f.name)) {
        error(`hooken ”${s.hook}” lämnar inte uppgiften ”${f.name}” som steget kräver (den lämnar ${provides.length > 0 ? provides.join(', ') : 'inga uppgifter'})`, s.id);
      }
    }
  }
  const groups = new Set([...named.keys()].map((h) => ROUTINE_HOOKS[h].group));
  for (const group of groups) {
    for (const hook of HOOK_NAMES.filter((h) => ROUTINE_HOOKS[h].group === group)) {
      if (!named.has(hook)) error(`hooken ”${hook}” saknar sitt steg: rutinen använder hookarna för ${group} och ska då ha ett steg med var och en av dem`);
    }
  }
}
