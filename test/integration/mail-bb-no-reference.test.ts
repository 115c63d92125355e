import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLedger } from '../../db/mail-ledger.ts';
import { createPeopleDirectory } from '../../db/people.ts';
import { cases, outbox, people, quarantinedBb } from '../../db/schema/index.ts';
import type { CaseState } from '../../domain/engine/types.ts';
import type { RoleId } from '../../domain/roles.ts';
import { manualClock } from '../../lib/clock.ts';
import { createPnrCrypto } from '../../lib/pnr-crypto.ts';
import { createBbIntake, findPlaneringsledare } from '../../mail/bb-intake.ts';
import { createDefaultMailHandler } from '../../mail/handler.ts';
import { createCaseService } from '../../services/cases.ts';
import { testPnrKey } from '../support/case-fixtures.ts';
import { createTestSender, readMessages, sharedMailServices, startMailStack, testLogger, uniqueAddress, waitFor, type MailStack } from '../support/mailbox.ts';
import { shippedRoutines } from '../support/routines.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const services = sharedMailServices();

/** An uppföljande BB pasted into a mail, as a planeringsledare writes one; `ref` is the reference line, if any. */
function bbText(personnummer: string, ref: string | null): string {
  return [
    'Hej,', '', 'Här kommer behovsbedömningen.', '',
    'Behovsbedömning – ramavtal bostad med särskild service (BmSS)', '',
    'Typ: Uppföljande behovsbedömning',
    ...(ref === null ? [] : [`Ärendereferens: ${ref}`]),
    'Namn: Sara Nyström',
    `Personnummer: ${personnummer}`,
    'Insats: Bostad med särskild service för vuxna enligt LSS 9 § 9',
    'Leverantör: Vardagsstöd Göteborg AB',
    'Enhet: Gruppbostaden Eken',
    'Datum: 2026-11-18',
    'Bedömare: Karin Lund', '',
    'Poäng totalt: 3,05',
    'Boendepris/dygn: 2190 kr',
    'Dygnspris: 6679,50 kr',
    'Undantag: Nej', '',
    'Med vänlig hälsning', 'Karin Lund',
  ].join('\n');
}

