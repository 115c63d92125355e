import { and, desc, eq, gt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/index.ts';
import { cardAction, message, teamsUser, type TeamsUser } from '../support/bot-activities.ts';
import { cardText, chatAs } from '../support/bot-chat.ts';
import { addPeople, startBotHarness, type BotHarness } from '../support/bot-harness.ts';

const REF = 'FF-2026-0777';
const NO_AREA_REF = 'FF-2026-0778';
const UNKNOWN = 'FF-2026-9999';
const anna = teamsUser(31, 'Anna Andersson'); // socialsekreterare on the case
const erik = teamsUser(32, 'Erik Eriksson'); // enhetschef på myndighet on the case
const olle = teamsUser(33, 'Olle Olsson'); // socialsekreterare in the same area, no role on the case
const vera = teamsUser(34, 'Vera Väster'); // verksamhetschef in the case's area
const oskar = teamsUser(35, 'Oskar Öster'); // verksamhetschef in another area
const noCase = (ref: string) => `Hittar inget ärende ${ref} där du har en roll. Kontrollera referensen.`;

describe('nothing about a case reaches someone without a role on it', () => {
  let h: BotHarness;
  let chat: ReturnType<typeof chatAs>;

  beforeAll(async () => {
    h = await startBotHarness({ engine: 'pglite' });
    chat = chatAs(h);
    await addPeople(h, [
      { id: 'p-anna', aadObjectId: anna.aadObjectId, email: 'anna@kommun.se', name: anna.name, roles: ['socialsekreterare'], area: 'Väster' },
      { id: 'p-erik', aadObjectId: erik.aadObjectId, email: 'erik@kommun.se', name: erik.name, roles: ['enhetschef_myndighet'], area: 'Väster' },
      { id: 'p-olle', aadObjectId: olle.aadObjectId, email: 'olle@kommun.se', name: olle.name, roles: ['socialsekreterare'], area: 'Väster' },
      { id: 'p-vera', aadObjectId: vera.aadObjectId, email: 'vera@kommun.se', name: vera.name, roles: ['verksamhetschef'], area: 'Väster' },
      { id: 'p-oskar', aadObjectId: oskar.aadObjectId, email: 'oskar@kommun.se', name: oskar.name, roles: ['verksamhetschef'], area: 'Öster' },
    ]);
    const roles = { socialsekreterare: 'p-anna', enhetschef_myndighet: 'p-erik' };
    const base = { routineId: 'ramavtal-bb', phase: 'infor_kop', clientInitials: 'E.B.', personnummer: '194001019803', legalBasis: 'LSS 9 § 9', roles };
    expect((await h.cases.startCase({ ...base, caseRef: REF, area: 'Väster' }, 'p-anna')).ok).toBe(true);
    expect((await h.cases.startCase({ ...base, caseRef: NO_AREA_REF, area: null }, 'p-anna')).ok).toBe(true);
  });
  afterAll(() => h.stop());

  it.each([
    ['ärende', (ref: string) => `ärende ${ref}`],
    ['inflytt', (ref: string) => `inflytt ${ref} 2026-03-01`],
    ['avsluta', (ref: string) => `avsluta ${ref} 2026-03-01 flyttat`],
    ['påminn mig', (ref: string) => `påminn mig ${ref} 2026-04-01`],
    ['förändrat behov', (ref: string) => `förändrat behov ${ref} sedan 2026-01-01`],
  ])('"%s" answers an existing case without a role exactly as an unknown reference', async (_what, line) => {
    const existing = await chat.say(olle, line(REF));
    const unknown = await chat.say(olle, line(UNKNOWN));
    expect(existing.text).toBe(noCase(REF));
    expect(unknown.text).toBe(noCase(UNKNOWN));
    expect(existing.card).toBeUndefined();
  });

  it.each([
    ['the task card\'s Klart', 'complete_step', { stepKey: 'beslut_kop', f_purchaseDecidedOn: '2026-03-02' }],
    ['the timeline\'s move-in', 'move_in', { date: '2026-03-01' }],
    ['the timeline\'s changed need', 'changed_need', { date: '2026-01-01' }],
    ['the timeline\'s close', 'close_case', { date: '2026-03-01', reason: 'flyttat' }],
    ['the changed-need card', 'report_changed_need', { f_needSince: '2026-01-01' }],
    ['the snooze card', 'snooze_step', { stepKey: 'beslut_kop', confirm: true, snoozeUntil: '2026-04-01' }],
  ])('a forged press on %s tells nothing: the same answer as for an unknown case, and is audited', async (_what, verb, data) => {
    const since = (await h.db.db.select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0]?.id ?? 0;
    const existing = await chat.press(olle, verb, { caseRef: REF, ...data });
    const unknown = await chat.press(olle, verb, { caseRef: UNKNOWN, ...data });
    // Both attempts are in the trail as Olle's, and only as refusals.
    const trail = await h.db.db.select().from(auditLog).where(and(gt(auditLog.id, since), eq(auditLog.actor, 'p-olle')));
    for (const ref of [REF, UNKNOWN]) {
      const actions = trail.filter((e) => e.caseRef === ref).map((e) => e.action);
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.every((a) => a.endsWith('.refused'))).toBe(true);
    }
    const shown = existing.text || cardText(existing.card);
    expect(shown).toContain(noCase(REF));
    expect((unknown.text || cardText(unknown.card)).replaceAll(UNKNOWN, REF)).toBe(shown);
    expect(shown).not.toContain('E.B.');
    expect(shown).not.toContain('Erik');
  });

  it('shows the case to a coordinator of its area and to nobody of another area', async () => {
    expect(cardText((await chat.say(vera, `ärende ${REF}`)).card)).toContain(`${REF} E.B.`);
    expect((await chat.say(oskar, `ärende ${REF}`)).text).toBe(noCase(REF));
  });

  it('shows a case without an area to its role holders only, not to every coordinator', async () => {
    expect(cardText((await chat.say(anna, `ärende ${NO_AREA_REF}`)).card)).toContain(NO_AREA_REF);
    expect((await chat.say(vera, `ärende ${NO_AREA_REF}`)).text).toBe(noCase(NO_AREA_REF));
  });
});

