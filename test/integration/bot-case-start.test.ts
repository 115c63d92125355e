import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamsUser, type TeamsUser } from '../support/bot-activities.ts';
import { cardText, chatAs } from '../support/bot-chat.ts';
import { addPeople, startBotHarness, type BotHarness } from '../support/bot-harness.ts';

const anna = teamsUser(41, 'Anna Andersson'); // socialsekreterare, Väster
const maja = teamsUser(42, 'Maja Mångområde'); // socialsekreterare in Väster and Öster
const per = teamsUser(43, 'Per Persson'); // planeringsledare, Väster: may not start a ramavtal case
const stranger = teamsUser(49, 'Okänd');

describe('starting a case: who may, in which area, and with whom (people picker)', () => {
  let h: BotHarness;
  let chat: ReturnType<typeof chatAs>;

  beforeAll(async () => {
    h = await startBotHarness({ engine: 'pglite' });
    chat = chatAs(h);
    await addPeople(h, [
      { id: 'p-anna', aadObjectId: anna.aadObjectId, email: 'anna@kommun.se', name: 'Anna Andersson', roles: ['socialsekreterare'], area: 'Väster' },
      { id: 'p-maja', aadObjectId: maja.aadObjectId, email: 'maja@kommun.se', name: 'Maja Mångområde', roles: ['socialsekreterare'], area: 'Väster; Öster' },
      { id: 'p-per', aadObjectId: per.aadObjectId, email: 'per@kommun.se', name: 'Per Persson', roles: ['planeringsledare'], area: 'Väster' },
      { id: 'p-pelle', aadObjectId: null, email: 'pelle@kommun.se', name: 'Pelle Pettersson', roles: ['planeringsledare'], area: 'Öster' },
      { id: 'p-petra', aadObjectId: null, email: 'petra@kommun.se', name: 'Petra Persdotter', roles: ['socialsekreterare'], area: 'Väster' },
      { id: 'p-unit', aadObjectId: null, email: 'ella@utforare.se', name: 'Ella Enhetschef', roles: ['enhetschef_utforare'], area: 'Väster' },
    ]);
  });
  afterAll(() => h.stop());

  const startData = (caseRef: string, extra: Record<string, string>) => ({
    routine: 'ramavtal-bb:infor_kop', caseRef, initials: 'E.B.', personnummer: '19400101-9803', legalBasis: 'LSS 9 § 9', role_socialsekreterare: 'anna@kommun.se', ...extra,
  });
  const areaOf = async (caseRef: string) => (await h.db.query<{ area: string | null }>(sql`select area from cases where case_ref = ${caseRef}`))[0]?.area;

  async function search(user: TeamsUser, dataset: string, queryText: string): Promise<{ status: number; body: { type: string; value: { results: Array<{ title: string; value: string }> } } }> {
    const activity = {
      type: 'invoke', name: 'application/search', id: `search-${queryText}`, channelId: 'msteams', serviceUrl: h.connector.url,
      from: { id: user.id, aadObjectId: user.aadObjectId, name: user.name }, recipient: { id: '28:boendelotsen', name: 'Boendelotsen' },
      conversation: { id: user.conversationId, conversationType: 'personal', tenantId: 'tenant-1' },
      value: { queryText, kind: 'search', dataset, queryOptions: { skip: 0, top: 15 } },
    };
    const res = await h.post(activity);
    return { status: res.status, body: (await res.json()) as never };
  }

  it('the card picks people with a typeahead on the bot\'s directory, filtered to the role in the starter\'s area', async () => {
    const form = await chat.say(anna, 'ny placering');
    const picker = form.card?.body.find((e) => e.id === 'role_planeringsledare');
    expect(picker).toMatchObject({ type: 'Input.ChoiceSet', style: 'filtered', 'choices.data': { type: 'Data.Query', dataset: 'people.planeringsledare.Väster' } });
    expect(picker?.fallback).toMatchObject({ type: 'Input.Text', id: 'role_planeringsledare' });
    // Listed before anything is typed, for clients without the dynamic search (the Agents
    // Playground): the role's people in Anna's area, never those of another area.
    expect(picker?.choices).toEqual([{ title: 'Per Persson (per@kommun.se)', value: 'per@kommun.se' }]);
    const found = await search(anna, 'people.planeringsledare.Väster', 'pe');
    expect(found.status).toBe(200);
    expect(found.body.type).toBe('application/vnd.microsoft.search.searchResponse');
    expect(found.body.value.results).toEqual([{ title: 'Per Persson (per@kommun.se)', value: 'per@kommun.se' }]);
  });

  it('the search never reaches outside the asker\'s areas and answers nobody outside the directory', async () => {
    expect((await search(anna, 'people.planeringsledare.Öster', 'pe')).body.value.results).toEqual([]);
    expect((await search(maja, 'people.planeringsledare', 'pe')).body.value.results.map((r) => r.value)).toEqual(['pelle@kommun.se', 'per@kommun.se']);
    expect((await search(stranger, 'people.planeringsledare.Väster', 'pe')).body.value.results).toEqual([]);
    expect((await search(anna, 'people.planeringsledare.Väster', '%')).body.value.results).toEqual([]);
  });

  it('starts a case in the starter\'s area, with holders picked by e-mail (typed or picked)', async () => {
    const form = await chat.say(anna, 'ny placering');
    const done = await chat.pressCard(anna, form.card, startData('FF-2026-0501', { role_planeringsledare: 'PER@kommun.se' }));
    expect(cardText(done.card)).toContain('FF-2026-0501 är startat');
    expect(await areaOf('FF-2026-0501')).toBe('Väster');
  });

  it.each([
    ['someone without the role in the directory', { role_planeringsledare: 'petra@kommun.se' }, 'Petra Persdotter är inte planeringsledare'],
    ['someone with the role in another area', { role_planeringsledare: 'pelle@kommun.se' }, 'Pelle Pettersson är inte planeringsledare i område Väster'],
    ['a provider\'s unit manager as socialsekreterare', { role_socialsekreterare: 'ella@utforare.se' }, 'Ella Enhetschef är inte socialsekreterare'],
  ])('refuses to name %s, and starts nothing', async (_what, extra, message) => {
    const ref = `FF-2026-05${String(Math.floor(Math.random() * 90) + 10)}`;
    const refused = await chat.press(anna, 'start_case', startData(ref, extra));
    expect(cardText(refused.card)).toContain(message);
    expect(await areaOf(ref)).toBeUndefined();
  });

  it('offers a role only the routines that name it as starter, and refuses a forged start of another', async () => {
    // A planeringsledare may start an internal move (routine 3), never a ramavtal purchase.
    const offered = await chat.say(per, 'ny placering');
    const shown = offered.text + cardText(offered.card);
    expect(shown).toContain('intern-flytt:');
    expect(shown).not.toContain('ramavtal-bb:infor_kop');
    const forged = await chat.press(per, 'start_case', startData('FF-2026-0590', {}));
    expect(forged.text + cardText(forged.card)).toMatch(/ingen roll som startar en rutin|Du kan inte starta/);
    expect(await areaOf('FF-2026-0590')).toBeUndefined();
  });

  it('asks a starter with several areas to choose one, and keeps the chosen one', async () => {
    const form = await chat.say(maja, 'ny placering');
    const areaInput = form.card?.body.find((e) => e.id === 'area') as { choices: Array<{ value: string }> } | undefined;
    expect(areaInput?.choices.map((c) => c.value)).toEqual(['Väster', 'Öster']);
    const unchosen = await chat.press(maja, 'start_case', startData('FF-2026-0601', {}));
    expect(cardText(unchosen.card)).toContain('Välj ett av dina områden');
    const chosen = await chat.pressCard(maja, form.card, startData('FF-2026-0601', { area: 'Öster', role_socialsekreterare: 'maja@kommun.se' }));
    expect(cardText(chosen.card)).toContain('FF-2026-0601 är startat');
    expect(await areaOf('FF-2026-0601')).toBe('Öster');
  });
});
