import { z } from 'zod';
import type { PersonRow } from '../../db/people.ts';
import { areasOf } from '../../domain/areas.ts';
import { startableFor } from '../../services/case-start.ts';
import { pickerChoices } from '../../services/people-search.ts';
import type { BotDeps } from '../deps.ts';
import { isRoleId, roleTitle, type RoleId } from '../../domain/roles.ts';
import { parsePersonnummer } from '../../domain/behovsbedomning/personnummer.ts';
import { card, heading, peopleDataset, text, type PickerChoice } from '../cards/card.ts';
import { LEGAL_BASES, placementCard, rolesOf, START_CASE_VERB } from '../cards/placement-card.ts';
import type { CommandContext } from '../commands.ts';
import type { CardAction } from '../invoke.ts';
import { sendCard, sendText } from '../reply.ts';

/** The routines this person may start, and the areas a case of theirs can be in. */
function startOptions(deps: BotDeps, person: PersonRow) {
  return { routines: startableFor(deps.startable(), person.roles), areas: areasOf(person.area) };
}

/**
 * The people each role picker lists before anything is typed (from the directory, in the
 * starter's area): read only when a card is drawn, never for a card that starts the case.
 */
async function placementCandidates(deps: BotDeps, person: PersonRow, options: ReturnType<typeof startOptions>) {
  const onlyArea = options.areas.length === 1 ? options.areas[0] : undefined;
  const choices = await pickerChoices(deps.db, person, rolesOf(options.routines).map((role) => peopleDataset(role, onlyArea)));
  return (dataset: string): readonly PickerChoice[] => choices.get(dataset) ?? [];
}

const NOTHING_TO_START = 'Du har ingen roll som startar en rutin i Boendelotsen (det gör t.ex. socialsekreterare). Be administratören om rätt roll i personalkatalogen.';

/** "ny placering": the card; starting happens when it is sent back. */
export async function newPlacementCommand(ctx: CommandContext): Promise<void> {
  const options = startOptions(ctx.deps, ctx.person);
  if (options.routines.length === 0) return sendText(ctx.turn, NOTHING_TO_START);
  const candidates = await placementCandidates(ctx.deps, ctx.person, options);
  await sendCard(ctx.turn, placementCard(options.routines, { areas: options.areas, candidates }), 'Ny placering');
}

const startData = z.object({
  routine: z.string({ message: 'Välj rutin.' }).regex(/^[^:]+:[^:]+$/, 'Välj rutin.'),
  caseRef: z.string({ message: 'Ange ärendereferens.' }).trim().min(3, 'Ange ärendereferens.').max(40).transform((v) => v.toUpperCase()),
  initials: z.string({ message: 'Ange initialer.' }).trim().regex(/^(\p{Lu}\.?\s?){1,4}$/u, 'Initialer skrivs som E.B. (högst fyra bokstäver).'),
  personnummer: z
    .string({ message: 'Ange personnummer.' })
    .transform((v) => v.replace(/[\s-+]/g, ''))
    .refine((v) => /^\d{12}$/.test(v), 'Personnumret ska ha 12 siffror (ÅÅÅÅMMDDNNNN).')
    // The BB parser checks the same: a case started on a wrong number could never match its BB mail.
    .refine((v) => !/^\d{12}$/.test(v) || parsePersonnummer(v, null).ok, 'Personnumret stämmer inte: datumet eller kontrollsiffran är fel. Kontrollera det mot beslutet.'),
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
    const options = startOptions(ctx.deps, ctx.person);
    const { routines, areas } = options;
    if (routines.length === 0) return NOTHING_TO_START;
    const retry = async (problem: string) => placementCard(routines, { problem, values: keep, areas, candidates: await placementCandidates(ctx.deps, ctx.person, options) });
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
    return card([heading(`Ärendet ${r.caseRef} är startat`), text(await whoActsNext(ctx, r.caseRef)), text(`Skriv **ärende ${r.caseRef}** för tidslinjen.`)]);
  },
};

/** The steps open now and who holds them, so the one who started the case knows whose move it is. */
async function whoActsNext(ctx: Parameters<CardAction['run']>[0], caseRef: string): Promise<string> {
  const view = await ctx.deps.cases.viewCase(caseRef, ctx.person.id);
  const open = view.ok ? view.view.timeline.filter((e) => e.status === 'open') : [];
  if (open.length === 0) return 'De som har en roll med ett öppet steg får sina uppgifter i Teams.';
  const lines = open.map((e) => `- ${e.title} – **${e.holderName ?? roleTitle(e.role)}**${e.holderName ? ` (${roleTitle(e.role)})` : ''}${e.due ? `, senast ${e.due}` : ''}`);
  return ['Nästa steg, och vem som gör det (de får uppgiften i Teams):', ...lines].join('\n');
}