describe('case content only in a personal chat', () => {
  let h: BotHarness;
  let chat: ReturnType<typeof chatAs>;
  const CHANNEL = '19:team-channel@thread.tacv2';
  const GROUP = '19:group-chat@thread.v2';

  beforeAll(async () => {
    h = await startBotHarness({ engine: 'pglite' });
    chat = chatAs(h);
    await addPeople(h, [
      { id: 'p-anna', aadObjectId: anna.aadObjectId, email: 'anna@kommun.se', name: anna.name, roles: ['socialsekreterare'], area: 'Väster' },
      { id: 'p-erik', aadObjectId: erik.aadObjectId, email: 'erik@kommun.se', name: erik.name, roles: ['enhetschef_myndighet'], area: 'Väster' },
    ]);
    const roles = { socialsekreterare: 'p-anna', enhetschef_myndighet: 'p-erik' };
    await h.cases.startCase({ routineId: 'ramavtal-bb', phase: 'infor_kop', caseRef: REF, clientInitials: 'E.B.', personnummer: '194001019803', legalBasis: 'LSS 9 § 9', area: 'Väster', roles }, 'p-anna');
  });
  afterAll(() => h.stop());

  const where = (id: string, conversationType: string) => ({ conversation: { id, conversationType, tenantId: 'tenant-1', isGroup: true } });
  async function sayIn(user: TeamsUser, conversationId: string, conversationType: string, text: string): Promise<string> {
    const before = h.connector.sent.filter((s) => s.conversationId === conversationId).length;
    const res = await h.post(message(user, h.connector.url, text, where(conversationId, conversationType)));
    expect(res.status).toBe(200);
    const all = await h.connector.waitFor(conversationId, before + 1);
    return JSON.stringify(all[all.length - 1]?.activity ?? {});
  }

  it.each([
    ['a channel', CHANNEL, 'channel'],
    ['a group chat', GROUP, 'groupChat'],
  ])('in %s, case commands answer only with a pointer to the personal chat', async (_what, id, type) => {
    for (const line of [`ärende ${REF}`, 'mina uppgifter', `klar ${REF}`, 'ny placering', 'kö']) {
      const reply = await sayIn(anna, id, type, line);
      expect(reply).toContain('din personliga chatt med Boendelotsen');
      expect(reply).not.toContain(REF);
      expect(reply).not.toContain('E.B.');
      expect(reply).not.toContain('attachments');
    }
    expect(await sayIn(anna, id, type, 'hjälp')).toContain('mina uppgifter');
  });

  it.each([
    ['a channel', CHANNEL, 'channel'],
    ['a group chat', GROUP, 'groupChat'],
  ])('in %s, a card button answers only with the pointer and changes nothing', async (_what, id, type) => {
    const activity = { ...cardAction(erik, h.connector.url, 'complete_step', { caseRef: REF, stepKey: 'beslut_kop', f_purchaseDecidedOn: '2026-03-02' }), ...where(id, type) };
    const res = await h.post(activity);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { value: unknown };
    expect(String(body.value)).toContain('din personliga chatt med Boendelotsen');
    const view = await h.cases.viewCase(REF, 'p-erik');
    expect(view.ok && view.view.timeline.find((s) => s.stepId === 'beslut_kop')?.status).toBe('open');
  });

  it('in the personal chat, the same command shows the case', async () => {
    expect(cardText((await chat.say(anna, `ärende ${REF}`)).card)).toContain(`${REF} E.B.`);
  });
});
