import { createHash } from 'node:crypto';
import { simpleParser } from './simple-parser.ts';
import { appendAudit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { enqueue } from '../db/outbox.ts';
import { findPersonById } from '../db/people.ts';
import { findProviderOrder, findProvidersByDomain, insertInboxTask, listProviders, PROVIDER_REPLY_BODY, type ProviderRow } from '../db/providers.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import type { CaseState } from '../domain/engine/types.ts';
import { ownText, readProviderReply, unclearText, type ReplyFinding } from '../domain/providers/reply-text.ts';
import { findToken, hasTokenShape, judgeToken, tokenExpired, type CaseToken, type TokenRejection } from '../domain/providers/token.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { TeamsNotification } from '../services/apply-effects.ts';
import type { CaseEngine } from '../services/case-service.ts';
import { loadCase, type CaseRow } from '../db/cases.ts';
import { providerOfCase } from '../services/provider-mail.ts';
import type { ProviderTokens } from '../services/provider-tokens.ts';
import type { HandleResult, IncomingMail, IncomingMailHandler } from './handler.ts';
import { enqueueMail, type MailAttachment } from '../db/outbox-mail.ts';

export type ProviderReplyDeps = { engine: CaseEngine; tokens: ProviderTokens; from: string; clock: Clock; logger: Logger };

const WHAT: Record<ReplyFinding['kind'], string> = {
  confirmed: 'har bekräftat att beställningen mottagits',
  started: 'meddelar att insatsen påbörjas',
  genomforandeplan: 'har skickat genomförandeplanen (bifogad i mejl till dig)',
  manadsrapport: 'har skickat månadsrapporten (bifogad i mejl till dig)',
  franvaro: 'meddelar frånvaro eller förändrade förhållanden',
};

/**
 * Provider replies come into the same mailbox as BB mails. A mail whose subject carries a case
 * token ("[BL-…]") is the provider side's: it is believed only if the sender's domain is a
 * registered provider's, the token's MAC verifies for that provider and that provider is the
 * case's. Anything else with a token is quarantined without naming the case (no reply leaves
 * the internal domains anyway). A believed reply completes its steps in the mail's transaction;
 * what cannot be read becomes a task for the handläggare, with the text, never lost.
 */
export function withProviderReplies(deps: ProviderReplyDeps, inner: IncomingMailHandler): IncomingMailHandler {
  return (tx, mail) => (hasTokenShape(mail.subject) ? handleProviderReply(deps, tx, mail) : inner(tx, mail));
}

async function handleProviderReply(deps: ProviderReplyDeps, tx: Db, mail: IncomingMail): Promise<HandleResult> {
  const now = deps.clock.now();
  const token = findToken(mail.subject);
  const verified: Verified = token ? await verify(deps, tx, token, mail) : { ok: false, reason: 'token_forged', provider: null };
  if (!verified.ok) return reject(deps, tx, mail, verified, now);
  const provider = verified.provider;
  const caseRef = verified.row.caseRef;
  const parsed = await simpleParser(mail.source);
  const text = parsed.text ?? '';
  const attachments: MailAttachment[] = parsed.attachments.map((a, i) => ({
    filename: a.filename ?? `bilaga-${i + 1}`,
    contentType: a.contentType,
    contentBase64: a.content.toString('base64'),
  }));
  // The server's receipt time, not the sender's Date header: a deadline is judged by when it came.
  const mailDate = stockholmDate(mail.receivedAt ?? now);
  const reading = readProviderReply({ text, attachmentNames: attachments.map((a) => a.filename), mailDate });
  const ref = `${mail.key.mailbox}|${mail.key.uidValidity}|${mail.key.uid}`;
  const refusals: string[] = [];
  const done: ReplyFinding[] = [];
  for (const finding of reading.findings) {
    const outcome = await deps.engine.applyIn(
      tx,
      caseRef,
      () => Promise.resolve({ type: 'provider_reply', kind: finding.kind, date: finding.date, ...(finding.data ? { data: finding.data } : {}) }),
      { actor: `leverantor:${provider.id}`, action: 'provider_reply', detail: { kind: finding.kind, date: finding.date, messageId: mail.messageId } },
    );
    if (outcome.ok) done.push(finding);
    else refusals.push(outcome.message);
  }
  // Everything the reply says was refused (the step is already done, or not open): it changes
  // nothing, so it is filed in Quarantine with a reason rather than made a task.
  if (reading.findings.length > 0 && done.length === 0 && reading.unclear.length === 0) {
    await audit(tx, 'provider_reply.not_expected', provider, caseRef, { kinds: reading.findings.map((f) => f.kind), messageId: mail.messageId }, now);
    deps.logger.info({ code: 'PROVIDER_REPLY_NOT_EXPECTED', caseRef, kinds: reading.findings.map((f) => f.kind) }, 'provider reply changes nothing; quarantined');
    return { outcome: 'quarantined', reason: 'provider_reply_not_expected', caseRef, ...(refusals[0] === undefined ? {} : { detail: refusals[0] }) };
  }
  const row = (await loadCase(tx, caseRef)) ?? verified.row;
  const handlaggareId = (row.state as CaseState).roles.socialsekreterare ?? null;
  for (const f of done) {
    const message = `${caseRef}: ${provider.name} ${WHAT[f.kind]}${f.kind === 'started' || f.kind === 'franvaro' ? ` (${f.date})` : ''}.`;
    await notifyTeams(tx, { caseRef, personId: handlaggareId, message, key: `provider-reply:${ref}:${f.kind}`, now });
  }
  const documents = done.some((f) => f.kind === 'genomforandeplan' || f.kind === 'manadsrapport');
  const needsPerson = reading.unclear.length > 0 || refusals.length > 0;
  if (needsPerson) {
    const reason = [unclearText(reading.unclear), ...refusals].filter(Boolean).join('; ');
    const task = await insertInboxTask(tx, { caseRef, providerId: provider.id, assigneeId: handlaggareId, messageId: mail.messageId, reason, body: deps.engine.pnr.sealText(ownText(text).slice(0, 20_000), PROVIDER_REPLY_BODY), status: 'open', createdAt: now });
    await notifyTeams(tx, { caseRef, personId: handlaggareId, message: `${caseRef}: ett svar från ${provider.name} behöver läsas av dig (${reason}). Texten har mejlats till dig; skriv "leverantör svar klart ${task.id}" när det är hanterat.`, key: `provider-reply:${ref}:task`, now });
    await audit(tx, 'provider_reply.task', provider, caseRef, { taskId: task.id, unclear: reading.unclear, refused: refusals.length }, now);
  }
  if (needsPerson || documents) await forwardToHandlaggare(deps, tx, { row, provider, text, attachments, ref, task: needsPerson, now });
  return { outcome: 'processed', reason: needsPerson ? 'provider_reply_task' : 'provider_reply', caseRef };
}

type Verified =
  | { ok: true; provider: ProviderRow; row: CaseRow }
  | { ok: false; reason: TokenRejection; provider: ProviderRow | null; caseRef?: string };

/** Swedish words and log codes for a genuine token that is no longer believed. */
const SPENT: Partial<Record<TokenRejection, { reason: 'provider_token_expired' | 'provider_token_other_order'; code: string }>> = {
  token_expired: { reason: 'provider_token_expired', code: 'PROVIDER_TOKEN_EXPIRED' },
  token_other_order: { reason: 'provider_token_other_order', code: 'PROVIDER_TOKEN_OTHER_ORDER' },
};

async function reject(deps: ProviderReplyDeps, tx: Db, mail: IncomingMail, verified: Extract<Verified, { ok: false }>, now: Date): Promise<HandleResult> {
  const spent = SPENT[verified.reason];
  if (spent && verified.provider && verified.caseRef) {
    // The MAC is ours for this provider and case: the case may be named, the order is just over.
    await audit(tx, 'provider_reply.rejected', verified.provider, verified.caseRef, { reason: verified.reason, messageId: mail.messageId }, now);
    deps.logger.warn({ code: spent.code, caseRef: verified.caseRef, uid: mail.key.uid }, 'provider reply with a spent token; quarantined');
    // The provider is outside our domains and gets no reply: the handläggare hears of it instead,
    // so a provider still answering an old mail (a long placement's monthly reports) is not lost.
    const row = await loadCase(tx, verified.caseRef);
    const handlaggareId = row ? ((row.state as CaseState).roles.socialsekreterare ?? null) : null;
    const why = verified.reason === 'token_expired' ? 'svarade på ett mejl vars märkning har slutat gälla' : 'svarade på ett mejl om en tidigare beställning';
    const ref = `${mail.key.mailbox}|${mail.key.uidValidity}|${mail.key.uid}`;
    await notifyTeams(tx, { caseRef: verified.caseRef, personId: handlaggareId, message: `${verified.caseRef}: ${verified.provider.name} ${why}. Svaret har inte registrerats; be utföraren svara på det senaste mejlet från Boendelotsen.`, key: `provider-reply:${ref}:spent`, now });
    return { outcome: 'quarantined', reason: spent.reason, caseRef: verified.caseRef };
  }
  // The claimed case is not named in the audit: a forged token may point at any case.
  await appendAudit(tx, { actor: senderActor(mail.from), action: 'provider_reply.rejected', detail: { reason: verified.reason, providerId: verified.provider?.id ?? null, messageId: mail.messageId } }, now);
  deps.logger.warn({ code: 'PROVIDER_REPLY_REJECTED', reason: verified.reason, uid: mail.key.uid }, 'provider reply not verified; quarantined');
  return { outcome: 'quarantined', reason: 'provider_not_verified' };
}

async function verify(deps: ProviderReplyDeps, tx: Db, token: CaseToken, mail: IncomingMail): Promise<Verified> {
  const domain = mail.from?.split('@')[1] ?? '';
  const candidates = domain ? await findProvidersByDomain(tx, domain) : [];
  const sender: ProviderRow | null = candidates.find((p) => deps.tokens.verifies(token, p.id)) ?? candidates[0] ?? null;
  const macMatchesSender = sender !== null && deps.tokens.verifies(token, sender.id);
  const macMatchesOtherProvider = !macMatchesSender && (await listProviders(tx)).some((p) => p.id !== sender?.id && deps.tokens.verifies(token, p.id));
  const row: CaseRow | undefined = macMatchesSender ? await loadCase(tx, token.caseRef) : undefined;
  const caseProvider = row ? await providerOfCase(tx, row) : undefined;
  // By the service's clock, the one the token's days were counted on when it was issued (a
  // training environment shifts both alike).
  const expired = tokenExpired(token, stockholmDate(deps.clock.now()));
  const order = macMatchesSender ? await findProviderOrder(tx, token.orderId) : undefined;
  const orderCurrent = order !== undefined && order.caseRef === token.caseRef && order.providerId === sender?.id && order.endedAt === null;
  const check = judgeToken({ senderProviderId: sender?.id ?? null, macMatchesSender, macMatchesOtherProvider, expired, orderCurrent, caseProviderId: caseProvider?.id ?? null });
  if (check.ok && sender && row) return { ok: true, provider: sender, row };
  const reason = check.ok ? 'not_case_provider' : check.reason;
  return { ok: false, reason, provider: sender, ...(row && macMatchesSender ? { caseRef: row.caseRef } : {}) };
}

async function notifyTeams(tx: Db, p: { caseRef: string; personId: string | null; message: string; key: string; now: Date }): Promise<void> {
  if (!p.personId) return;
  const payload: TeamsNotification = { kind: 'info', caseRef: p.caseRef, stepKey: null, personId: p.personId, message: p.message };
  await enqueue(tx, { channel: 'teams', dedupeKey: `teams:${p.key}`, messageId: `teams:${p.key}`, recipient: p.personId, caseRef: p.caseRef, payload }, p.now);
}

/** The reply's text and documents go to the handläggare's internal address: not into Teams (health details). */
async function forwardToHandlaggare(
  deps: ProviderReplyDeps,
  tx: Db,
  p: { row: CaseRow; provider: ProviderRow; text: string; attachments: MailAttachment[]; ref: string; task: boolean; now: Date },
): Promise<void> {
  const personId = (p.row.state as CaseState).roles.socialsekreterare;
  const person = personId ? await findPersonById(tx, personId) : undefined;
  if (!person) {
    deps.logger.warn({ code: 'PROVIDER_REPLY_NO_HANDLAGGARE', caseRef: p.row.caseRef }, 'no handläggare on the case to forward the reply to');
    return;
  }
  const heading = p.task ? `Svar från ${p.provider.name} som behöver läsas av dig` : `Dokument från ${p.provider.name}`;
  const body = [`${heading}, ärende ${p.row.caseRef} (${p.row.clientInitials}).`, '', '--- Utförarens text ---', ownText(p.text).trim() || '(ingen text)'].join('\n');
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  await enqueueMail(
    tx,
    {
      key: `provider-reply-forward:${p.ref}`,
      to: [person.email],
      caseRef: p.row.caseRef,
      subject: `Boendelotsen: ${p.task ? 'svar att läsa' : 'dokument'} från utföraren – ${p.row.caseRef}`,
      text: body,
      html: `<pre style="font-family:inherit;white-space:pre-wrap">${esc(body)}</pre>`,
      ...(p.attachments.length > 0 ? { attachments: p.attachments } : {}),
    },
    { from: deps.from, now: p.now },
  );
}

function audit(tx: Db, action: string, provider: ProviderRow, caseRef: string, detail: Record<string, unknown>, now: Date) {
  return appendAudit(tx, { actor: `leverantor:${provider.id}`, action, caseRef, detail }, now);
}

/** Audit actor for a sender we do not believe: a hash, not the address (DESIGN.md audit convention). */
function senderActor(from: string | null): string {
  return `mail:${from ? createHash('sha256').update(from).digest('hex').slice(0, 16) : 'unknown'}`;
}
