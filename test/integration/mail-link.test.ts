import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findQuarantinedBb, QUARANTINE_RAW } from '../../db/quarantine.ts';
import { scanDatabase } from '../support/db-scan.ts';
import { createPeopleDirectory, upsertPeople } from '../../db/people.ts';
import { cases, quarantinedBb } from '../../db/schema/index.ts';
import { stockholmDate } from '../../domain/calendar/stockholm.ts';
import type { CaseState } from '../../domain/engine/types.ts';
import type { RoleId } from '../../domain/roles.ts';
import { createPnrCrypto } from '../../lib/pnr-crypto.ts';
import { createBbIntake, findPlaneringsledare } from '../../mail/bb-intake.ts';
import { createDefaultMailHandler } from '../../mail/handler.ts';
import { createCaseService } from '../../services/cases.ts';
import { generateCase, type GeneratedCase } from '../fixtures/bb-generator.ts';
import { installed, teamsUser } from '../support/bot-activities.ts';
import { chatAs } from '../support/bot-chat.ts';
import { startBotHarness, type BotHarness } from '../support/bot-harness.ts';
import { testPnrKey } from '../support/case-fixtures.ts';
import { countMessages, createTestSender, imapSettings, readMessages, sharedMailServices, startMailStack, testLogger, uniqueAddress, waitForCount, type MailStack } from '../support/mailbox.ts';
import { releaseLinkedMails } from '../../mail/quarantine-release.ts';
import { ENGINES } from '../support/test-db.ts';
import { shippedRoutines } from '../support/routines.ts';

const services = sharedMailServices();
type Ok = Extract<GeneratedCase['expected'], { ok: true }>;

/** The first generated uppföljande BB in a plain mail (the project's own fixtures). */
let fixture: Promise<GeneratedCase> | undefined;
function uppfoljandeMail(): Promise<GeneratedCase> {
  fixture ??= (async () => {
    for (let i = 0; i < 400; i++) {
      const c = await generateCase(777, i, { wrapper: 'mail', format: 'txt' });
      const bb = c.expected.ok ? c.expected.bb : undefined;
      if (bb?.kind === 'uppfoljande' && bb.priceCheck === 'ok' && !bb.exception) return c;
    }
    throw new Error('the generator gave no uppföljande BB');
  })();
  return fixture;
}

/** The generated mail with From the planeringsledare, To our mailbox, and Cc one role holder. */
function addressed(raw: Buffer, from: string, to: string, cc: string): Buffer {
  const text = raw.toString('latin1');
  const split = text.search(/\r?\n\r?\n/);
  const head = text.slice(0, split).replace(/^(From|To|Cc):.*(\r?\n[ \t].*)*\r?\n?/gim, '');
  return Buffer.from(`From: ${from}\r\nTo: ${to}\r\nCc: ${cc}\r\n${head.trimEnd()}${text.slice(split)}`, 'latin1');
}

const per = teamsUser(21, 'Per Planeringsledare');
const olle = teamsUser(22, 'Olle Socialsekreterare');

