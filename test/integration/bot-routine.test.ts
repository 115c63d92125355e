import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPeople } from '../../db/people.ts';
import type { BbSummary } from '../../domain/engine/types.ts';
import type { RoutineDefinition } from '../../domain/routines/types.ts';
import { shippedRoutines } from '../support/routines.ts';

const ramavtalBb = shippedRoutines.find('ramavtal-bb') as RoutineDefinition;
import { installed, teamsUser, type TeamsUser } from '../support/bot-activities.ts';
import { cardOf, cardText, chatAs } from '../support/bot-chat.ts';
import { startBotHarness, type BotHarness } from '../support/bot-harness.ts';
import { ENGINES } from '../support/test-db.ts';
import { scanDatabase } from '../support/db-scan.ts';

const anna = teamsUser(11, 'Anna Andersson'); // socialsekreterare
const per = teamsUser(12, 'Per Persson'); // planeringsledare
const sara = teamsUser(13, 'Sara Svensson'); // socialadministratör
const erik = teamsUser(14, 'Erik Eriksson'); // enhetschef på myndighet
const REF = 'FF-2026-0142';
const TODAY = '2026-03-02';
const BB: BbSummary = { kind: 'infor_kop', assessedOn: TODAY, dailyPrice: 4966.5, statedDailyPrice: 4966.5, priceCheck: 'ok', exception: null };

/** Inför köp step by step: who gets the card and what they fill in before pressing Klart. */
const BY_CARD: Array<{ step: string; user: TeamsUser; inputs?: Record<string, string> }> = [
  { step: 'beslut_kop', user: erik, inputs: { f_purchaseDecidedOn: TODAY } },
  { step: 'kontaktuppgifter', user: anna, inputs: { f_interviewSource: 'korttidsboende' } },
  // bb: the mailbox completes it (below).
  { step: 'treserva', user: anna },
  { step: 'kontrollrakning', user: sara, inputs: { f_controlledDailyPrice: '4 966,50' } },
  { step: 'pris_till_leverantor', user: sara },
  { step: 'inflyttningsdatum', user: anna, inputs: { f_moveInDate: '2026-03-16' } },
  { step: 'avtal', user: sara },
  { step: 'signering', user: erik, inputs: { f_signedOn: TODAY } },
  { step: 'skicka_avtal', user: sara, inputs: { f_contractSentOn: TODAY } },
  { step: 'avtal_retur', user: sara, inputs: { f_contractReturnedOn: TODAY } },
];

