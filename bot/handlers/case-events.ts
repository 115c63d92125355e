import { z } from 'zod';
import type { LocalDate } from '../../domain/calendar/local-date.ts';
import type { ServiceResult } from '../../services/types.ts';
import { missingDateText, readDate, takeCaseRef, takeDate } from '../args.ts';
import { CASE_ACTION_VERBS } from '../cards/timeline-card.ts';
import type { CommandContext } from '../commands.ts';
import type { CardAction, InvokeContext } from '../invoke.ts';
import { closeConfirmCard } from '../cards/close-confirm-card.ts';
import { sendCard, sendText } from '../reply.ts';
import { openChangedNeedAction } from './changed-need.ts';
import { redraw } from './redraw-case.ts';

type Outcome = ServiceResult<{ title: string }>;

/** "inflytt REF DATUM" */
export async function moveInCommand(ctx: CommandContext): Promise<void> {
  const parsed = refAndDate(ctx, 'inflytt FF-2026-0142 2026-03-01');
  if (typeof parsed === 'string') return sendText(ctx.turn, parsed);
  const r = await ctx.deps.cases.reportMoveIn({ caseRef: parsed.ref, date: parsed.date, personId: ctx.person.id });
  await sendText(ctx.turn, r.ok ? `✅ Inflytt ${parsed.date} registrerad i ${parsed.ref}.` : r.message);
}

/** "avsluta REF DATUM ORSAK" */
export async function closeCommand(ctx: CommandContext): Promise<void> {
  const parsed = refAndDate(ctx, 'avsluta FF-2026-0142 2026-06-30 flyttat till annan kommun');
  if (typeof parsed === 'string') return sendText(ctx.turn, parsed);
  const reason = parsed.rest.join(' ').trim();
  if (!reason) return sendText(ctx.turn, `Ange en orsak efter datumet, t.ex. **avsluta ${parsed.ref} ${parsed.date} flyttat till annan kommun**.`);
  // One typed line must not silently cancel open work: with steps open, a card says what goes and asks.
  const view = await ctx.deps.cases.viewCase(parsed.ref, ctx.person.id);
  if (!view.ok) return sendText(ctx.turn, view.message);
  const open = view.view.timeline.filter((e) => e.status === 'open');
  if (open.length > 0) return sendCard(ctx.turn, closeConfirmCard(view.view, open, parsed.date, reason), `Avsluta ${parsed.ref}?`);
  const r = await ctx.deps.cases.closeCase({ caseRef: parsed.ref, date: parsed.date, reason, personId: ctx.person.id });
  await sendText(ctx.turn, r.ok ? `✅ ${parsed.ref} avslutas ${parsed.date}.` : r.message);
}

function refAndDate(ctx: CommandContext, example: string): { ref: string; date: LocalDate; rest: string[] } | string {
  const { ref, rest } = takeCaseRef(ctx.words);
  if (!ref) return `Ange ärendets referens, t.ex. **${example}**.`;
  const taken = takeDate(rest, ctx.today);
  const { date, rest: after } = taken;
  if (!date) return `${missingDateText(taken, example)} Datum kan skrivas som 2026-03-01, 1 mars 2026 eller 1/3.`;
  return { ref, date, rest: after };
}

const caseActionData = z.object({ caseRef: z.string().min(1), date: z.string().optional(), reason: z.string().optional() });

/** The same three events from the timeline card's buttons; the card is redrawn with the outcome on top. */
function caseAction(verb: string, what: string, call: (ctx: InvokeContext, ref: string, date: LocalDate, reason: string) => Promise<Outcome> | string): CardAction {
  return {
    verb,
    what,
    run: async (ctx) => {
      const data = caseActionData.safeParse(ctx.data);
      if (!data.success) return 'Kortet saknar ärendereferens. Skriv **ärende REF** för ett nytt kort.';
      const ref = data.data.caseRef;
      const date = data.data.date ? readDate(data.data.date, ctx.today) : undefined;
      const outcome = date ? await call(ctx, ref, date, (data.data.reason ?? '').trim()) : 'Fyll i datum först.';
      const line = typeof outcome === 'string' ? outcome : outcome.ok ? `✅ ${outcome.title}` : outcome.message;
      const ok = typeof outcome !== 'string' && outcome.ok;
      return redraw(ctx, ref, ok, line);
    },
  };
}

export const caseActions: CardAction[] = [
  caseAction(CASE_ACTION_VERBS.moveIn, 'rapportera inflytt', (ctx, caseRef, date) => ctx.deps.cases.reportMoveIn({ caseRef, date, personId: ctx.person.id })),
  // Förändrat behov asks more than a date: its button opens the phase's own card.
  openChangedNeedAction(CASE_ACTION_VERBS.changedNeed),
  caseAction(CASE_ACTION_VERBS.close, 'avsluta ärendet', (ctx, caseRef, date, reason) =>
    reason ? ctx.deps.cases.closeCase({ caseRef, date, reason, personId: ctx.person.id }) : 'Fyll i en orsak för att avsluta.',
  ),
];
