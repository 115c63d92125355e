import { eq } from 'drizzle-orm';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLedger } from '../../db/mail-ledger.ts';
import { createPeopleDirectory } from '../../db/people.ts';
import { cases, people } from '../../db/schema/index.ts';
import type { CaseState } from '../../domain/engine/types.ts';
import type { RoleId } from '../../domain/roles.ts';
import { createBbIntake, findPlaneringsledare } from '../../mail/bb-intake.ts';
import { createDefaultMailHandler } from '../../mail/handler.ts';
import { systemClock } from '../../lib/clock.ts';
import { createPnrCrypto } from '../../lib/pnr-crypto.ts';
import { scanDatabase } from '../support/db-scan.ts';
import { createCaseService } from '../../services/cases.ts';
import { generateCases, type GeneratedCase } from '../fixtures/bb-generator.ts';
import { testPnrKey } from '../support/case-fixtures.ts';
import { createTestSender, readMessages, sharedMailServices, startMailStack, testLogger, uniqueAddress, waitForCount } from '../support/mailbox.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';
import { shippedRoutines } from '../support/routines.ts';

const services = sharedMailServices();
type Ok = Extract<GeneratedCase['expected'], { ok: true }>;
const okBb = (c: GeneratedCase) => (c.expected as Ok).bb;

/** Generated BB mails (the project's own fixtures), picked for the shapes each test needs. */
async function pickCases() {
  const all = (await generateCases(4242, 400)).filter((c) => c.wrapper !== 'bare' && c.expected.ok);
  const find = (what: string, p: (c: GeneratedCase) => boolean) => {
    const hit = all.find(p);
    if (!hit) throw new Error(`the generator gave no ${what}`);
    all.splice(all.indexOf(hit), 1);
    return hit;
  };
  return {
    inforKop: find('plain inför köp', (c) => okBb(c).kind === 'infor_kop' && okBb(c).priceCheck === 'ok' && !okBb(c).exception && c.wrapper === 'mail'),
    uppfoljande: find('uppföljande', (c) => okBb(c).kind === 'uppfoljande' && okBb(c).priceCheck === 'ok' && !okBb(c).exception),
    child: find('child placement', (c) => okBb(c).legalBasis === 'LSS 9 § 8' && okBb(c).kind === 'infor_kop' && !okBb(c).exception && okBb(c).priceCheck === 'ok'),
    mismatch: find('price mismatch', (c) => okBb(c).priceCheck === 'mismatch' && okBb(c).kind === 'infor_kop' && !okBb(c).exception),
    exception: find('exception', (c) => okBb(c).exception !== null && okBb(c).kind === 'infor_kop'),
    extraAttachment: find('second attachment', (c) => c.wrapper === 'mail-extra-attachment' && okBb(c).kind === 'infor_kop'),
  };
}

/** The generated mail with our test mailbox as To, the planeringsledare as From and one role holder on Cc. */
function addressed(raw: Buffer, from: string, to: string, cc: string): Buffer {
  const text = raw.toString('latin1');
  const split = text.search(/\r?\n\r?\n/);
  const head = text.slice(0, split).replace(/^(From|To|Cc):.*(\r?\n[ \t].*)*\r?\n?/gim, '');
  return Buffer.from(`From: ${from}\r\nTo: ${to}\r\nCc: ${cc}\r\n${head.trimEnd()}${text.slice(split)}`, 'latin1');
}

