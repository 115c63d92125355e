import { z } from 'zod';
import { readDate, takeCaseRef } from '../args.ts';
import { card, text } from '../cards/card.ts';
import { ACCEPT_OFFER_VERB, DECLINE_OFFER_VERB, offerAnswerCard } from '../cards/coordination-offer-card.ts';
import type { CommandContext } from '../commands.ts';
import type { CardAction, InvokeContext } from '../invoke.ts';
import { sendCard, sendText } from '../reply.ts';
import { findDate, freeText, takeVacancyRef } from './coordination-args.ts';
import { coordinationFor, resultText } from './coordination-deps.ts';

/** "reservera L12 REF" (myndigheten). */
export async function reserveCommand(ctx: CommandContext): Promise<void> {
  const v = takeVacancyRef(ctx.words);
  const c = takeCaseRef(v.rest);
  if (!v.ref || !c.ref) return sendText(ctx.turn, 'Skriv t.ex. **reservera L12 FF-2026-0142** (lägenheten ur **lediga**, personen ur **kö**).');
  await sendText(ctx.turn, resultText(await coordinationFor(ctx.deps).reserve({ vacancyRef: v.ref, caseRef: c.ref, personId: ctx.person.id })));
}

/** "erbjud L12 [visning DATUM]" (enhetschef): the answer card follows. */
export async function offerCommand(ctx: CommandContext): Promise<void> {
  const v = takeVacancyRef(ctx.words);
  if (!v.ref) return sendText(ctx.turn, 'Skriv t.ex. **erbjud L12 visning 2026-03-05**.');
  const viewing = findDate(v.rest, ctx.today).date ?? null;
  const r = await coordinationFor(ctx.deps).offer({ vacancyRef: v.ref, viewingOn: viewing, personId: ctx.person.id });
  if (!r.ok || !r.deadline) return sendText(ctx.turn, resultText(r));
  await sendText(ctx.turn, resultText(r));
  await sendCard(ctx.turn, offerAnswerCard({ vacancyRef: v.ref, heldFor: r.heldFor ?? '', deadline: r.deadline }), `Svar på erbjudandet ${v.ref}`);
}

/** "tackat nej L12 ORSAK" (enhetschef): the person stays in the queue. */
export async function declineCommand(ctx: CommandContext): Promise<void> {
  const v = takeVacancyRef(ctx.words);
  const reason = freeText(v.rest);
  if (!v.ref || !reason) return sendText(ctx.turn, 'Skriv t.ex. **tackat nej L12 vill bo närmare familjen** (den uppgivna orsaken).');
  await sendText(ctx.turn, resultText(await coordinationFor(ctx.deps).decline({ vacancyRef: v.ref, reason, personId: ctx.person.id })));
}

/** "tackat ja L12 DATUM" (enhetschef): booked with the planned move-in date. */
export async function acceptCommand(ctx: CommandContext): Promise<void> {
  const v = takeVacancyRef(ctx.words);
  const date = findDate(v.rest, ctx.today).date;
  if (!v.ref || !date) return sendText(ctx.turn, 'Skriv t.ex. **tackat ja L12 2026-04-01** (planerat inflyttningsdatum).');
  await sendText(ctx.turn, resultText(await coordinationFor(ctx.deps).accept({ vacancyRef: v.ref, plannedMoveIn: date, personId: ctx.person.id })));
}

/** "beställt L12" (myndigheten): orders sent, home care and health care told. */
export async function ordersSentCommand(ctx: CommandContext): Promise<void> {
  const v = takeVacancyRef(ctx.words);
  if (!v.ref) return sendText(ctx.turn, 'Skriv t.ex. **beställt L12**.');
  await sendText(ctx.turn, resultText(await coordinationFor(ctx.deps).ordersSent({ vacancyRef: v.ref, personId: ctx.person.id })));
}

/** "inflyttad L12 DATUM" (enhetschef): the actual move-in day. */
export async function movedInCommand(ctx: CommandContext): Promise<void> {
  const v = takeVacancyRef(ctx.words);
  const date = findDate(v.rest, ctx.today).date;
  if (!v.ref || !date) return sendText(ctx.turn, 'Skriv t.ex. **inflyttad L12 2026-04-01** (den dag personen faktiskt flyttade in).');
  await sendText(ctx.turn, resultText(await coordinationFor(ctx.deps).moveIn({ vacancyRef: v.ref, date, personId: ctx.person.id })));
}

const answerData = z.object({ vacancyRef: z.string().min(2), plannedMoveIn: z.string().optional(), reason: z.string().optional() });

function answerAction(verb: string, what: string, run: (ctx: InvokeContext, d: z.infer<typeof answerData>) => Promise<{ ok: boolean; message: string } | string>): CardAction {
  return {
    verb,
    what,
    run: async (ctx) => {
      const d = answerData.safeParse(ctx.data);
      if (!d.success) return 'Kortet saknar lägenhet. Skriv **lediga** för listan.';
      const r = await run(ctx, d.data);
      if (typeof r === 'string') return offerAnswerCard({ vacancyRef: d.data.vacancyRef, heldFor: '', deadline: '', problem: r });
      return r.ok ? card([text(`✅ ${r.message}`, { weight: 'Bolder' })]) : card([text(r.message, { color: 'Attention' })]);
    },
  };
}

export const offerActions: CardAction[] = [
  answerAction(ACCEPT_OFFER_VERB, 'registrera att erbjudandet antogs', async (ctx, d) => {
    const date = d.plannedMoveIn ? readDate(d.plannedMoveIn, ctx.today) : undefined;
    if (!date) return 'Fyll i planerat inflyttningsdatum.';
    return coordinationFor(ctx.deps).accept({ vacancyRef: d.vacancyRef, plannedMoveIn: date, personId: ctx.person.id });
  }),
  answerAction(DECLINE_OFFER_VERB, 'registrera att erbjudandet avböjdes', async (ctx, d) => {
    if (!d.reason?.trim()) return 'Fyll i den uppgivna orsaken.';
    return coordinationFor(ctx.deps).decline({ vacancyRef: d.vacancyRef, reason: d.reason, personId: ctx.person.id });
  }),
];
