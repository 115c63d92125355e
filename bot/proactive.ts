import { escapeHtml } from '../lib/html.ts';
import { CardFactory, MessageFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { Activity } from 'botbuilder';
import { activeSubstitute, conversationRefFor, findPersonById, type PersonRow } from '../db/people.ts';
import { enqueue, type OutboxRow } from '../db/outbox.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import type { DeliveryOutcome } from '../services/outbox-worker.ts';
import { taskCard } from './cards/task-card.ts';
import type { BotDeps } from './deps.ts';
import { awaitsDocument, capturesOf } from './handlers/complete.ts';
import { teamsNotification, type MailPayload, type TeamsNotificationPayload } from './notification-payload.ts';

/** Kinds that are work to do: they follow the holder's substitute. Info lines go to the person themself. */
const TASK_KINDS = new Set<TeamsNotificationPayload['kind']>(['step_opened', 'step_late', 'reminder']);

type Rendered = { activity: Partial<Activity>; mail: { subject: string; text: string } } | { skip: string };

/**
 * The outbox deliverer for channel 'teams'. Runs outside any transaction (the worker claims the row
 * first). The card is drawn from the step's state now, not when the row was queued: a step done in
 * the meantime is not sent again. A person the bot cannot reach in Teams gets a mail row instead,
 * so the task still reaches them.
 */
export function createDeliverer(deps: BotDeps, adapter: CloudAdapter) {
  const appId = deps.config.bot.appId ?? '';

  return async function deliver(row: OutboxRow): Promise<DeliveryOutcome> {
    const parsed = teamsNotification.safeParse(row.payload);
    if (!parsed.success) return { ok: false, permanent: true, error: 'payload is not a Teams notification' };
    const n = parsed.data;
    const holder = await findPersonById(deps.db, n.personId);
    if (!holder) return { ok: false, permanent: true, error: `person ${n.personId} is not in the directory` };
    const today = stockholmDate(deps.clock.now());
    const substituteId = TASK_KINDS.has(n.kind) ? await activeSubstitute(deps.db, holder.id, today) : null;
    const target = substituteId ? await findPersonById(deps.db, substituteId) : holder;
    if (!target) return { ok: false, permanent: true, error: `substitute ${substituteId ?? ''} is not in the directory` };

    const rendered = await render(n, target === holder ? undefined : holder, today);
    if ('skip' in rendered) {
      deps.logger.info({ code: 'TEAMS_NOTIFICATION_SKIPPED', id: row.id, caseRef: n.caseRef, reason: rendered.skip }, 'notification no longer needed');
      return { ok: true };
    }
    const reference = (await conversationRefFor(deps.db, target.id)) as Partial<ConversationReference> | undefined;
    if (!reference) return mailInstead(row, target, rendered.mail, 'no_conversation_reference');
    try {
      await adapter.continueConversationAsync(appId, reference, async (turn) => {
        await turn.sendActivity(rendered.activity);
      });
      return { ok: true };
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      // 403/404: the person removed the app or the chat is gone; mail still reaches them.
      if (status === 403 || status === 404) return mailInstead(row, target, rendered.mail, `teams_${status}`);
      return { ok: false, permanent: false, error: err instanceof Error ? err.message : String(err) };
    }
  };

  async function render(n: TeamsNotificationPayload, absentHolder: PersonRow | undefined, today: string): Promise<Rendered> {
    const mailText = (extra: string) => ({ subject: n.caseRef ? `Boendelotsen: ${n.caseRef}` : 'Boendelotsen: meddelande', text: `${n.message}${extra}\n\nÖppna Boendelotsen i Teams och skriv "mina uppgifter", eller svara din handläggare.` });
    if (!TASK_KINDS.has(n.kind) || n.stepKey === null) {
      return { activity: MessageFactory.text(n.message), mail: mailText('') };
    }
    const step = await deps.steps(n.caseRef, n.stepKey);
    if (!step) return { skip: 'step_unknown' };
    if (step.status !== 'open') return { skip: `step_${step.status}` };
    const late = step.due !== null && step.due < today;
    const card = taskCard({ ...step, late, captures: capturesOf(deps, step), message: n.message, onBehalfOfName: absentHolder?.name, awaitsDocument: awaitsDocument(deps, step) });
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
    activity.summary = `${step.caseRef}: ${step.title}`;
    const due = step.due ? `\nSenast: ${step.due}` : '';
    const behalf = absentHolder ? `\nDu får detta som ersättare för ${absentHolder.name}.` : '';
    return { activity, mail: { ...mailText(`\n\nUppgift: ${step.title} (${step.caseRef} ${step.clientInitials})${due}${behalf}`), subject: `Boendelotsen: ny uppgift i ${step.caseRef}` } };
  }

  /** The mail row is keyed by the Teams row: a retry of this delivery never queues a second mail. */
  async function mailInstead(row: OutboxRow, to: PersonRow, mail: { subject: string; text: string }, why: string): Promise<DeliveryOutcome> {
    const key = `mail:teams-fallback:${row.id}`;
    const payload: MailPayload = { to: [to.email], subject: mail.subject, text: mail.text, html: `<p>${escapeHtml(mail.text).replace(/\n/g, '<br>')}</p>` };
    const domain = deps.config.mail.from?.split('@')[1] ?? 'boendelotsen.local';
    await enqueue(deps.db, { channel: 'mail', dedupeKey: key, messageId: `<teams-fallback.${row.id}@${domain}>`, recipient: to.email, caseRef: row.caseRef, payload }, deps.clock.now());
    deps.logger.info({ code: 'TEAMS_FALLBACK_MAIL', id: row.id, personId: to.id, why }, 'person reached by mail instead of Teams');
    return { ok: true };
  }
}