describe.each(ENGINES)('a BB without a case reference, matched by personnummer among the sender’s cases (%s)', (engine) => {
  let t: TestDb;
  let stack: MailStack;
  const sender = createTestSender(services.smtpPort);
  const pnr = createPnrCrypto(testPnrKey());
  const clock = manualClock(new Date('2026-11-20T08:00:00Z'));
  const suffix = String(Math.floor(Math.random() * 90_000) + 10_000);
  const ref = (n: number) => `FF-2026-${suffix}${n}`;
  const staff = {
    per: { id: `p-per-${suffix}`, email: uniqueAddress('per'), roles: ['planeringsledare'] },
    pia: { id: `p-pia-${suffix}`, email: uniqueAddress('pia'), roles: ['planeringsledare'] },
    soc: { id: `p-soc-${suffix}`, email: uniqueAddress('soc'), roles: ['socialsekreterare'] },
    adm: { id: `p-adm-${suffix}`, email: uniqueAddress('adm'), roles: ['socialadministrator'] },
    link: { id: `p-link-${suffix}`, email: uniqueAddress('link'), roles: ['link_samordnare'] },
    ec: { id: `p-ec-${suffix}`, email: uniqueAddress('ec'), roles: ['enhetschef_myndighet'] },
  };
  let service: ReturnType<typeof createCaseService>;

  beforeAll(async () => {
    t = await openTestDb(engine);
    await t.db.insert(people).values(Object.values(staff).map((p) => ({ id: p.id, email: p.email, name: `Test ${p.id}`, roles: p.roles })));
    service = createCaseService({ routines: shippedRoutines, db: t.db, directory: createPeopleDirectory, pnr, clock, logger: testLogger(), mailDomain: 'kommun.test' });
    const handler = createDefaultMailHandler({ findPlaneringsledare, actOnBehovsbedomning: createBbIntake({ engine: service.engine, pnr, logger: testLogger(), clock }) });
    stack = startMailStack({ handle: t, services, handler, clock });
  });
  afterAll(async () => {
    await stack.stop();
    sender.close();
    await t.close();
  });

  /** A case waiting for an uppföljande BB, with `planeringsledare` in that role. */
  async function uppfoljande(caseRef: string, personnummer: string, planeringsledare: string) {
    const roles: Partial<Record<RoleId, string>> = { planeringsledare, socialsekreterare: staff.soc.id, socialadministrator: staff.adm.id, link_samordnare: staff.link.id, enhetschef_myndighet: staff.ec.id };
    const started = await service.startCase({ routineId: 'ramavtal-bb', phase: 'uppfoljande', caseRef, clientInitials: 'S.N.', personnummer, legalBasis: 'LSS 9 § 9', roles, facts: {} }, staff.soc.id);
    expect(started.ok, JSON.stringify(started)).toBe(true);
  }
  const bbStep = async (caseRef: string) => ((await t.db.select().from(cases).where(eq(cases.caseRef, caseRef)))[0]?.state as CaseState).steps.bb_uppf?.status;

  async function deliver(from: string, text: string) {
    const messageId = await sender.send({ from, to: stack.bot, subject: 'Behovsbedömning', text });
    const ledger = async () => (await listLedger(t.db, { mailbox: `${stack.bot}/INBOX` })).find((r) => r.messageId === messageId);
    await waitFor('mejlet behandlat', async () => (await ledger()) !== undefined, 20_000);
    return (await ledger())!;
  }

  it('completes the BB step of the one case of the sender that has the personnummer and waits for a BB', async () => {
    const mine = ref(1);
    await uppfoljande(mine, '198501175569', staff.per.id);
    // The same person on another planeringsledare's case: not the sender's, so not a candidate.
    await uppfoljande(ref(2), '198501175569', staff.pia.id);
    const entry = await deliver(staff.per.email, bbText('19850117-5569', null));
    expect(entry).toMatchObject({ outcome: 'processed', reason: 'bb_uppfoljande', caseRef: mine });
    expect(await bbStep(mine)).toBe('done');
    expect(await bbStep(ref(2))).toBe('open');
  });

  it('keeps a BB whose personnummer is on none of the sender’s waiting cases, and tells the sender in Teams and by mail', async () => {
    // A placeholder reference ("–") is no reference.
    const entry = await deliver(staff.pia.email, bbText('19121212-1212', '–'));
    expect(entry).toMatchObject({ outcome: 'quarantined', reason: 'no_case_reference', caseRef: null });
    const [kept] = await t.db.select().from(quarantinedBb).where(eq(quarantinedBb.senderPersonId, staff.pia.id));
    expect(kept).toMatchObject({ namedCaseRef: '', status: 'waiting', pnrHash: pnr.lookupHash('191212121212') });
    const notices = await t.db.select().from(outbox).where(and(eq(outbox.recipient, staff.pia.id), eq(outbox.channel, 'teams')));
    const message = notices.find((n) => n.dedupeKey === `teams:quarantined-bb:${kept!.id}`)?.payload as { message: string } | undefined;
    expect(message?.message).toContain(`mejl ${kept!.id}) angav ingen ärendereferens`);
    expect(message?.message).toContain(`koppla ${kept!.id} REF`);
    await waitFor('svaret till avsändaren', async () => (await readMessages(services, staff.pia.email)).length > 0, 20_000);
    const [reply] = await readMessages(services, staff.pia.email);
    expect(reply?.text).toContain('anger ingen ärendereferens');
    expect(JSON.stringify([message, reply?.subject, reply?.text])).not.toMatch(/19121212|Nyström/);
  });

  it('keeps a BB whose personnummer is on several of the sender’s waiting cases, naming them, and completes neither', async () => {
    const [a, b] = [ref(3), ref(4)];
    await uppfoljande(a, '196203152381', staff.per.id);
    await uppfoljande(b, '196203152381', staff.per.id);
    const entry = await deliver(staff.per.email, bbText('19620315-2381', null));
    expect(entry).toMatchObject({ outcome: 'quarantined', reason: 'no_case_reference' });
    expect([await bbStep(a), await bbStep(b)]).toEqual(['open', 'open']);
    const notices = await t.db.select().from(outbox).where(and(eq(outbox.recipient, staff.per.id), eq(outbox.channel, 'teams')));
    expect(notices.map((n) => (n.payload as { message: string }).message)).toEqual(expect.arrayContaining([expect.stringContaining(`flera av dina öppna ärenden som väntar på en behovsbedömning: ${a}, ${b}`)]));
  });
});
