import type { RoleRule, RoutineDefinition } from '../routines/types.ts';
import { isRoleId, type RoleId } from '../roles.ts';

/**
 * Whom an escalation goes to when the holder has no manager in the directory: the holders of a
 * role in the holder's area (the verksamhetschef, an administrator), or one named person.
 */
export type EscalationFallback = { role: RoleId } | { email: string };

/** "verksamhetschef" or "anna.admin@kommun.se"; undefined when it is neither a role nor an address. */
export function parseEscalationFallback(text: string): EscalationFallback | undefined {
  const value = text.trim().toLowerCase();
  if (isRoleId(value)) return { role: value };
  return /^[^\s@]{1,64}@[^\s@]{1,255}\.[a-z]{2,63}$/.test(value) ? { email: value } : undefined;
}

export function describeFallback(f: EscalationFallback): string {
  return 'role' in f ? `${f.role} i personens område` : f.email;
}

type Candidate = { id: string; name: string; area: string | null; roles: readonly string[]; email: string };

/**
 * The one person a fallback escalation goes to: the named person, or of the role's holders those
 * in the holder's area first, then anyone holding it; never the holder themselves (a
 * verksamhetschef without a manager is not told of their own late step). Ties by name, so every
 * sweeper picks the same one.
 */
export function pickFallback(f: EscalationFallback, holder: { id: string; area: string | null }, people: readonly Candidate[]): string | null {
  const others = people.filter((p) => p.id !== holder.id);
  if ('email' in f) return others.find((p) => p.email === f.email)?.id ?? null;
  const withRole = others.filter((p) => p.roles.includes(f.role)).sort((a, b) => a.name.localeCompare(b.name, 'sv') || a.id.localeCompare(b.id));
  return (withRole.find((p) => p.area !== null && p.area === holder.area) ?? withRole[0])?.id ?? null;
}

/** Roles that hold steps with a deadline in any routine: their holders can be escalated about. */
export function rolesWithDeadlines(routines: readonly RoutineDefinition[]): Set<RoleId> {
  const roles = new Set<RoleId>();
  const add = (rule: RoleRule) => {
    if (typeof rule === 'string') roles.add(rule);
    else if ('anyOf' in rule) rule.anyOf.forEach((r) => roles.add(r));
    else {
      roles.add(rule.then);
      roles.add(rule.else);
    }
  };
  for (const routine of routines) for (const step of routine.steps) if (step.deadline || step.recurrence) add(step.role);
  return roles;
}
