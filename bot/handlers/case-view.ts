import type { CommandContext } from '../commands.ts';
import { timelineCard } from '../cards/timeline-card.ts';
import { takeCaseRef } from '../args.ts';
import { sendCard, sendText } from '../reply.ts';

/** "ärende REF": the service audits the view and refuses anyone without a role on the case. */
export async function showCase(ctx: CommandContext): Promise<void> {
  const { ref } = takeCaseRef(ctx.words);
  if (!ref) return sendText(ctx.turn, 'Skriv **ärende** följt av referensen, t.ex. **ärende FF-2026-0142**.');
  const result = await ctx.deps.cases.viewCase(ref, ctx.person.id);
  if (!result.ok) return sendText(ctx.turn, result.message);
  await sendCard(ctx.turn, timelineCard(result.view), `${result.view.caseRef} ${result.view.clientInitials}`);
}
