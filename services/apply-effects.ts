import type { Db } from '../db/client.ts';
import { enqueueMany, type NewOutboxMessage } from '../db/outbox.ts';
import { writeCaseTimers, type TimerToSet } from '../db/timers.ts';
import type { Effect, FactValue } from '../domain/engine/types.ts';
import type { RoleId } from '../domain/roles.ts';
import type { MailAttachment, MailPayload } from '../db/outbox-mail.ts';
import { renderRoutineMail } from './routine-mail.ts';
import type { Logger } from '../lib/logger.ts';
import { createPending, type Pending } from '../lib/settle.ts';

/** Payload of a Teams notification row; the bot renders the card from fresh state at delivery. */
export type TeamsNotification = {
  kind: 'step_opened' | 'step_completed' | 'step_late' | 'info';
  caseRef: string;
  stepKey: string | null;
  personId: string;
  message: string;
};

/**
 * What an event that came by mail adds to the mails its effects send: the BB attached as
 * received, the copy without price, and the addresses that already had the original.
 */
export type MailExtras = {
  attachments: Partial<Record<string, MailAttachment[]>>;
  /** Lower-case addresses that were To/Cc of the original mail: they are not sent it again. */
  alreadyReceived: ReadonlySet<string>;
};

export type EffectContext = {
  caseId: number;
  caseRef: string;
  clientInitials: string;
  mailExtras?: MailExtras | undefined;
  /** Messages wait until then: what a timer opens at 07:00 on a Saturday is told on Monday. */
  notBefore?: Date | undefined;
  /** The case version this decision wrote: makes every message key unique and stable. */
  version: number;
  now: Date;
  /** The addresses of each role asked for (a person's directory e-mail, or a provider's mailbox), read together. */
  roleMailboxes: (roles: RoleId[]) => Promise<Map<RoleId, string[]>>;
  /** A new case asked for by the routine (transfer at 65); returns its reference. */
  startCase: (effect: Extract<Effect, { type: 'start_case' }>) => Promise<string>;
  /** A role's own rendering of a routine mail (a provider's carries the case token); undefined: the default. */
  renderMail?: (role: RoleId, template: string, data: Record<string, FactValue>) => Promise<{ subject: string; text: string; html: string } | undefined>;
};

export type EffectDeps = { logger: Logger; mailDomain: string };

/**
 * Performs the engine's effects inside the event's transaction: timers become rows, messages
 * become outbox rows (sent later, never from inside the transaction), new cases are created.
 */
export async function applyEffects(tx: Db, effects: Effect[], ctx: EffectContext, deps: EffectDeps): Promise<void> {
  const writes = createPending();
  try {
    await queueEffects(tx, effects, ctx, deps, writes);
  } finally {
    // Whatever failed, nothing of this event is still on its way when the transaction ends.
    await writes.settled();
  }
}

/**
 * Starts the effects' writes without waiting for their answers (pipelined on the transaction's
 * connection); only a mail's address and text are read on the way. The timers are written in one
 * statement, each key as the event's last change to it left it (an event may cancel a timer and
 * set the same key again: it is then set).
 */
