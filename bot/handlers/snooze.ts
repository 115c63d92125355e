import { z } from 'zod';
import { addDays } from '../../domain/calendar/local-date.ts';
import { snoozeReminders } from '../../services/reminders-snooze.ts';
import { missingDateText, readDate, takeCaseRef, takeDate } from '../args.ts';
import { card, execute, heading, text, warning, type AdaptiveCard } from '../cards/card.ts';
import { SNOOZE_VERB } from '../cards/task-card.ts';
import type { CommandContext } from '../commands.ts';
import type { CardAction } from '../invoke.ts';
import { sendText } from '../reply.ts';

const EXAMPLE = 'påminn mig FF-2026-0142 2027-03-15';

/** "påminn mig REF DATUM": moves the next reminder on the person's steps in the case, not the deadline. */
export async function snoozeCommand(ctx: CommandContext): Promise<void> {
  const { ref, rest } = takeCaseRef(ctx.words);
  if (!ref) return sendText(ctx.turn, `Ange ärendets referens och ett datum, t.ex. **${EXAMPLE}**.`);
  const taken = takeDate(rest, ctx.today);
  const date = taken.date;
  if (!date) return sendText(ctx.turn, missingDateText(taken, EXAMPLE));
  const r = await snoozeReminders(ctx.deps, { caseRef: ref, until: date, personId: ctx.person.id });
  await sendText(ctx.turn, r.message);
}

/** The small card the "Påminn mig" button opens: one date, one button. */
function snoozeCard(caseRef: string, stepKey: string, suggested: string, problem?: string): AdaptiveCard {
  return card(
    [
      heading(`Påminn mig om ${caseRef}`),
      text('Välj dag för nästa påminnelse. Sista dagen för steget ändras inte.', { isSubtle: true }),
      ...(problem ? [warning(problem)] : []),
      { type: 'Input.Date', id: 'snoozeUntil', label: 'Påminn mig', value: suggested, isRequired: true, errorMessage: 'Välj ett datum' },
    ],
    [execute('Spara', SNOOZE_VERB, { caseRef, stepKey, confirm: true }, 'positive')],
  );
}

const snoozeData = z.object({ caseRef: z.string().min(1), stepKey: z.string().min(1), confirm: z.boolean().optional(), snoozeUntil: z.string().optional() });

/** First press (task card): the date card. Second press (date card): the snooze, audited. */
export const snoozeAction: CardAction = {
  verb: SNOOZE_VERB,
  what: 'spara påminnelsen',
  run: async (ctx) => {
    const data = snoozeData.safeParse(ctx.data);
    if (!data.success) return 'Kortet saknar ärende eller steg. Skriv **mina uppgifter** för nya kort.';
    const { caseRef, stepKey } = data.data;
    if (!data.data.confirm) return snoozeCard(caseRef, stepKey, addDays(ctx.today, 1));
    const until = readDate(data.data.snoozeUntil ?? '', ctx.today);
    if (!until) return snoozeCard(caseRef, stepKey, addDays(ctx.today, 1), 'Datumet kunde inte läsas.');
    const r = await snoozeReminders(ctx.deps, { caseRef, stepKey, until, personId: ctx.person.id });
    return r.ok ? r.message : snoozeCard(caseRef, stepKey, until, r.message);
  },
};