describe.each(ENGINES)('a BB quarantined for an unknown case reference, linked from Teams (%s)', (engine) => {
  let h: BotHarness;
  let chat: ReturnType<typeof chatAs>;
  let stack: MailStack;
  let bb: Ok['bb'];
  let quarantineId = 0;
  let now: Date;
  const sender = createTestSender(services.smtpPort);
  const pnr = createPnrCrypto(testPnrKey());
  const REF = 'FF-2026-4101';
  const OTHER = 'FF-2026-4102';
  const emails = {} as Record<'planeringsledare' | 'socialsekreterare' | 'socialadministrator' | 'link_samordnare' | 'enhetschef_myndighet', string>;

  beforeAll(async () => {
    const generated = await uppfoljandeMail();
    bb = (generated.expected as Ok).bb;
    // Two days after the assessment: a BB dated in the future is refused.
    now = new Date(Date.parse(`${bb.assessedOn}T08:00:00Z`) + 2 * 86_400_000);
    h = await startBotHarness({ engine, now, pnr });
    chat = chatAs(h);
    for (const role of ['planeringsledare', 'socialsekreterare', 'socialadministrator', 'link_samordnare', 'enhetschef_myndighet'] as const) emails[role] = uniqueAddress(role.replace('_', '-'));
    await upsertPeople(h.db.db, [
      { id: 'p-per', aadObjectId: per.aadObjectId, email: emails.planeringsledare, name: per.name, roles: ['planeringsledare'] },
      { id: 'p-olle', aadObjectId: olle.aadObjectId, email: uniqueAddress('olle'), name: olle.name, roles: ['socialsekreterare'] },
      { id: 'p-soc', email: emails.socialsekreterare, name: 'Sara Soc', roles: ['socialsekreterare'] },
      { id: 'p-adm', email: emails.socialadministrator, name: 'Adam Adm', roles: ['socialadministrator'] },
      { id: 'p-link', email: emails.link_samordnare, name: 'Lina Link', roles: ['link_samordnare'] },
      { id: 'p-ec', email: emails.enhetschef_myndighet, name: 'Erik Ec', roles: ['enhetschef_myndighet'] },
    ]);
    for (const u of [per, olle]) expect((await h.post(installed(u, h.connector.url))).status).toBe(200);
    // Our own service so the personnummer hashes of cases and intake share a key.
    const service = createCaseService({ routines: shippedRoutines, db: h.db.db, directory: createPeopleDirectory, pnr, clock: h.clock, logger: testLogger(), mailDomain: 'kommun.test' });
    const roles: Partial<Record<RoleId, string>> = { planeringsledare: 'p-per', socialsekreterare: 'p-soc', socialadministrator: 'p-adm', link_samordnare: 'p-link', enhetschef_myndighet: 'p-ec' };
    // The right case (the BB's person) and another person's case, both waiting for an uppföljande BB.
    for (const [caseRef, personnummer] of [[REF, bb.client.personnummer], [OTHER, '191212121212']] as const) {
      const started = await service.startCase({ routineId: 'ramavtal-bb', phase: 'uppfoljande', caseRef, clientInitials: 'T.T.', personnummer, legalBasis: bb.legalBasis, roles, facts: {} }, 'p-soc');
      expect(started.ok, JSON.stringify(started)).toBe(true);
    }
    const handler = createDefaultMailHandler({ findPlaneringsledare, actOnBehovsbedomning: createBbIntake({ engine: service.engine, pnr, logger: testLogger(), clock: h.clock }) });
    stack = startMailStack({ handle: h.db, services, handler, clock: h.clock });
    await sender.sendRaw({ from: emails.planeringsledare, to: [stack.bot] }, addressed(generated.bytes, emails.planeringsledare, stack.bot, emails.enhetschef_myndighet));
    await waitForCount(services, stack.bot, 'Quarantine', 1);
  });
  afterAll(async () => {
    await stack.stop();
    sender.close();
    await h.stop();
  });

  const bbStep = async (caseRef: string) => {
    const [row] = await h.db.db.select().from(cases).where(eq(cases.caseRef, caseRef));
    return (row?.state as CaseState).steps.bb_uppf;
  };

  it('files the mail in Quarantine, replies to the sender, keeps it and tells the planeringsledare in Teams how to link it', async () => {
    await waitForCount(services, emails.planeringsledare, 'INBOX', 1);
    const [reply] = await readMessages(services, emails.planeringsledare);
    expect(reply?.subject).toBe(`Boendelotsen: mejl om ${bb.caseRef} kunde inte tas emot`);
    expect(reply?.text).toContain('koppla mejlet till rätt ärende i Boendelotsen i Teams');

    const [kept] = await h.db.db.select().from(quarantinedBb);
    expect(kept).toMatchObject({ senderPersonId: 'p-per', namedCaseRef: bb.caseRef, status: 'waiting', pnrHash: pnr.lookupHash(bb.client.personnummer) });
    // Kept sealed under the data key: the bytes at rest hold neither reference nor personnummer.
    expect(kept?.rawKeyId).toBe(pnr.currentKeyId);
    expect(kept?.raw.includes(Buffer.from(bb.caseRef))).toBe(false);
    expect(kept?.raw.includes(Buffer.from(bb.client.personnummer))).toBe(false);
    expect(pnr.openBytes({ keyId: kept!.rawKeyId!, bytes: kept!.raw }, QUARANTINE_RAW).includes(Buffer.from(bb.caseRef))).toBe(true);
    quarantineId = kept!.id;

    const notices = (await chat.delivered(per)).map((s) => s.activity.text ?? '');
    const notice = notices.find((t) => t.includes(`koppla ${quarantineId} REF`));
    expect(notice).toContain(`ärendereferensen ${bb.caseRef}, som inte finns`);
    expect(JSON.stringify(h.connector.sent)).not.toContain(bb.client.personnummer);
    expect(JSON.stringify(h.connector.sent)).not.toContain(bb.client.name);
  });

  it('lists the planeringsledare’s quarantined mails by id, date and the reference they named', async () => {
    const listed = await chat.say(per, 'koppla');
    // The date is the mail's arrival on the server (real time), not the test's clock.
    const arrived = (await findQuarantinedBb(h.db.db, quarantineId))?.receivedAt;
    expect(listed.text).toContain(`**${quarantineId}** – ${stockholmDate(arrived!)} – angav ${bb.caseRef}`);
    expect(listed.text).not.toContain(bb.client.personnummer);
  });

  it('refuses someone who is not planeringsledare', async () => {
    expect((await chat.say(olle, 'koppla')).text).toContain('Bara planeringsledare');
    expect((await chat.say(olle, `koppla ${quarantineId} ${REF}`)).text).toContain('Bara planeringsledare');
    expect((await findQuarantinedBb(h.db.db, quarantineId))?.status).toBe('waiting');
  });

  it('refuses to link the BB to a case with another personnummer and changes nothing', async () => {
    const refused = await chat.say(per, `koppla ${quarantineId} ${OTHER.toLowerCase()}`);
    expect(refused.text).toBe(`Personnumret i behovsbedömningen (mejl ${quarantineId}) stämmer inte med ärendet ${OTHER}. Mejlet har inte kopplats.`);
    expect((await bbStep(OTHER))?.status).toBe('open');
    expect((await findQuarantinedBb(h.db.db, quarantineId))?.status).toBe('waiting');
    const audit = await h.db.query<{ n: number }>(sql`select count(*)::int as n from audit_log where case_ref = ${OTHER} and action = 'bb.linked.refused'`);
    expect(audit[0]?.n).toBe(1);
  });

  it('links it to the right case: the BB step is done and the roles get the BB with price and the copy without', async () => {
    const linked = await chat.say(per, `koppla ${quarantineId} ${REF}`);
    expect(linked.text).toContain(`Mejl ${quarantineId} är kopplat till ${REF}`);
    expect((await bbStep(REF))?.status).toBe('done');
    expect(await findQuarantinedBb(h.db.db, quarantineId)).toMatchObject({ status: 'linked', linkedCaseRef: REF, linkedBy: 'p-per' });

    await waitForCount(services, emails.link_samordnare, 'INBOX', 1);
    await waitForCount(services, emails.socialadministrator, 'INBOX', 1);
    await waitForCount(services, emails.socialsekreterare, 'INBOX', 2);
    const [withPrice] = await readMessages(services, emails.link_samordnare);
    expect(withPrice?.subject).toContain(REF);
    expect(withPrice?.attachments[0]?.filename).toMatch(new RegExp(`^Behovsbedomning-${REF}\\.`));
    expect(JSON.stringify([withPrice?.subject, withPrice?.text])).not.toContain(bb.client.personnummer);
    const copy = (await readMessages(services, emails.socialsekreterare)).find((m) => m.subject?.includes('utan pris'));
    expect(copy?.attachments[0]?.contentType).toBe('application/pdf');
    // The enhetschef was on Cc of the original: not sent it again.
    expect(await readMessages(services, emails.enhetschef_myndighet)).toHaveLength(0);
    const audit = await h.db.query<{ actor: string }>(sql`select actor from audit_log where case_ref = ${REF} and action = 'bb.linked'`);
    expect(audit).toEqual([{ actor: 'p-per' }]);
  });

  it('moves the linked mail out of Quarantine into Processed, once', async () => {
    expect(await countMessages(services, stack.bot, 'Quarantine')).toBe(1);
    const settings = imapSettings(services, stack.bot);
    // The pass main.ts runs periodically next to the listener.
    expect(await releaseLinkedMails({ db: h.db.db, imap: settings, clock: h.clock, logger: testLogger() })).toBe(1);
    expect(await countMessages(services, stack.bot, 'Quarantine')).toBe(0);
    const processed = await readMessages(services, stack.bot, 'Processed');
    const kept = await findQuarantinedBb(h.db.db, quarantineId);
    expect(processed.map((m) => m.messageId)).toContain(kept?.messageId);
    expect(kept?.releasedAt).toBeInstanceOf(Date);
    expect(await releaseLinkedMails({ db: h.db.db, imap: settings, clock: h.clock, logger: testLogger() })).toBe(0);
    expect(await countMessages(services, stack.bot, 'Processed')).toBe(processed.length);
  });

  it('answers a second link with "redan kopplat" and links nothing more', async () => {
    const again = await chat.say(per, `koppla ${quarantineId} ${REF}`);
    expect(again.text).toBe(`Mejl ${quarantineId} är redan kopplat till ärendet ${REF}.`);
    const audit = await h.db.query<{ n: number }>(sql`select count(*)::int as n from audit_log where case_ref = ${REF} and action = 'bb.linked'`);
    expect(audit[0]?.n).toBe(1);
    expect((await chat.say(per, 'koppla')).text).toContain('inga behovsbedömningar i karantän');
  });

  it('leaves no personnummer or client name in clear text in any table but the sealed columns', async () => {
    expect(await scanDatabase(h.db, { personnummer: [bb.client.personnummer, '191212121212'], names: [bb.client.name] })).toEqual([]);
  });
});
