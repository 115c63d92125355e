import { card, text, warning, type AdaptiveCard } from '../cards/card.ts';
import { timelineCard } from '../cards/timeline-card.ts';
import type { InvokeContext } from '../invoke.ts';

/** After a case-level event from a card: the timeline again (an audited view), the outcome on top. */
export async function redraw(ctx: InvokeContext, ref: string, ok: boolean, line: string): Promise<AdaptiveCard> {
  const view = await ctx.deps.cases.viewCase(ref, ctx.person.id);
  if (!view.ok) return card([ok ? text(line) : warning(line)]);
  const timeline = timelineCard(view.view);
  timeline.body.unshift(ok ? text(line, { weight: 'Bolder' }) : warning(line));
  return timeline;
}
