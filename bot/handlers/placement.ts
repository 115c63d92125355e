import { z } from 'zod';
import type { PersonRow } from '../../db/people.ts';
import { areasOf } from '../../domain/areas.ts';
import { startableFor } from '../../services/case-start.ts';
import type { BotDeps } from '../deps.ts';
import { isRoleId, type RoleId } from '../../domain/roles.ts';
import { card, heading, text } from '../cards/card.ts';
import { LEGAL_BASES, placementCard, START_CASE_VERB } from '../cards/placement-card.ts';
import type { CommandContext } from '../commands.ts';
import type { CardAction } from '../invoke.ts';
import { sendCard, sendText } from '../reply.ts';

/** The routines this person may start, and the areas a case of theirs can be in. */
function startOptions(deps: BotDeps, person: PersonRow) {
  return { routines: startableFor(deps.startable(), person.roles), areas: areasOf(person.area) };
}

const NOTHING_TO_START = 'Du har ingen roll som startar en rutin i Boendelotsen (det gör t.ex. socialsekreterare). Be administratören om rätt roll i personalkatalogen.';

/** "ny placering": the card; starting happens when it is sent back. */
export async function newPlacementCommand(ctx: CommandContext): Promise<void> {
  const { routines, areas } = startOptions(ctx.deps, ctx.person);
  if (routines.length === 0) return sendText(ctx.turn, NOTHING_TO_START);
  await sendCard(ctx.turn, placementCard(routines, { areas }), 'Ny placering');
}

const startData = z.object({
  routine: z.string({ message: 'Välj rutin.' }).regex(/^[^:]+:[^:]+$/, 'Välj rutin.'),
  caseRef: z.string({ message: 'Ange ärendereferens.' }).trim().min(3, 'Ange ärendereferens.').max(40).transform((v) => v.toUpperCase()),
  initials: z.string({ message: 'Ange initialer.' }).trim().regex(/^(\p{Lu}\.?\s?){1,4}$/u, 'Initialer skrivs som E.B. (högst fyra bokstäver).'),
  personnummer: z
    .string({ message: 'Ange personnummer.' })
    .transform((v) => v.replace(/[\s-+]/g, ''))
    .refine((v) => /^\d{12}$/.test(v), 'Personnumret ska ha 12 siffror (ÅÅÅÅMMDDNNNN).'),
  legalBasis: z.enum(LEGAL_BASES, { message: 'Välj lagrum.' }),
});

/** The "Starta" button of the placement card. */
export const startCaseAction: CardAction = {
  verb: START_CASE_VERB,
  what: 'starta ärendet',
  run: async (ctx) => {
    const raw = Object.fromEntries(Object.entries(ctx.data).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
    // The personnummer is never sent back in a card: a refused card asks for it again.
    const keep = Object.fromEntries(Object.entries(raw).filter(([k, v]) => k !== 'personnummer' && v !== undefined)) as Record<string, string>;
    const { routines, areas } = startOptions(ctx.deps, ctx.person);
    if (routines.length === 0) return NOTHING_TO_START;
    const retry = (problem: string) => placementCard(routines, { problem, values: keep, areas });
    const parsed = startData.safeParse(raw);
    if (!parsed.success) return retry(parsed.error.issues.map((i) => i.message).join(' '));
    // The picker's value and a typed address are both an e-mail; the service checks each holder.
    const holders: Partial<Record<RoleId, string>> = {};
    for (const [key, value] of Object.entries(raw)) {
      const role = key.startsWith('role_') ? key.slice(5) : '';
      if (isRoleId(role) && value?.trim()) holders[role] = value.trim().slice(0, 320);
    }
    const [routineId = '', phase = ''] = parsed.data.routine.split(':');
    const r = await ctx.deps.cases.startCaseByPerson(
      {
        routineId, phase, caseRef: parsed.data.caseRef, clientInitials: parsed.data.initials.replace(/\s/g, ''), personnummer: parsed.data.personnummer,
        legalBasis: parsed.data.legalBasis, area: raw.area?.slice(0, 100), holders,
      },
      ctx.person.id,
    );
    if (!r.ok) return retry(r.message);
    return card([heading(`Ärendet ${r.caseRef} är startat`), text('De som har en roll med ett öppet steg får sina uppgifter i Teams. Skriv **ärende ' + r.caseRef + '** för tidslinjen.')]);
  },
};