describe.each(ENGINES)('a full ramavtal routine driven through Teams cards (%s)', (engine) => {
  let h: BotHarness;
  let chat: ReturnType<typeof chatAs>;

  beforeAll(async () => {
    h = await startBotHarness({ engine });
    chat = chatAs(h);
    await upsertPeople(h.db.db, [
      { id: 'p-anna', aadObjectId: anna.aadObjectId, email: 'anna@kommun.se', name: anna.name, roles: ['socialsekreterare'], area: 'Väster' },
      { id: 'p-per', aadObjectId: per.aadObjectId, email: 'per@kommun.se', name: per.name, roles: ['planeringsledare'], area: 'Väster' },
      { id: 'p-sara', aadObjectId: sara.aadObjectId, email: 'sara@kommun.se', name: sara.name, roles: ['socialadministrator'], area: 'Väster' },
      { id: 'p-erik', aadObjectId: erik.aadObjectId, email: 'erik@kommun.se', name: erik.name, roles: ['enhetschef_myndighet'], area: 'Väster' },
    ]);
    for (const u of [anna, per, sara, erik]) expect((await h.post(installed(u, h.connector.url))).status).toBe(200);
  });
  afterAll(() => h.stop());

  it('starts inför köp from the ny placering card and completes every step from the cards Teams delivered, the BB by mail', async () => {
    const form = await chat.say(anna, 'ny placering');
    const started = await chat.pressCard(anna, form.card, {
      routine: 'ramavtal-bb:infor_kop', caseRef: REF, initials: 'E.B.', personnummer: '198501011236', legalBasis: 'LSS 9 § 9',
      role_socialsekreterare: 'anna@kommun.se', role_planeringsledare: 'per@kommun.se', role_socialadministrator: 'sara@kommun.se', role_enhetschef_myndighet: 'erik@kommun.se',
    });
    expect(cardText(started.card)).toContain(`${REF} är startat`);

    for (const { step, user, inputs } of BY_CARD) {
      if (step === 'treserva') {
        // The BB mail: the mailbox applies it through the same engine, and the routine moves on.
        const bbCard = (await chat.delivered(per)).map(cardOf).find((c) => cardText(c).includes('Boka och genomför behovsbedömning inför köp'));
        expect(bbCard?.actions?.map((a) => a.verb) ?? []).not.toContain('complete_step');
        const bb = await h.cases.engine.apply(REF, () => Promise.resolve({ type: 'document', kind: 'behovsbedomning', bb: BB }), { actor: 'mail', action: 'bb.received' });
        expect(bb).toMatchObject({ ok: true });
      }
      const card = await chat.taskCardFor(user, REF, step);
      expect(cardText(card)).toContain(`${REF} E.B.`);
      const done = await chat.pressCard(user, card, inputs, 'complete_step');
      expect(cardText(done.card), `${step}: ${cardText(done.card)}`).toContain(`Klart – markerat av ${user.name}`);
    }

    // Nothing is left open, for anyone.
    for (const u of [anna, per, sara, erik]) expect((await chat.say(u, 'mina uppgifter')).text).toBe('Du har inga öppna uppgifter just nu.');
  });

  it('shows the whole inför köp chain as done on the timeline', async () => {
    const timeline = await chat.say(anna, `ärende ${REF}`);
    const lines = (timeline.card?.body ?? []).map((e) => (typeof e.text === 'string' ? e.text : '')).filter((t) => /^(✅|⏳|⚠️|➖|✖️) /u.test(t));
    const inforKop = ramavtalBb.steps.filter((s) => s.phases.includes('infor_kop'));
    expect(lines).toHaveLength(inforKop.length);
    for (const line of lines) expect(line).toMatch(/^(✅|➖) /u);
    // Without an exception LINK's negotiation is not needed; everything else is done, by whom.
    expect(lines.filter((l) => l.startsWith('➖'))).toEqual([expect.stringContaining('Förhandla med leverantören')]);
    expect(lines).toContainEqual(`✅ Skriv under placeringsavtalet – Erik Eriksson ${TODAY}`);
    expect(lines).toContainEqual(expect.stringMatching(/^✅ Boka och genomför behovsbedömning inför köp/));
  });

  it('keeps every completion, the BB and the views in the audit trail', async () => {
    const rows = await h.db.query<{ actor: string; action: string; detail: { stepKey?: string } }>(sql`select actor, action, detail from audit_log where case_ref = ${REF} order by id`);
    expect(rows[0]).toMatchObject({ actor: 'p-anna', action: 'case.start' });
    const completions = rows.filter((r) => r.action === 'step.complete').map((r) => `${r.actor} ${r.detail.stepKey ?? ''}`);
    const ids = { [anna.name]: 'p-anna', [sara.name]: 'p-sara', [erik.name]: 'p-erik' };
    expect(completions).toEqual(BY_CARD.map((s) => `${ids[s.user.name] ?? ''} ${s.step}`));
    expect(rows.filter((r) => r.action === 'bb.received')).toHaveLength(1);
    // Two views: the started card's "who acts next", and the timeline asked for.
    expect(rows.filter((r) => r.action === 'case.view').map((r) => r.actor)).toEqual(['p-anna', 'p-anna']);
    const facts = await h.db.query<{ state: { facts: Record<string, unknown> } }>(sql`select state from cases where case_ref = ${REF}`);
    expect(facts[0]?.state.facts).toMatchObject({ moveInDate: '2026-03-16', contractFrom: '2026-03-16', contractUntil: '2026-06-16', controlledDailyPrice: 4966.5 });
  });

  it('leaves no personnummer in clear text in any table but the sealed columns', async () => {
    expect(await scanDatabase(h.db, { personnummer: ['198501011236'] })).toEqual([]);
  });
});
