import type { LocalDate } from '../calendar/local-date.ts';
import { cancelTimer, notify, type Ctx } from './context.ts';
import { closedMessage } from './messages.ts';

/**
 * Ends the case: open steps are cancelled, every timer stops (no more monthly reports or
 * follow-ups), and the roles the routine names are told the reason and date
 * ("meddelar vid avslut av placering, orsak och datum").
 */
export function closeCase(ctx: Ctx, date: LocalDate, reason: string): void {
  const state = ctx.state;
  if (state.status === 'closed') return;
  state.status = 'closed';
  state.closedAt = ctx.nowIso;
  state.closeReason = reason;
  state.facts['endDate'] = date;
  state.facts['endReason'] = reason;
  for (const step of Object.values(state.steps)) if (step.status === 'open') step.status = 'cancelled';
  for (const key of Object.keys(state.timers)) cancelTimer(ctx, key);
  for (const role of ctx.def.closing.notify) {
    notify(ctx, role, 'info', closedMessage(state.caseRef, ctx.def.title, date, reason));
  }
  for (const mail of ctx.def.closing.mail ?? []) {
    const data: Record<string, string> = { caseRef: state.caseRef, endDate: date, endReason: reason };
    ctx.effects.push({ type: 'send_mail', to: mail.to, template: mail.template, data });
  }
}
