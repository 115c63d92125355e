import { z } from 'zod';
import { takeCaseRef } from '../args.ts';
import { card, text } from '../cards/card.ts';
import { INTERNAL_ANSWER_VERB, INTERNAL_DECISION_VERB, internalAnswerCard, internalDecisionCard } from '../cards/coordination-internal-card.ts';
import type { CommandContext } from '../commands.ts';
import type { CardAction } from '../invoke.ts';
import { fold } from '../fuzzy.ts';
import { sendCard, sendText } from '../reply.ts';
import { findDate, takeFlag, takeInitials, takeKeyword, takeVacancyRef } from './coordination-args.ts';
import { coordinationFor, resultText } from './coordination-deps.ts';

/** "intern flytt L12 REF E.B. [direkt] [dokument DATUM]" (enhetschef, routine 3). */
export async function proposeInternalCommand(ctx: CommandContext): Promise<void> {
  const v = takeVacancyRef(ctx.words);
  const c = takeCaseRef(v.rest);
  const i = takeInitials(c.rest);
  const direct = takeFlag(i.rest, 'direkt');
  const doc = takeKeyword(direct.rest, 'dokument', 3);
  if (!v.ref || !c.ref || !i.initials) {
    return sendText(ctx.turn, 'Skriv t.ex. **intern flytt L12 FF-2026-0142 E.B. direkt** (inom området, utan dokument) eller **… dokument 2026-01-20** (”Byte BmSS/uppdaterad utredning”).');
  }
  const documentDate = doc.value ? (findDate(doc.value.split(' '), ctx.today).date ?? null) : null;
  const r = await coordinationFor(ctx.deps).proposeInternalMove({ vacancyRef: v.ref, caseRef: c.ref, clientInitials: i.initials, direct: direct.present, changeDocumentDate: documentDate, personId: ctx.person.id });
  await sendText(ctx.turn, resultText(r));
}

/** "intern flytt svar L12 tillstyrker|motsätter" (planeringsledare); without an answer: the card. */
export async function answerInternalCommand(ctx: CommandContext): Promise<void> {
  const v = takeVacancyRef(ctx.words);
  if (!v.ref) return sendText(ctx.turn, 'Skriv t.ex. **intern flytt svar L12 tillstyrker** eller **motsätter**.');
  const word = v.rest.map(fold).find((w) => w.startsWith('tillstyr') || w.startsWith('motsat'));
  if (!word) return sendCard(ctx.turn, internalAnswerCard(v.ref), `Intern flytt till ${v.ref}`);
  const answer = word.startsWith('tillstyr') ? 'tillstyrker' : 'motsatter';
  await sendText(ctx.turn, resultText(await coordinationFor(ctx.deps).answerInternal({ vacancyRef: v.ref, answer, personId: ctx.person.id })));
}

/** "intern flytt beslut L12 genomför|genomför ej" (verksamhetschef); without a decision: the card. */
export async function decideInternalCommand(ctx: CommandContext): Promise<void> {
  const v = takeVacancyRef(ctx.words);
  if (!v.ref) return sendText(ctx.turn, 'Skriv t.ex. **intern flytt beslut L12 genomför** eller **genomför ej**.');
  const words = v.rest.map(fold);
  if (!words.includes('genomfor')) return sendCard(ctx.turn, internalDecisionCard(v.ref), `Beslut om intern flytt till ${v.ref}`);
  const decision = words.includes('ej') || words.includes('inte') ? 'genomfor_ej' : 'genomfor';
  await sendText(ctx.turn, resultText(await coordinationFor(ctx.deps).decideInternal({ vacancyRef: v.ref, decision, personId: ctx.person.id })));
}

const answerData = z.object({ vacancyRef: z.string().min(2), answer: z.enum(['tillstyrker', 'motsatter']) });
const decisionData = z.object({ vacancyRef: z.string().min(2), decision: z.enum(['genomfor', 'genomfor_ej']) });

export const internalActions: CardAction[] = [
  {
    verb: INTERNAL_ANSWER_VERB,
    what: 'registrera ditt svar på den interna flytten',
    run: async (ctx) => {
      const d = answerData.safeParse(ctx.data);
      if (!d.success) return 'Kortet saknar uppgifter. Skriv **intern flytt svar L12**.';
      const r = await coordinationFor(ctx.deps).answerInternal({ ...d.data, personId: ctx.person.id });
      return card([text(resultText(r), r.ok ? { weight: 'Bolder' } : { color: 'Attention' })]);
    },
  },
  {
    verb: INTERNAL_DECISION_VERB,
    what: 'registrera beslutet om den interna flytten',
    run: async (ctx) => {
      const d = decisionData.safeParse(ctx.data);
      if (!d.success) return 'Kortet saknar uppgifter. Skriv **intern flytt beslut L12**.';
      const r = await coordinationFor(ctx.deps).decideInternal({ ...d.data, personId: ctx.person.id });
      return card([text(resultText(r), r.ok ? { weight: 'Bolder' } : { color: 'Attention' })]);
    },
  },
];
