import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLedger } from '../../db/mail-ledger.ts';
import { findOpenProviderOrder, listOpenInboxTasks, openProviderOrder, PROVIDER_REPLY_BODY } from '../../db/providers.ts';
import { auditLog, cases, outbox, people } from '../../db/schema/index.ts';
import { addMonths } from '../../domain/calendar/local-date.ts';
import { stockholmDate } from '../../domain/calendar/stockholm.ts';
import { adjustDate } from '../../domain/calendar/working-days.ts';
import type { CaseState } from '../../domain/engine/types.ts';
import { manualClock } from '../../lib/clock.ts';
import { createCaseService } from '../../services/cases.ts';
import { createProviderTokens } from '../../services/provider-tokens.ts';
import { createProviderService } from '../../services/providers.ts';
import { fireDueTimers } from '../../services/timer-sweep.ts';
import { createTestSender, readMessages, sharedMailServices, testLogger, uniqueAddress, waitFor, waitForCount, type MailStack } from '../support/mailbox.ts';
import type { Signing } from '../support/dkim.ts';
import { startProviderStack } from '../support/provider-stack.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const services = sharedMailServices();

describe.each(ENGINES)('LOV boendestöd with providers answering by mail (%s)', (engine) => {
  let db: TestDb;
  let stack: MailStack;
  const sender = createTestSender(services.smtpPort);
  const clock = manualClock(new Date('2026-11-23T08:00:00Z'));
  const tokenKey = randomBytes(32);
  const tokens = createProviderTokens(tokenKey, { clock });
  const logger = testLogger();
  const suffix = randomBytes(3).toString('hex');
  const domainA = `omsorg-a-${suffix}.test`;
  const domainB = `stod-b-${suffix}.test`;
  const mailboxA = `order@${domainA}`;
  const mailboxB = `order@${domainB}`;
  const hl = { id: `p-hl-${suffix}`, email: uniqueAddress('handlaggare') };
  const bot = uniqueAddress('boendelotsen');
  let caseService: ReturnType<typeof createCaseService>;
  let providers: ReturnType<typeof createProviderService>;

  beforeAll(async () => {
    db = await openTestDb(engine);
    await db.db.insert(people).values({ id: hl.id, email: hl.email, name: 'Hanna Handläggare', roles: ['socialsekreterare'] });
    ({ caseService, stack } = await startProviderStack({
      handle: db,
      services,
      bot,
      clock,
      tokens,
      register: ['id;namn;tjänster;e-post;tar emot nya', `omsorg-a;Omsorg A AB;LOV boendestöd;${mailboxA};ja`, `stod-b;Stöd B AB;boendestod_lov;${mailboxB};ja`],
    }));
    providers = createProviderService({ db: db.db, engine: caseService.engine, tokens, clock, mailFrom: bot });
  });
  afterAll(async () => {
    await stack.stop();
    sender.close();
    await db.close();
  });

  /** The token we would give the provider now for the case's open order (its order number, today's days). */
  const tokenOf = async (caseRef: string, providerId: string) => tokens.tokenFor({ caseRef, providerId, orderId: (await findOpenProviderOrder(db.db, caseRef))?.id ?? 0 });
  const stateOf = async (caseRef: string) => (await db.db.select().from(cases).where(eq(cases.caseRef, caseRef)))[0]?.state as CaseState;
  const ledger = async (messageId: string) => (await listLedger(db.db, { mailbox: `${bot}/INBOX` })).filter((r) => r.messageId === messageId);
  async function reply(from: string, subject: string, text: string, attachments?: { filename: string; content: Buffer }[], signing?: Signing) {
    const id = await sender.send({ from, to: bot, subject, text, ...(attachments ? { attachments } : {}), ...(signing ? { signing } : {}) });
    await waitFor('svaret behandlat', async () => (await ledger(id)).length > 0, 20_000);
    return (await ledger(id))[0];
  }

  /** A LOV case from socialpsykiatri whose two months to choose ran out: the ickeval step is open. */
  async function caseInIckeval(): Promise<string> {
    const caseRef = `FF-2026-${String(Math.floor(Math.random() * 9000) + 1000)}-${randomBytes(2).toString('hex')}`;
    const started = await caseService.startCase(
      { routineId: 'boendestod-lov', phase: 'nytt_arende', caseRef, clientInitials: 'E.B.', personnummer: '196203152381', legalBasis: 'SoL', unit: 'Socialpsykiatri Väster', roles: { socialsekreterare: hl.id } },
      hl.id,
    );
    expect(started.ok).toBe(true);
    const beslut = await caseService.completeStep({ caseRef, stepKey: 'beslut', personId: hl.id, data: { decisionDate: '2026-09-20' } });
    expect(beslut.ok).toBe(true);
    await fireDueTimers({ db: db.db, engine: caseService.engine, clock, logger });
    return caseRef;
  }

  it('carries a case from decision through ickeval, order, confirmation, start, plan and follow-up', async () => {
    const caseRef = await caseInIckeval();
    let state = await stateOf(caseRef);
    // Transfer at 65: only the 65th birthday enters the case, never the personnummer.
    expect(state.facts.turns65On).toBe('2027-03-15');
    expect(JSON.stringify(state)).not.toContain('196203152381');
    expect(Object.values(state.steps).find((s) => s.stepId === 'ickeval')?.status).toBe('open');

    const proposal = await providers.proposeIckeval(caseRef, hl.id);
    if (!proposal.ok) throw new Error(proposal.message);
    const confirmed = await providers.confirmIckeval(caseRef, hl.id);
    expect(confirmed).toMatchObject({ ok: true, provider: { id: proposal.provider.id } });
    const mailbox = proposal.provider.mailbox;
    const domain = mailbox.split('@')[1] ?? '';

    const ordered = await caseService.completeStep({ caseRef, stepKey: 'bestallning', personId: hl.id, data: { orderSentOn: '2026-11-23' } });
    expect(ordered.ok).toBe(true);
    await waitForCount(services, mailbox, 'INBOX', 2);
    const received = await readMessages(services, mailbox);
    const preNotice = received.find((m) => m.subject?.startsWith('Beställning på väg'));
    const order = received.find((m) => m.subject?.startsWith('Beställning boendestöd'));
    expect(preNotice?.subject).toMatch(/^Beställning på väg – FF-.* \[BL-.+-[0-9a-f]{10}\]$/);
    expect(order?.text).toContain('E.B.');
    expect(order?.text).toContain('senast 24 november 2026');
    for (const m of [preNotice, order]) expect(`${m?.subject ?? ''}${m?.text ?? ''}`).not.toMatch(/19620315|2383/);

    const subject = `SV: ${order?.subject ?? ''}`;
    const confirmation = await reply(`anna@${domain}`, subject, 'Hej!\nVi bekräftar att beställningen mottagits. Start 3 december.\n\nFrån: Boendelotsen\nBeställning …');
    expect(confirmation).toMatchObject({ outcome: 'processed', reason: 'provider_reply', caseRef });
    const stepsAfterConfirmation = JSON.stringify((await stateOf(caseRef)).steps);
    // The same confirmation again, after the steps are done: it changes nothing and is filed away.
    const late = await reply(`anna@${domain}`, subject, 'Vi bekräftar att beställningen mottagits. Start 3 december.');
    expect(late).toMatchObject({ outcome: 'quarantined', reason: 'provider_reply_not_expected', caseRef });
    expect(JSON.stringify((await stateOf(caseRef)).steps)).toBe(stepsAfterConfirmation);
    state = await stateOf(caseRef);
    // Confirmed on the day the mail server received the reply.
    expect(state.steps.bekraftelse).toMatchObject({ status: 'done', data: { date: stockholmDate(confirmation?.receivedAt ?? new Date()) } });
    expect(state.steps.insats_paborjad).toMatchObject({ status: 'done', data: { date: '2026-12-03' } });
    expect(state.facts.startedOn).toBe('2026-12-03');
    const teams = await db.db.select().from(outbox).where(eq(outbox.recipient, hl.id));
    expect(teams.map((r) => (r.payload as { message: string }).message)).toEqual(expect.arrayContaining([expect.stringContaining('har bekräftat att beställningen mottagits')]));

    const plan = await reply(`anna@${domain}`, subject, 'Här kommer genomförandeplanen.', [{ filename: 'Genomforandeplan.pdf', content: Buffer.from('%PDF-1.4 plan') }]);
    expect(plan).toMatchObject({ outcome: 'processed', caseRef });
    state = await stateOf(caseRef);
    const gpReceivedOn = stockholmDate(plan?.receivedAt ?? new Date());
    expect(state.steps.genomforandeplan).toMatchObject({ status: 'done', data: { date: gpReceivedOn } });
    // "Handläggaren bekräftar att genomförandeplanen mottagits via mail."
    await waitForCount(services, mailbox, 'INBOX', 3);
    expect((await readMessages(services, mailbox)).map((m) => m.subject)).toEqual(expect.arrayContaining([expect.stringMatching(/^Genomförandeplan mottagen – .*\[BL-/)]));
    await waitForCount(services, hl.email, 'INBOX', 1);
    const [forwarded] = await readMessages(services, hl.email);
    expect(forwarded?.attachments.map((a) => a.filename)).toEqual(['Genomforandeplan.pdf']);
    const uppfoljning = Object.values(state.steps).find((s) => s.stepId === 'uppfoljning');
    // Follow-up within 3 months of the plan (moved to a working day).
    expect(uppfoljning).toMatchObject({ status: 'open', due: adjustDate(addMonths(gpReceivedOn, 3), 'deadline') });

    const followUp = await caseService.completeStep({ caseRef, stepKey: uppfoljning?.key ?? '', personId: hl.id, data: { followUpOn: stockholmDate(clock.now()) } });
    expect(followUp).toMatchObject({ ok: true });
  });

  it('quarantines a reply with the right token that its domain did not sign, changing nothing', async () => {
    const caseRef = await caseInIckeval();
    await providers.proposeIckeval(caseRef, hl.id);
    const c = await providers.confirmIckeval(caseRef, hl.id);
    if (!c.ok) throw new Error(c.message);
    expect((await caseService.completeStep({ caseRef, stepKey: 'bestallning', personId: hl.id, data: { orderSentOn: '2026-11-23' } })).ok).toBe(true);
    const subject = `SV: Beställning ${await tokenOf(caseRef, c.provider.id)}`;
    const text = 'Vi bekräftar att beställningen mottagits. Start 3 december.';
    for (const signing of ['unsigned', 'wrong-key', { domain: 'angripare.test' }] as const) {
      const r = await reply(`anna@${c.provider.mailDomain}`, subject, text, undefined, signing);
      expect(r, JSON.stringify(signing)).toMatchObject({ outcome: 'quarantined', reason: 'unauthenticated' });
    }
    expect((await stateOf(caseRef)).steps.bekraftelse?.status).not.toBe('done');
  });

  it('quarantines a reply from a wrong domain, with a made-up token, or with another provider’s token, changing nothing', async () => {
    const caseRef = await caseInIckeval();
    const chosen = await providers.registerChoice(caseRef, 'Omsorg A AB', hl.id).catch(() => undefined);
    // The ickeval step made the person's own choice moot; the proposal path gives the case a provider.
    if (!chosen?.ok) {
      await providers.proposeIckeval(caseRef, hl.id);
      await providers.confirmIckeval(caseRef, hl.id);
    }
    await caseService.completeStep({ caseRef, stepKey: 'bestallning', personId: hl.id, data: { orderSentOn: '2026-11-23' } });
    const [row] = await db.db.select().from(cases).where(eq(cases.caseRef, caseRef));
    const ownerId = row?.provider ?? '';
    const otherId = ownerId === 'omsorg-a' ? 'stod-b' : 'omsorg-a';
    const ownerDomain = ownerId === 'omsorg-a' ? domainA : domainB;
    const otherDomain = ownerId === 'omsorg-a' ? domainB : domainA;
    const genuine = await tokenOf(caseRef, ownerId);
    const text = 'Vi bekräftar beställningen.';
    const forged = [
      await reply(`x@elak-${suffix}.test`, `SV: Beställning ${genuine}`, text),
      await reply(`x@${ownerDomain}`, `SV: Beställning ${genuine.replace(/[0-9a-f]{10}\]$/, '0123456789]')}`, text),
      await reply(`x@${otherDomain}`, `SV: Beställning ${genuine}`, text),
      await reply(`x@${otherDomain}`, `SV: Beställning ${await tokenOf(caseRef, otherId)}`, text),
    ];
    for (const r of forged) expect(r).toMatchObject({ outcome: 'quarantined', reason: 'provider_not_verified', caseRef: null });
    expect((await stateOf(caseRef)).steps.bekraftelse?.status).toBe('open');
    const audits = await db.db.select().from(auditLog).where(eq(auditLog.action, 'provider_reply.rejected'));
    expect(audits.map((a) => (a.detail as { reason: string }).reason)).toEqual(
      expect.arrayContaining(['unknown_sender_domain', 'token_forged', 'token_other_provider', 'not_case_provider']),
    );
  });

  it('quarantines a genuine reply whose token has run out or belongs to an ended order, naming the case and changing nothing', async () => {
    const caseRef = await caseInIckeval();
    await providers.proposeIckeval(caseRef, hl.id);
    const c = await providers.confirmIckeval(caseRef, hl.id);
    if (!c.ok) throw new Error(c.message);
    expect((await caseService.completeStep({ caseRef, stepKey: 'bestallning', personId: hl.id, data: { orderSentOn: '2026-11-23' } })).ok).toBe(true);
    const from = `anna@${c.provider.mailDomain}`;
    const text = 'Vi bekräftar att beställningen mottagits. Start 3 december.';
    const firstOrder = await findOpenProviderOrder(db.db, caseRef);
    expect(firstOrder).toMatchObject({ caseRef, providerId: c.provider.id });

    // Issued (with the same key) on a mail sent a year and a half ago: its 365 days are over.
    const old = createProviderTokens(tokenKey, { clock: manualClock(new Date('2025-05-20T08:00:00Z')) });
    const expired = await reply(from, `SV: Beställning ${old.tokenFor({ caseRef, providerId: c.provider.id, orderId: firstOrder!.id })}`, text);
    expect(expired).toMatchObject({ outcome: 'quarantined', reason: 'provider_token_expired', caseRef });

    // The case went to the other provider and came back: the first order's token is spent.
    const spentToken = await tokenOf(caseRef, c.provider.id);
    const otherId = c.provider.id === 'omsorg-a' ? 'stod-b' : 'omsorg-a';
    await openProviderOrder(db.db, { caseRef, providerId: otherId, now: clock.now() });
    const secondOrder = await openProviderOrder(db.db, { caseRef, providerId: c.provider.id, now: clock.now() });
    expect(secondOrder.id).not.toBe(firstOrder!.id);
    const ended = await reply(from, `SV: Beställning ${spentToken}`, text);
    expect(ended).toMatchObject({ outcome: 'quarantined', reason: 'provider_token_other_order', caseRef });
    expect((await stateOf(caseRef)).steps.bekraftelse?.status).toBe('open');
    const audits = (await db.db.select().from(auditLog).where(eq(auditLog.caseRef, caseRef))).filter((a) => a.action === 'provider_reply.rejected');
    expect(audits.map((a) => (a.detail as { reason: string }).reason).sort()).toEqual(['token_expired', 'token_other_order']);

    // The provider gets no reply (outside our domains): the handläggare is told, twice, in Teams.
    const told = (await db.db.select().from(outbox).where(eq(outbox.recipient, hl.id))).map((r) => (r.payload as { message: string }).message).filter((m) => m.startsWith(`${caseRef}: `));
    expect(told.filter((m) => m.includes('slutat gälla'))).toHaveLength(1);
    expect(told.filter((m) => m.includes('tidigare beställning'))).toHaveLength(1);

    // The token of the order now open is believed.
    const current = await reply(from, `SV: Beställning ${await tokenOf(caseRef, c.provider.id)}`, text);
    expect(current).toMatchObject({ outcome: 'processed', reason: 'provider_reply', caseRef });
    expect((await stateOf(caseRef)).steps.bekraftelse?.status).toBe('done');
  });

  it('makes a reply it cannot read a task for the handläggare, with the text mailed to them', async () => {
    const caseRef = await caseInIckeval();
    await providers.proposeIckeval(caseRef, hl.id);
    const c = await providers.confirmIckeval(caseRef, hl.id);
    if (!c.ok) throw new Error(c.message);
    const before = (await readMessages(services, hl.email)).length;
    const r = await reply(`eva@${c.provider.mailDomain}`, `SV: Beställning ${await tokenOf(caseRef, c.provider.id)}`, 'Kan du ringa mig om kunden? Hon vill byta tid.');
    expect(r).toMatchObject({ outcome: 'processed', reason: 'provider_reply_task', caseRef });
    const [task] = await listOpenInboxTasks(db.db, { caseRef });
    expect(task).toMatchObject({ assigneeId: hl.id, providerId: c.provider.id });
    // Kept sealed: the text is the handläggare's to read in the mail, not in clear in the database.
    expect(task?.body).not.toContain('byta tid');
    expect(caseService.engine.pnr.openText(task!.body, PROVIDER_REPLY_BODY)).toContain('byta tid');
    await waitForCount(services, hl.email, 'INBOX', before + 1);
    const mails = await readMessages(services, hl.email);
    expect(mails.some((m) => m.subject?.includes(caseRef) && m.text?.includes('byta tid'))).toBe(true);
    expect((await providers.inboxTasks(hl.id)).map((t) => t.id)).toContain(task?.id);
    expect(await providers.closeTask(task?.id ?? 0, hl.id)).toMatchObject({ ok: true });
  });
});
