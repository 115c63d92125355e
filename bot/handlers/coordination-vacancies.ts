import { z } from 'zod';
import { listUnits } from '../../db/coordination.ts';
import { card, text } from '../cards/card.ts';
import { REGISTER_VACANCY_VERB, vacancyFormCard, vacancyListCard } from '../cards/coordination-vacancy-card.ts';
import type { CommandContext } from '../commands.ts';
import type { CardAction } from '../invoke.ts';
import { sendCard, sendText } from '../reply.ts';
import { readDate } from '../args.ts';
import { findDate, takeLegalBasis, withoutFiller } from './coordination-args.ts';
import { coordinationFor, resultText } from './coordination-deps.ts';

/** "lediga": the vacancy list with days vacant. */
export async function listVacanciesCommand(ctx: CommandContext): Promise<void> {
  const views = await coordinationFor(ctx.deps).listVacancies(ctx.person.id);
  await sendCard(ctx.turn, vacancyListCard(views), `Lediga lägenheter (${views.length})`);
}

const EXAMPLE = 'ny ledig Solrosen 1203 gruppbostad LSS 2026-03-01';

/** "ny ledig ENHET LGH BOENDEFORM LAGRUM DATUM", or without words: the card. */
export async function registerVacancyCommand(ctx: CommandContext): Promise<void> {
  if (ctx.words.length === 0) {
    await sendCard(ctx.turn, vacancyFormCard(await listUnits(ctx.deps.db), { today: ctx.today }), 'Registrera ledig lägenhet');
    return;
  }
  const { date, rest } = findDate(ctx.words, ctx.today);
  const { basis, rest: words } = takeLegalBasis(withoutFiller(rest));
  const [unit, apartment, ...kind] = words;
  if (!date || !basis || !unit || !apartment || kind.length === 0) {
    return sendText(ctx.turn, `Skriv t.ex. **${EXAMPLE}** (enhet, lägenhet, boendeform, lagrum och ledig från), eller bara **ny ledig** för ett kort.`);
  }
  const r = await coordinationFor(ctx.deps).registerVacancy({ unit, apartment, housingKind: kind.join(' '), legalBasis: basis, freeFrom: date, personId: ctx.person.id });
  await sendText(ctx.turn, resultText(r));
}

const formData = z.object({
  unit: z.string({ message: 'Välj enhet.' }).min(1, 'Välj enhet.'),
  apartment: z.string({ message: 'Ange lägenhet.' }).trim().min(1, 'Ange lägenhet.').max(20),
  housingKind: z.string({ message: 'Ange boendeform.' }).trim().min(2, 'Ange boendeform.').max(60),
  legalBasis: z.string({ message: 'Välj lagrum.' }).min(1, 'Välj lagrum.'),
  area: z.string().trim().max(60).optional(),
  freeFrom: z.string({ message: 'Ange ledig från.' }),
});

export const registerVacancyAction: CardAction = {
  verb: REGISTER_VACANCY_VERB,
  what: 'registrera den lediga lägenheten',
  run: async (ctx) => {
    const values = Object.fromEntries(Object.entries(ctx.data).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    const retry = async (problem: string) => vacancyFormCard(await listUnits(ctx.deps.db), { problem, values, today: ctx.today });
    const parsed = formData.safeParse(ctx.data);
    if (!parsed.success) return retry(parsed.error.issues.map((i) => i.message).join(' '));
    const freeFrom = readDate(parsed.data.freeFrom, ctx.today);
    if (!freeFrom) return retry('Ange ledig från som ett datum.');
    const r = await coordinationFor(ctx.deps).registerVacancy({ ...parsed.data, area: parsed.data.area, freeFrom, personId: ctx.person.id });
    return r.ok ? card([text(`✅ ${r.message}`, { weight: 'Bolder' })]) : retry(r.message);
  },
};