describe.each(ENGINES)('behovsbedömning mails acted on (%s)', (engine) => {
  let t: TestDb;
  let picked: Awaited<ReturnType<typeof pickCases>>;
  const sender = createTestSender(services.smtpPort);
  const pnr = createPnrCrypto(testPnrKey());
  const service = () => createCaseService({ routines: shippedRoutines, db: t.db, directory: createPeopleDirectory, pnr, clock: systemClock, logger: testLogger(), mailDomain: 'kommun.test' });

  beforeAll(async () => {
    t = await openTestDb(engine);
    picked = await pickCases();
  });
  afterAll(async () => {
    sender.close();
    await t.close();
  });

  /** Staff with fresh mailboxes, holding every role on a new case of the BB's reference. */
  async function caseFor(c: GeneratedCase) {
    const bb = okBb(c);
    const roles: Partial<Record<RoleId, string>> = {};
    const emails: Partial<Record<RoleId, string>> = {};
    for (const role of ['socialsekreterare', 'planeringsledare', 'socialadministrator', 'link_samordnare', 'enhetschef_myndighet'] as const) {
      const email = uniqueAddress(role.replace('_', '-'));
      const id = `p-${email}`;
      await t.db.insert(people).values({ id, email, name: `Test ${role}`, roles: [role], area: null, managerId: null });
      roles[role] = id;
      emails[role] = email;
    }
    const s = service();
    const facts = bb.kind === 'forandrade_behov' ? { reportedBy: 'socialsekreterare', needAroseOn: '2026-01-02', changeRequestedOn: '2026-05-01', needDocumented: true } : {};
    const started = await s.startCase({ routineId: 'ramavtal-bb', phase: bb.kind, caseRef: bb.caseRef, clientInitials: 'T.T.', personnummer: bb.client.personnummer, legalBasis: bb.legalBasis, roles, facts }, roles.socialsekreterare!);
    expect(started.ok, JSON.stringify(started)).toBe(true);
    if (bb.kind === 'infor_kop') {
      for (const [role, stepId, data] of [['enhetschef_myndighet', 'beslut_kop', { purchaseDecidedOn: '2026-01-05' }], ['socialsekreterare', 'kontaktuppgifter', { interviewSource: 'korttidsboende' }]] as const) {
        const task = (await s.listTasks(roles[role]!)).find((x) => x.stepId === stepId && x.caseRef === bb.caseRef);
        const r = await s.completeStep({ caseRef: bb.caseRef, stepKey: task!.stepKey, personId: roles[role]!, data });
        expect(r.ok, JSON.stringify(r)).toBe(true);
      }
    }
    return { emails: emails as Record<'socialsekreterare' | 'planeringsledare' | 'socialadministrator' | 'link_samordnare' | 'enhetschef_myndighet', string>, s };
  }

  async function deliverAndWait(c: GeneratedCase, emails: Record<string, string>) {
    const stack = startMailStack({ handle: t, services, handler: createDefaultMailHandler({ findPlaneringsledare, actOnBehovsbedomning: createBbIntake({ engine: service().engine, pnr, logger: testLogger() }) }) });
    try {
      const raw = addressed(c.bytes, emails.planeringsledare!, stack.bot, emails.enhetschef_myndighet!);
      await sender.sendRaw({ from: emails.planeringsledare!, to: [stack.bot] }, raw);
      await waitForCount(services, stack.bot, 'Processed', 1);
      // LINK, socialadministratör and socialsekreterare (twice: with price, and the Treserva copy).
      await waitForCount(services, emails.link_samordnare!, 'INBOX', 1);
      await waitForCount(services, emails.socialadministrator!, 'INBOX', 1);
      await waitForCount(services, emails.socialsekreterare!, 'INBOX', 2);
      return await listLedger(t.db, { mailbox: `${stack.bot}/INBOX` });
    } finally {
      await stack.stop();
    }
  }

  async function stateOf(caseRef: string): Promise<CaseState> {
    const [row] = await t.db.select().from(cases).where(eq(cases.caseRef, caseRef));
    return row!.state as CaseState;
  }

  it('completes the inför köp BB step, distributes it with the price as received and the copy without price', async () => {
    const c = picked.inforKop;
    const bb = okBb(c);
    const { emails, s } = await caseFor(c);
    const ledger = await deliverAndWait(c, emails);
    expect(ledger[0]).toMatchObject({ outcome: 'processed', caseRef: bb.caseRef });

    const state = await stateOf(bb.caseRef);
    expect(state.steps.bb?.status).toBe('done');
    // Completed by the planeringsledare as a person (the timeline shows a name), not an address.
    expect(state.steps.bb?.completedBy?.personId).toBe(state.roles.planeringsledare);
    expect(state.facts.priceCheck).toBe('ok');
    expect((await s.listTasks(Object.values(state.roles).find((id) => id === state.roles.socialadministrator)!)).map((x) => x.stepId)).toContain('kontrollrakning');

    const [withPrice] = await readMessages(services, emails.link_samordnare);
    expect(withPrice?.subject).toBe(`Behovsbedömning inför köp ${bb.caseRef}`);
    // The roles sent the very same BB get one mail addressed to them all (the enhetschef, on Cc
    // of the original, is left out); the socialsekreterare's copy without price is its own mail.
    const addressees = [withPrice?.to].flat().flatMap((a) => a?.value.map((v) => v.address ?? '') ?? []);
    expect(addressees.sort()).toEqual([emails.link_samordnare, emails.socialadministrator, emails.socialsekreterare].sort());
    expect((await readMessages(services, emails.socialadministrator)).map((m) => m.messageId)).toEqual([withPrice?.messageId]);
    expect(withPrice?.attachments).toHaveLength(1);
    expect(withPrice?.attachments[0]?.filename).toMatch(new RegExp(`^Behovsbedomning-${bb.caseRef}\\.`));
    expect(withPrice?.text).toContain('T.T.');
    const everything = JSON.stringify([withPrice?.subject, withPrice?.text, withPrice?.html]);
    expect(everything).not.toContain(bb.client.personnummer);
    expect(everything).not.toContain(bb.client.name);

    const socsek = await readMessages(services, emails.socialsekreterare);
    const copy = socsek.find((m) => m.subject?.includes('utan pris'));
    expect(copy?.attachments[0]?.contentType).toBe('application/pdf');
    const { text } = await extractText(new Uint8Array(copy!.attachments[0]!.content), { mergePages: true });
    expect(text).toContain('KOPIA UTAN PRISUPPGIFTER');
    expect(text).not.toMatch(/dygnspris|boendepris|barntillägg|\bkr\b/i);
    // The enhetschef was on Cc of the original: not sent it again.
    expect(await readMessages(services, emails.enhetschef_myndighet)).toHaveLength(0);
  });

  it('handles an uppföljande BB and a child placement the same way', async () => {
    for (const c of [picked.uppfoljande, picked.child]) {
      const bb = okBb(c);
      const { emails } = await caseFor(c);
      const ledger = await deliverAndWait(c, emails);
      expect(ledger[0]).toMatchObject({ outcome: 'processed', reason: `bb_${bb.kind}` });
      const state = await stateOf(bb.caseRef);
      expect(Object.values(state.steps).find((x) => x.stepId.startsWith('bb'))?.status).toBe('done');
      expect(state.facts.dailyPrice).toBe(bb.dailyPrice);
    }
  });

  it('opens the control calculation with both figures when the stated price is wrong', async () => {
    const c = picked.mismatch;
    const bb = okBb(c);
    const { emails } = await caseFor(c);
    await deliverAndWait(c, emails);
    const state = await stateOf(bb.caseRef);
    expect(state.facts.priceCheck).toBe('mismatch');
    const teams = await t.query<{ payload: { message: string; stepKey: string | null } }>(
      (await import('../../db/client.ts')).sql`select payload from outbox where case_ref = ${bb.caseRef} and channel = 'teams'`,
    );
    const note = teams.find((r) => r.payload.stepKey === 'kontrollrakning')?.payload.message ?? '';
    const sv = (n: number) => n.toLocaleString('sv-SE', { maximumFractionDigits: 2 });
    expect(note).toContain('stämmer inte');
    expect(note).toMatch(new RegExp(`${sv(bb.statedDailyPrice!).replace(/\s/g, '\\s')}|${bb.statedDailyPrice}`));
  });

  it('routes the contract to the LINK-samordnare when the BB is an exception from the price model', async () => {
    const c = picked.exception;
    const bb = okBb(c);
    const { emails } = await caseFor(c);
    await deliverAndWait(c, emails);
    const state = await stateOf(bb.caseRef);
    expect(state.facts.exception).toBe(true);
    const negotiation = Object.values(state.steps).find((x) => x.stepId === 'forhandling');
    expect(negotiation?.role).toBe('link_samordnare');
  });

  it('finds the BB in a mail that also carries an unrelated attachment', async () => {
    const c = picked.extraAttachment;
    const { emails } = await caseFor(c);
    const ledger = await deliverAndWait(c, emails);
    expect(ledger[0]).toMatchObject({ outcome: 'processed' });
    const [withPrice] = await readMessages(services, emails.link_samordnare);
    expect(withPrice?.attachments).toHaveLength(1);
  });

  it('leaves no personnummer or client name in clear text in any table but the sealed columns', async () => {
    const clients = Object.values(picked).map((c) => okBb(c).client);
    expect(await scanDatabase(t, { personnummer: clients.map((c) => c.personnummer), names: clients.map((c) => c.name) })).toEqual([]);
  });
});
