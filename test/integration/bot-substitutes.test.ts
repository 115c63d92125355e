import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamsUser } from '../support/bot-activities.ts';
import { cardText, chatAs } from '../support/bot-chat.ts';
import { addPeople, startBotHarness, type BotHarness } from '../support/bot-harness.ts';

const anna = teamsUser(51, 'Anna Andersson'); // socialsekreterare, Väster; her manager is Carl
const bo = teamsUser(52, 'Bo Berg'); // socialsekreterare, Väster
const pia = teamsUser(53, 'Pia Plan'); // planeringsledare, Väster: another role
const oskar = teamsUser(54, 'Oskar Öster'); // socialsekreterare, Öster: another area
const carl = teamsUser(55, 'Carl Chef'); // enhetschef, Anna's and Bo's manager
const olle = teamsUser(56, 'Olle Obehörig'); // socialsekreterare, not anyone's manager

describe('substitutes within bounds', () => {
  let h: BotHarness;
  let chat: ReturnType<typeof chatAs>;

  beforeAll(async () => {
    h = await startBotHarness({ engine: 'pglite' });
    chat = chatAs(h);
    await addPeople(h, [
      { id: 'p-carl', aadObjectId: carl.aadObjectId, email: 'carl@kommun.se', name: carl.name, roles: ['enhetschef_myndighet'], area: 'Väster' },
      { id: 'p-anna', aadObjectId: anna.aadObjectId, email: 'anna@kommun.se', name: anna.name, roles: ['socialsekreterare'], area: 'Väster', managerId: 'p-carl' },
      { id: 'p-bo', aadObjectId: bo.aadObjectId, email: 'bo@kommun.se', name: bo.name, roles: ['socialsekreterare'], area: 'Väster', managerId: 'p-carl' },
      { id: 'p-pia', aadObjectId: pia.aadObjectId, email: 'pia@kommun.se', name: pia.name, roles: ['planeringsledare'], area: 'Väster' },
      { id: 'p-oskar', aadObjectId: oskar.aadObjectId, email: 'oskar@kommun.se', name: oskar.name, roles: ['socialsekreterare'], area: 'Öster' },
      { id: 'p-olle', aadObjectId: olle.aadObjectId, email: 'olle@kommun.se', name: olle.name, roles: ['socialsekreterare'], area: 'Väster' },
    ]);
    // Everyone has opened the chat once, so notices can reach them in Teams.
    for (const u of [anna, bo, carl]) await chat.say(u, 'hjälp');
  });
  afterAll(() => h.stop());

  const nominations = async () => (await h.db.query<{ n: number }>(sql`select count(*)::int as n from substitutes`))[0]?.n;
  const lastText = async (u: typeof anna) => (await chat.delivered(u)).map((s) => s.activity.text ?? '').join('\n');

  it.each([
    ['someone without the absent person\'s role', 'ersättare pia@kommun.se 2026-03-02–2026-03-20', 'har ingen av rollerna'],
    ['someone in another area', 'ersättare oskar@kommun.se 2026-03-02–2026-03-20', 'arbetar inte i Väster'],
    ['a period longer than 12 weeks', 'ersättare bo@kommun.se 2026-03-02–2026-06-01', 'högst 12 veckor'],
  ])('refuses %s and stores nothing', async (_what, line, message) => {
    const before = await nominations();
    expect((await chat.say(anna, line)).text).toContain(message);
    expect(await nominations()).toBe(before);
  });

  it('refuses a nomination for someone else by anyone but their manager', async () => {
    const before = await nominations();
    expect((await chat.say(olle, 'ersättare bo@kommun.se 2026-03-02–2026-03-20 för anna@kommun.se')).text).toContain('själv eller hens chef');
    expect(await nominations()).toBe(before);
  });

  it('lets the absent person name a substitute; the substitute and the manager are told, and it is audited', async () => {
    expect((await chat.say(anna, 'ersättare bo@kommun.se 2026-03-02–2026-03-13')).text).toContain('Bo Berg är din ersättare 2026-03-02–2026-03-13');
    expect(await lastText(bo)).toContain('Du är ersättare för Anna Andersson 2026-03-02–2026-03-13');
    expect(await lastText(carl)).toContain('Bo Berg är ersättare för Anna Andersson 2026-03-02–2026-03-13');
    const [audit] = await h.db.query<{ actor: string; detail: { absentId: string; substituteId: string } }>(sql`select actor, detail from audit_log where action = 'substitute.set' order by id desc limit 1`);
    expect(audit).toMatchObject({ actor: 'p-anna', detail: { absentId: 'p-anna', substituteId: 'p-bo' } });
  });

  it('lets the manager name one for their staff, from the card; the absent person is told', async () => {
    const form = await chat.say(carl, 'ersättare');
    const picker = form.card?.body.find((e) => e.id === 'substitute');
    expect(picker).toMatchObject({ 'choices.data': { type: 'Data.Query', dataset: 'people.substitute' } });
    // Listed before anything is typed: people with Carl's role or his staff's roles in his area
    // (so Anna, for Bo), never Carl himself nor anyone in another area.
    const listed = (picker?.choices as Array<{ value: string }>).map((c) => c.value);
    expect(listed).toEqual(['anna@kommun.se', 'bo@kommun.se', 'olle@kommun.se']);
    const saved = await chat.pressCard(carl, form.card, { substitute: 'anna@kommun.se', from: '2026-04-01', to: '2026-04-10', absent: 'bo@kommun.se' });
    expect(cardText(saved.card)).toContain('Anna Andersson är Bo Bergs ersättare 2026-04-01–2026-04-10');
    expect(await lastText(bo)).toContain('Anna Andersson är din ersättare 2026-04-01–2026-04-10; din chef har namngett ersättaren');
    expect(await lastText(anna)).toContain('Du är ersättare för Bo Berg 2026-04-01–2026-04-10');
  });
});
