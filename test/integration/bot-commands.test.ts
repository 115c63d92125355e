import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../db/audit.ts';
import { upsertPeople } from '../../db/people.ts';
import type { BbSummary } from '../../domain/engine/types.ts';
import { botAdded, installed, teamsUser } from '../support/bot-activities.ts';
import { cardOf, cardsOf, cardText, chatAs, inputValue } from '../support/bot-chat.ts';
import { startBotHarness, type BotHarness } from '../support/bot-harness.ts';
import { ENGINES } from '../support/test-db.ts';

const anna = teamsUser(1, 'Anna Andersson'); // socialsekreterare
const per = teamsUser(2, 'Per Persson'); // planeringsledare
const erik = teamsUser(3, 'Erik Eriksson'); // enhetschef på myndighet
const olle = teamsUser(4, 'Olle Olsson'); // enhetschef, Erik's substitute, no role on the case
const stranger = teamsUser(9, 'Okänd');
const REF = 'FF-2026-0001';
const BEGIN = 'Besluta om köp av ramavtalsplats';
const BB: BbSummary = { kind: 'infor_kop', assessedOn: '2026-03-02', dailyPrice: 4966.5, statedDailyPrice: 4966.5, priceCheck: 'ok', exception: null };

describe.each(ENGINES)('the Teams bot over HTTP on the real case services (%s)', (engine) => {
  let h: BotHarness;
  let chat: ReturnType<typeof chatAs>;

  beforeAll(async () => {
    h = await startBotHarness({ engine });
    chat = chatAs(h);
    await upsertPeople(h.db.db, [
      { id: 'p-anna', aadObjectId: anna.aadObjectId, email: 'anna@kommun.se', name: 'Anna Andersson', roles: ['socialsekreterare'], area: 'Väster' },
      { id: 'p-per', aadObjectId: per.aadObjectId, email: 'per@kommun.se', name: 'Per Persson', roles: ['planeringsledare'], area: 'Väster' },
      { id: 'p-erik', aadObjectId: erik.aadObjectId, email: 'erik@kommun.se', name: 'Erik Eriksson', roles: ['enhetschef_myndighet'], area: 'Väster' },
      { id: 'p-olle', aadObjectId: olle.aadObjectId, email: 'olle@kommun.se', name: 'Olle Olsson', roles: ['enhetschef_myndighet'], area: 'Väster' },
      // Never talks to the bot: reached by mail.
      { id: 'p-sara', aadObjectId: null, email: 'sara@kommun.se', name: 'Sara Svensson', roles: ['socialadministrator'], area: 'Väster' },
    ]);
  });
  afterAll(() => h.stop());

  const stepRow = async (stepId: string) =>
    (await h.db.query<{ status: string; completed_by: string | null }>(sql`select s.status, s.completed_by from case_steps s join cases c on c.id = s.case_id where c.case_ref = ${REF} and s.step_id = ${stepId}`))[0];

  it('stores where to reach a person when the app is installed or the bot is added', async () => {
    for (const u of [anna, erik, olle]) expect((await h.post(installed(u, h.connector.url))).status).toBe(200);
    expect((await h.post(botAdded(per, h.connector.url))).status).toBe(200);
    const rows = await h.db.query<{ person_id: string }>(sql`select person_id from conversation_refs order by person_id`);
    expect(rows.map((r) => r.person_id)).toEqual(['p-anna', 'p-erik', 'p-olle', 'p-per']);
  });

  it('answers hjälp with the command table, and an unknown command with a short help', async () => {
    const help = await chat.say(anna, 'Hjälp');
    for (const usage of ['mina uppgifter', 'ärende REF', 'ny placering', 'inflytt REF DATUM', 'förändrat behov REF sedan DATUM', 'avsluta REF DATUM ORSAK', 'klar REF', 'ersättare']) expect(help.text).toContain(usage);
    const unknown = await chat.say(anna, 'hur blir vädret i morgon');
    expect(unknown.text).toMatch(/känner jag inte igen.*hjälp/s);
  });

  it('tells someone outside the directory what to do instead of staying silent', async () => {
    expect((await chat.say(stranger, 'mina uppgifter')).text).toContain('personalkatalog');
  });

  it('refuses a personnummer with a wrong check digit on the ny placering card, so no case can miss its BB', async () => {
    const refused = await chat.press(anna, 'start_case', {
      routine: 'ramavtal-bb:infor_kop', caseRef: 'FF-2026-0999', initials: 'E.B.', personnummer: '19850101-1234', legalBasis: 'LSS 9 § 9', role_socialsekreterare: 'anna@kommun.se',
    });
    expect(cardText(refused.card)).toContain('kontrollsiffran är fel');
    expect(await h.db.query(sql`select 1 from cases where case_ref = 'FF-2026-0999'`)).toHaveLength(0);
  });

  it('starts a ramavtal case from the ny placering card and sends the first step to its holder as a card', async () => {
    const form = await chat.say(anna, 'ny placering tack');
    expect(cardText(form.card)).toContain('Personnummer');
    const started = await chat.press(anna, 'start_case', {
      routine: 'ramavtal-bb:infor_kop', caseRef: REF.toLowerCase(), initials: 'E.B.', personnummer: '19850101-1236', legalBasis: 'LSS 9 § 9',
      role_socialsekreterare: 'anna@kommun.se', role_planeringsledare: 'PER@kommun.se', role_socialadministrator: 'sara@kommun.se', role_enhetschef_myndighet: 'erik@kommun.se',
    });
    expect(cardText(started.card)).toContain(`${REF} är startat`);
    // Who acts next: the first step and its holder.
    expect(cardText(started.card)).toContain(`Nästa steg`);
    expect(cardText(started.card)).toContain(`${BEGIN} – **Erik Eriksson** (enhetschef på myndighet)`);
    const card = await chat.taskCardFor(erik, REF, 'beslut_kop');
    expect(cardText(card)).toContain(BEGIN);
    expect(cardText(card)).toContain(`${REF} E.B.`);
    expect(JSON.stringify(h.connector.sent)).not.toContain('19850101');
    expect(card.body).toContainEqual(expect.objectContaining({ type: 'Input.Date', id: 'f_purchaseDecidedOn', isRequired: true }));
    expect(card.actions?.[0]).toMatchObject({ type: 'Action.Execute', title: 'Klart', verb: 'complete_step' });
  });

  it('lists my tasks with their deadline, forgiving a typo, and offers each task’s Klart directly', async () => {
    const before = chat.conversation(erik).length;
    await chat.say(erik, 'visa mina uppgifer');
    const replies = chat.conversation(erik).slice(before);
    expect(replies[0]?.activity.text).toContain(`**${REF} E.B.** – ${BEGIN} – ingen tidsgräns`);
    const klart = replies.flatMap(cardsOf).find((c) => c.actions?.some((a) => a.title === 'Klart' && a.data.caseRef === REF && a.data.stepKey === 'beslut_kop'));
    expect(cardText(klart)).toContain(BEGIN);
  });

  it('shows the timeline to a role on the case and refuses everyone else', async () => {
    const own = await chat.say(anna, `Ärende ${REF}`);
    expect(cardText(own.card)).toContain(`⏳ ${BEGIN} – Erik Eriksson`);
    const other = await chat.say(olle, `ärende ${REF}`);
    expect(other.text).toBe(`Hittar inget ärende ${REF} där du har en roll. Kontrollera referensen.`);
  });

  it('answers a case that does not exist exactly as one where the reader has no role, for ärende and klar', async () => {
    const same = (text: string, ref: string) => text.replace(ref, 'REF');
    const noRole = await chat.say(olle, `ärende ${REF}`);
    const missing = await chat.say(olle, 'ärende FF-2026-0404');
    expect(same(missing.text, 'FF-2026-0404')).toBe(same(noRole.text, REF));
    const klarNoRole = await chat.say(olle, `klar ${REF}`);
    const klarMissing = await chat.say(olle, 'klar FF-2026-0404');
    expect(same(klarMissing.text, 'FF-2026-0404')).toBe(same(klarNoRole.text, REF));
    expect(klarNoRole.text).toBe(same(noRole.text, REF).replace('REF', REF));
  });

  it('refuses a step to someone without its role and says who can', async () => {
    const refused = await chat.press(per, 'complete_step', { caseRef: REF, stepKey: 'beslut_kop', f_purchaseDecidedOn: '2026-03-02' });
    expect(cardText(refused.card)).toContain(`”${BEGIN}” görs av enhetschef på myndighet på ärendet`);
    expect(cardText(refused.card)).toContain(`Rollen har Erik Eriksson på ${REF}`);
    expect(refused.card?.actions?.[0]).toMatchObject({ verb: 'complete_step' });
    expect(await stepRow('beslut_kop')).toMatchObject({ status: 'open' });
  });

  it('sends tasks to a substitute during the absence; the substitute completes once however often they click, and the holder is told', async () => {
    const set = await chat.say(erik, 'ersättare olle@kommun.se 2026-03-01–2026-03-31');
    expect(set.text).toContain('Olle Olsson är din ersättare 2026-03-01–2026-03-31');
    expect((await chat.say(olle, 'mina uppgifter')).text).toMatch(new RegExp(`${BEGIN}.*som ersättare`));

    const missing = await chat.press(olle, 'complete_step', { caseRef: REF, stepKey: 'beslut_kop' });
    expect(cardText(missing.card)).toContain('Uppgifter saknas: Beslutsdatum');
    // The double click: two Action.Execute for the same card at once.
    const clicks = await Promise.all([1, 2].map(() => chat.press(olle, 'complete_step', { caseRef: REF, stepKey: 'beslut_kop', f_purchaseDecidedOn: '2026-03-02' })));
    const texts = clicks.map((c) => cardText(c.card)).sort();
    expect(texts[0]).toContain('Klart – markerat av Olle Olsson');
    expect(texts[1]).toContain(`Redan klart: ”${BEGIN}” på ${REF} markerades klart av Olle Olsson 2026-03-02`);
    for (const c of clicks) expect(c.card?.actions).toBeUndefined();
    expect(await stepRow('beslut_kop')).toMatchObject({ status: 'done', completed_by: 'p-olle' });
    const completions = await h.db.query<{ n: number }>(sql`select count(*)::int as n from audit_log where case_ref = ${REF} and action = 'step.complete'`);
    expect(completions[0]?.n).toBe(1);

    const toErik = (await chat.delivered(erik)).map((s) => s.activity.text ?? '');
    expect(toErik.some((t) => t.includes(`Olle Olsson markerade "${BEGIN}" i ${REF} som klart under din frånvaro`))).toBe(true);
  });

  it('asks for the step data when klar is typed, and completes a step without data from chat', async () => {
    const wrong = await chat.say(anna, `klar ${REF} fel-steg`);
    expect(wrong.text).toContain('”fel-steg” känner jag inte igen');
    expect(wrong.text).toContain('**kontaktuppgifter**');
    const asked = await chat.say(anna, `klar ${REF}`);
    expect(cardText(asked.card)).toContain('Ordna kontaktuppgifter');
    const done = await chat.pressCard(anna, asked.card, { f_interviewSource: 'korttidsboende' });
    expect(cardText(done.card)).toContain('Klart – markerat av Anna Andersson');
    // The BB is done by mail (the mailbox applies a document event through the same engine).
    // Its card has no button to press: the mail completes it.
    const bbCard = (await chat.delivered(per)).filter((s) => s.activity.summary === `${REF}: Boka och genomför behovsbedömning inför köp; skicka den med prisuppgift`).map(cardOf)[0];
    expect(cardText(bbCard)).toContain('kommer in med e-post');
    expect(bbCard?.actions?.map((a) => a.verb) ?? []).not.toContain('complete_step');
    const bb = await h.cases.engine.apply(REF, () => Promise.resolve({ type: 'document', kind: 'behovsbedomning', bb: BB }), { actor: 'mail', action: 'bb.received' });
    expect(bb).toMatchObject({ ok: true });

    const which = await chat.say(anna, `klar ${REF}`);
    expect(which.text).toContain(`Du har flera öppna steg i ${REF}`);
    expect(which.text).toContain('**treserva**');
    const treserva = await chat.say(anna, `klar ${REF} treserva`);
    expect(treserva.text).toContain(`✅ Klart: Lägg in bifogad behovsbedömning utan prisuppgifter i Treserva (${REF})`);
  });

  it('flags a late task with its deadline', async () => {
    h.clock.set(new Date('2026-03-10T09:00:00+01:00'));
    // pris_till_leverantor is due the next working day after the BB: Sara's, and late now.
    const tasks = await h.cases.listTasks('p-sara');
    expect(tasks[0]).toMatchObject({ stepId: 'pris_till_leverantor', late: true, due: '2026-03-03' });
    const timeline = await chat.say(anna, `ärende ${REF}`);
    expect(cardText(timeline.card)).toMatch(/⚠️ Meddela leverantören priset[^"]*senast 2026-03-03 \(försenad\)/);
  });

  it('reaches a person who never talked to the bot by mail, and the task still exists', async () => {
    await h.deliverOutbox();
    const mail = await h.db.query<{ payload: { to: string[]; subject: string; text: string } }>(sql`select payload from outbox where channel = 'mail' and recipient = 'sara@kommun.se'`);
    const task = mail.find((m) => m.payload.text.includes('Kontrollräkna'));
    expect(task?.payload.to).toEqual(['sara@kommun.se']);
    expect(task?.payload.subject).toBe(`Boendelotsen: ny uppgift i ${REF}`);
    expect(JSON.stringify(mail)).not.toContain('19850101');
    const teams = await h.db.query<{ status: string }>(sql`select status from outbox where channel = 'teams' and recipient = 'p-sara'`);
    expect(teams.length).toBeGreaterThan(0);
    expect(new Set(teams.map((t) => t.status))).toEqual(new Set(['sent']));
    expect((await h.cases.listTasks('p-sara')).map((t) => t.stepId)).toContain('kontrollrakning');
  });

  it('reports move-in from chat with a Swedish date, once', async () => {
    expect((await chat.say(anna, `inflytt ${REF} 1 april 2026`)).text).toContain(`✅ Inflytt 2026-04-01 registrerad i ${REF}`);
    expect((await chat.say(anna, `inflytt ${REF}`)).text).toContain('inget datum');
    expect((await chat.say(anna, `inflytt ${REF} 2026-04-01`)).text).toContain('väntar inte på något inflyttningsdatum');
    expect(await stepRow('inflyttningsdatum')).toMatchObject({ status: 'done', completed_by: 'p-anna' });
  });

  it('asks for what a changed need requires, and refuses one that has lasted under 3 months', async () => {
    const form = await chat.say(anna, `förändrat behov ${REF} sedan 2026-02-01`);
    expect(inputValue(form.card, 'f_needAroseOn')).toBe('2026-02-01');
    expect(inputValue(form.card, 'f_changeRequestedOn')).toBe('2026-03-10');
    expect(form.card?.body.map((e) => e.id)).toEqual(expect.arrayContaining(['f_reportedBy', 'f_needDocumented']));
    const inputs = { f_needAroseOn: '2026-02-01', f_changeRequestedOn: '2026-03-10', f_reportedBy: 'leverantor', f_needDocumented: 'true' };
    const refused = await chat.pressCard(anna, form.card, inputs);
    expect(cardText(refused.card)).toContain('ska ha funnits i minst 3 månader');
    expect(refused.card?.actions?.[0]).toMatchObject({ verb: 'report_changed_need' });

    // The timeline card's button opens the same card with its date carried over.
    const fromTimeline = await chat.press(anna, 'changed_need', { caseRef: REF, date: '1/12 2025' });
    expect(inputValue(fromTimeline.card, 'f_needAroseOn')).toBe('2025-12-01');
    const undocumented = await chat.pressCard(anna, fromTimeline.card, { ...inputs, f_needAroseOn: '2025-12-01', f_needDocumented: 'false' });
    expect(cardText(undocumented.card)).toContain('måste vara dokumenterat');

    const ok = await chat.pressCard(anna, fromTimeline.card, { ...inputs, f_needAroseOn: '2025-12-01' });
    expect(cardText(ok.card)).toContain(`✅ Förändrat behov registrerat för ${REF}`);
    expect(cardText(ok.card)).toContain('Meddela leverantören att begäran om ny behovsbedömning inkommit');
    const facts = await h.db.query<{ state: { facts: Record<string, unknown> } }>(sql`select state from cases where case_ref = ${REF}`);
    expect(facts[0]?.state.facts).toMatchObject({ needAroseOn: '2025-12-01', changeRequestedOn: '2026-03-10', reportedBy: 'leverantor', needDocumented: true });
  });

  it('closes the case from chat with date and reason, and the routine’s roles are told', async () => {
    expect((await chat.say(anna, `avsluta ${REF} 2026-06-30`)).text).toContain('orsak');
    // Steps are open: the line asks first, on a card naming what will be cancelled; nothing closes yet.
    const ask = await chat.say(anna, `avsluta ${REF} 30 juni 2026 flyttat till annan kommun`);
    expect(cardText(ask.card)).toContain(`Avsluta ${REF} E.B.?`);
    expect(cardText(ask.card)).toMatch(/öppna steg avbryts|öppna steget avbryts/);
    expect(cardText(ask.card)).toContain('flyttat till annan kommun');
    expect(cardText((await chat.say(anna, `ärende ${REF}`)).card)).not.toContain('avslutat');
    const closed = await chat.pressCard(anna, ask.card);
    expect(cardText(closed.card)).toContain(`✅ Ärendet ${REF} är avslutat`);
    expect(cardText((await chat.say(anna, `ärende ${REF}`)).card)).toContain('avslutat');
    const toPer = (await chat.delivered(per)).map((s) => s.activity.text ?? '');
    expect(toPer.some((t) => t.includes(`${REF}: Ramavtal BmSS: behovsbedömning avslutas 2026-06-30`))).toBe(true);
    expect((await chat.say(anna, 'mina uppgifter')).text).toBe('Du har inga öppna uppgifter just nu.');
  });

  it('answers a case that does not exist with what to do', async () => {
    expect((await chat.say(anna, 'ärende XX-1')).text).toContain('Kontrollera referensen');
    expect((await chat.say(anna, 'förändrat behov XX-1 sedan 2025-12-01')).text).toContain('Kontrollera referensen');
  });

  it('keeps every view and every action of the conversation in the audit trail', async () => {
    const rows = await h.db.query<{ actor: string; action: string; case_ref: string | null; detail: Record<string, unknown> }>(sql`select actor, action, case_ref, detail from audit_log order by id`);
    const onCase = rows.filter((r) => r.case_ref === REF).map((r) => `${r.actor} ${r.action}`);
    expect(onCase).toEqual(
      expect.arrayContaining([
        'p-anna case.start',
        'p-anna case.view',
        'p-olle case.view.refused',
        'p-per step.complete.refused',
        'p-olle step.complete',
        'p-anna step.complete',
        'mail bb.received',
        'p-anna case.move_in',
        'p-anna case.changed_need.refused',
        'p-anna case.changed_need',
        'p-anna case.close',
        'p-anna tasks.list',
      ]),
    );
    // Task lists name the cases they showed, so "who saw REF" has an answer.
    const lists = rows.filter((r) => r.action === 'tasks.list' && r.case_ref === null);
    expect(lists.filter((r) => JSON.stringify(r.detail).includes(REF)).map((r) => r.actor)).toEqual(expect.arrayContaining(['p-erik', 'p-olle']));
    expect(rows.some((r) => r.actor === 'p-erik' && r.action === 'substitute.set')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('19850101');
    expect(await verifyAuditChain(h.db.db)).toMatchObject({ ok: true });
  });

  it('sends no message that names the client or carries the personnummer', () => {
    const all = JSON.stringify(h.connector.sent.map((s) => s.activity));
    expect(all).not.toContain('19850101');
    expect(all).not.toContain('198501011236');
  });
});
