import type { Db } from '../db/client.ts';
import { findByEmail, findPersonById, type PersonRow } from '../db/people.ts';
import { areasOf, inAreas } from '../domain/areas.ts';
import type { RoutineDefinition } from '../domain/routines/types.ts';
import { MAIL_ONLY_ROLES, roleTitle, type RoleId } from '../domain/roles.ts';
import type { ServiceRefusal, StartCaseInput } from './types.ts';

export type StartByPersonInput = Omit<StartCaseInput, 'roles' | 'area'> & {
  /** One of the starter's areas; may be left out when the starter has exactly one. */
  area?: string | undefined;
  /** Who holds each role, by e-mail address (the people picker's value, or typed). */
  holders: Partial<Record<RoleId, string>>;
};

/** The routines a person may start: those whose `startableBy` names one of their roles. */
export function startableFor(routines: readonly RoutineDefinition[], roles: readonly string[]): RoutineDefinition[] {
  return routines.filter((r) => r.startableBy.some((role) => roles.includes(role)));
}

function refuse(message: string): ServiceRefusal {
  return { ok: false, code: 'forbidden', message };
}

/**
 * The rules a person starting a case from Teams meets before the engine sees the event: the
 * routine names one of their roles as a starter; the case's area is one of theirs; everyone
 * named to a role holds that role in the directory, in that area. Returns the engine's input.
 */
export async function checkStartByPerson(
  db: Db,
  routine: RoutineDefinition | undefined,
  input: StartByPersonInput,
  actorId: string,
): Promise<{ ok: true; input: StartCaseInput } | ServiceRefusal> {
  const actor = await findPersonById(db, actorId);
  if (!actor || !routine) return refuse('Rutinen finns inte.');
  if (!routine.startableBy.some((r) => actor.roles.includes(r))) {
    return refuse(`Du kan inte starta ”${routine.title}”: det gör ${routine.startableBy.map(roleTitle).join(' eller ')}.`);
  }
  const areas = areasOf(actor.area);
  if (areas.length === 0) return refuse('Du har inget område i personalkatalogen, så ärendet kan inte få något. Be administratören lägga till ditt område.');
  const chosen = input.area?.trim() ? areas.find((a) => inAreas(input.area, [a])) : areas.length === 1 ? areas[0] : undefined;
  if (!chosen) return { ok: false, code: 'invalid_input', message: `Välj ett av dina områden: ${areas.join(', ')}.` };
  const roles: Partial<Record<RoleId, string>> = {};
  for (const [role, email] of Object.entries(input.holders) as Array<[RoleId, string | undefined]>) {
    if (!email?.trim()) continue;
    const holder = await findByEmail(db, email);
    const problem = holderProblem(holder, role, chosen, email.trim());
    if (problem) return { ok: false, code: 'invalid_input', message: problem };
    if (holder) roles[role] = holder.id;
  }
  const { holders: _holders, area: _area, ...rest } = input;
  return { ok: true, input: { ...rest, area: chosen, roles } };
}

/** Why this person cannot hold the role on a case in `area`, or undefined when they can. */
function holderProblem(holder: PersonRow | undefined, role: RoleId, area: string, typed: string): string | undefined {
  if (!holder) return `${typed} finns inte i personalkatalogen. Kontrollera adressen eller be administratören lägga till personen.`;
  if (!holder.roles.includes(role)) return `${holder.name} är inte ${roleTitle(role)} i personalkatalogen och kan inte ha den rollen på ärendet.`;
  // A functional mailbox or a provider serves every area.
  if (MAIL_ONLY_ROLES.includes(role)) return undefined;
  if (!inAreas(area, areasOf(holder.area))) return `${holder.name} är inte ${roleTitle(role)} i område ${area} och kan inte ha den rollen på ärendet.`;
  return undefined;
}