async function queueEffects(tx: Db, effects: Effect[], ctx: EffectContext, deps: EffectDeps, writes: Pending): Promise<void> {
  const timers = new Map<string, TimerToSet | 'cancel'>();
  // Messages are queued together at the end: one statement for the event's whole fan-out.
  const queued: NewOutboxMessage[] = [];
  const internalMails: InternalMail[] = [];
  const mailboxes = mailboxesOfRoles(effects, ctx);
  for (const [index, effect] of effects.entries()) {
    const key = `${ctx.caseRef}:v${ctx.version}:${index}`;
    switch (effect.type) {
      case 'set_timer':
        timers.set(effect.key, { key: effect.key, dueAt: new Date(effect.at), action: effect.action });
        break;
      case 'cancel_timer':
        timers.set(effect.key, 'cancel');
        break;
      case 'notify': {
        if (!effect.personId) {
          deps.logger.warn({ code: 'NOTIFY_NO_HOLDER', caseRef: ctx.caseRef, role: effect.role }, 'nobody holds the role on the case');
          break;
        }
        const payload: TeamsNotification = {
          kind: effect.kind,
          caseRef: ctx.caseRef,
          stepKey: effect.stepKey ?? null,
          personId: effect.personId,
          message: effect.message,
        };
        queued.push({ channel: 'teams', dedupeKey: `teams:${key}`, messageId: `teams:${key}`, recipient: effect.personId, caseRef: ctx.caseRef, payload, ...later(ctx) });
        break;
      }
      case 'send_mail': {
        const skip = ctx.mailExtras?.alreadyReceived;
        const to = (await mailboxes(effect.to)).filter((a) => !skip?.has(a.toLowerCase()));
        if (to.length === 0) {
          if (!skip) deps.logger.warn({ code: 'MAIL_NO_ADDRESS', caseRef: ctx.caseRef, role: effect.to, template: effect.template }, 'no address for the role');
          break;
        }
        const mail =
          (await ctx.renderMail?.(effect.to, effect.template, effect.data)) ??
          renderRoutineMail({ caseRef: ctx.caseRef, initials: ctx.clientInitials }, effect.template, effect.data);
        const attachments = ctx.mailExtras?.attachments[effect.template];
        const external = effect.to === 'leverantor';
        // Colleagues who are sent the very same mail (the BB with price to four roles) get it as
        // one mail to all of them: one SMTP transaction instead of one per role, and a person who
        // holds two of the roles gets it once. Only internal mail: each is addressed to staff of
        // the case who may all see it, and the sender refuses any address outside the internal
        // domains. A mail that differs in anything (a role's own text, another attachment) stays
        // a mail of its own.
        const same = external ? undefined : internalMails.find((m) => m.subject === mail.subject && m.text === mail.text && m.html === mail.html && m.attachments === attachments);
        if (same) {
          for (const address of to) if (!same.payload.to.some((a) => a.toLowerCase() === address.toLowerCase())) same.payload.to.push(address);
          same.row.recipient = same.payload.to.join(',');
          break;
        }
        const payload: MailPayload = { to, subject: mail.subject, text: mail.text, html: mail.html, external, ...(attachments ? { attachments } : {}) };
        const row: NewOutboxMessage = {
          channel: 'mail',
          dedupeKey: `mail:${key}`,
          messageId: `<${key.replace(/[^A-Za-z0-9.-]/g, '.')}.${ctx.now.getTime()}@${deps.mailDomain}>`,
          recipient: to.join(','),
          caseRef: ctx.caseRef,
          payload,
          ...later(ctx),
        };
        if (!external) internalMails.push({ ...mail, attachments, payload, row });
        queued.push(row);
        break;
      }
      case 'start_case':
        await ctx.startCase(effect);
        break;
    }
  }
  if (timers.size > 0) {
    const changes = [...timers.values()];
    const cancel = [...timers].filter(([, change]) => change === 'cancel').map(([key]) => key);
    writes.add(writeCaseTimers(tx, ctx.caseId, { set: changes.filter((c) => c !== 'cancel'), cancel }));
  }
  writes.add(enqueueMany(tx, queued, ctx.now));
}

/**
 * The addresses of every role the event's mails go to, asked for all at once: one read on the
 * transaction's connection (not one per role), each role once.
 */
function mailboxesOfRoles(effects: Effect[], ctx: EffectContext): (role: RoleId) => Promise<string[]> {
  const roles = [...new Set(effects.flatMap((e) => (e.type === 'send_mail' ? [e.to] : [])))];
  const asked = roles.length > 0 ? ctx.roleMailboxes(roles) : Promise.resolve(new Map<RoleId, string[]>());
  // Awaited when the first mail is queued; if an earlier effect fails first, the event fails with
  // that error, and this read's own failure must not become an unhandled rejection.
  asked.catch(() => undefined);
  return async (role) => (await asked).get(role) ?? [];
}

/** An internal mail queued by this event, with what makes another the same mail. */
type InternalMail = { subject: string; text: string; html: string; attachments: MailAttachment[] | undefined; payload: MailPayload; row: NewOutboxMessage };

function later(ctx: EffectContext): { notBefore?: Date } {
  return ctx.notBefore ? { notBefore: ctx.notBefore } : {};
}
