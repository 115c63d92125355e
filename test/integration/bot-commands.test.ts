import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPeople } from '../../db/people.ts';
import { botAdded, cardAction, installed, message, teamsUser, type TeamsUser } from '../support/bot-activities.ts';
import { startBotHarness, type BotHarness } from '../support/bot-harness.ts';
import { ENGINES } from '../support/test-db.ts';

const anna = teamsUser(1, 'Anna Andersson'); // socialsekreterare
const per = teamsUser(2, 'Per Persson'); // planeringsledare
const olle = teamsUser(4, 'Olle Olsson'); // planeringsledare, Per's substitute
const stranger = teamsUser(9, 'Okänd');
const REF = 'FF-2026-0001';

type Card = { body: Array<Record<string, unknown>>; actions?: Array<Record<string, unknown>> };
const cardText = (card: Card | undefined) => JSON.stringify(card?.body ?? []);

describe.each(ENGINES)('the Teams bot over HTTP (%s)', (engine) => {
  let h: BotHarness;

  beforeAll(async () => {
    h = await startBotHarness({ engine });
    await upsertPeople(h.db.db, [
      { id: 'p-anna', aadObjectId: anna.aadObjectId, email: 'anna@kommun.se', name: 'Anna Andersson', roles: ['socialsekreterare'] },
      { id: 'p-per', aadObjectId: per.aadObjectId, email: 'per@kommun.se', name: 'Per Persson', roles: ['planeringsledare'] },
      { id: 'p-sara', aadObjectId: null, // never talks to the bot
        email: 'sara@kommun.se', name: 'Sara Svensson', roles: ['socialadministrator'] },
      { id: 'p-olle', aadObjectId: olle.aadObjectId, email: 'olle@kommun.se', name: 'Olle Olsson', roles: ['planeringsledare'] },
    ]);
  });
  afterAll(() => h.stop());

  /** Posts a message and returns the bot's reply (posted back to the fake connector). */
  async function say(user: TeamsUser, text: string): Promise<{ text: string; card: Card | undefined }> {
    const before = h.connector.sent.filter((s) => s.conversationId === user.conversationId).length;
    const res = await h.post(message(user, h.connector.url, text));
    expect(res.status).toBe(200);
    const all = await h.connector.waitFor(user.conversationId, before + 1);
    const reply = all[all.length - 1]?.activity;
    return { text: reply?.text ?? '', card: reply?.attachments?.[0]?.content as Card | undefined };
  }

  /** Presses a card button; the invoke response carries the card that replaces it. */
  async function press(user: TeamsUser, verb: string, data: Record<string, unknown>): Promise<{ card: Card | undefined; text: string }> {
    const res = await h.post(cardAction(user, h.connector.url, verb, data));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { type: string; value: unknown };
    return typeof body.value === 'string' ? { card: undefined, text: body.value } : { card: body.value as Card, text: '' };
  }

  async function delivered(user: TeamsUser) {
    await h.deliverOutbox();
    return h.connector.sent.filter((s) => s.conversationId === user.conversationId);
  }

  it('stores where to reach a person when the app is installed or the bot is added', async () => {
    expect((await h.post(installed(anna, h.connector.url))).status).toBe(200);
    expect((await h.post(botAdded(per, h.connector.url))).status).toBe(200);
    expect((await h.post(installed(olle, h.connector.url))).status).toBe(200);
    const rows = await h.db.query<{ person_id: string }>(sql`select person_id from conversation_refs order by person_id`);
    expect(rows.map((r) => r.person_id)).toEqual(['p-anna', 'p-olle', 'p-per']);
  });

  it('answers hjälp with the command table, and an unknown command with a short help', async () => {
    const help = await say(anna, 'Hjälp');
    for (const usage of ['mina uppgifter', 'ärende REF', 'ny placering', 'inflytt REF DATUM', 'förändrat behov REF sedan DATUM', 'avsluta REF DATUM ORSAK', 'klar REF']) expect(help.text).toContain(usage);
    const unknown = await say(anna, 'baka en kaka');
    expect(unknown.text).toMatch(/känner jag inte igen.*hjälp/s);
  });

  it('tells someone outside the directory what to do instead of staying silent', async () => {
    const reply = await say(stranger, 'mina uppgifter');
    expect(reply.text).toContain('personalkatalog');
  });

  it('starts a case from the ny placering card and sends the first step to its holder as a card', async () => {
    const form = await say(anna, 'ny placering tack');
    expect(cardText(form.card)).toContain('personnummer');
    const started = await press(anna, 'start_case', {
      routine: 'testrutin:start', caseRef: REF.toLowerCase(), initials: 'E.B.', personnummer: '19850101-1234', legalBasis: 'LSS 9 § 9',
      role_socialsekreterare: 'anna@kommun.se', role_planeringsledare: 'PER@kommun.se', role_socialadministrator: 'sara@kommun.se',
    });
    expect(cardText(started.card)).toContain(`${REF} är startat`);
    const sent = await delivered(anna);
    const card = sent[sent.length - 1]?.activity.attachments?.[0]?.content as Card;
    expect(cardText(card)).toContain('Lämna kontaktuppgifter');
    expect(cardText(card)).toContain(`${REF} E.B.`);
    expect(JSON.stringify(card)).not.toContain('19850101');
    expect(card.actions?.[0]).toMatchObject({ type: 'Action.Execute', title: 'Klart', verb: 'complete_step', data: { caseRef: REF, stepKey: 'kontakt' } });
  });

  it('lists my tasks late first with their deadline, forgiving a typo', async () => {
    const reply = await say(anna, 'visa mina uppgifer');
    expect(reply.text).toContain(`${REF} E.B.`);
    expect(reply.text).toMatch(/senast 2026-03-01 \(försenad\)/);
  });

  it('shows the timeline to a role on the case and refuses everyone else', async () => {
    const own = await say(anna, `Ärende ${REF}`);
    expect(cardText(own.card)).toMatch(/⚠️ Lämna kontaktuppgifter/);
    const other = await say(olle, `ärende ${REF}`);
    expect(other.text).toContain('ingen roll');
    expect(h.audit.filter((a) => a.startsWith(`case.view:${REF}`))).toHaveLength(2);
  });

  it('refuses a step to someone without its role and says who can', async () => {
    const refused = await press(per, 'complete_step', { caseRef: REF, stepKey: 'kontakt' });
    expect(cardText(refused.card)).toContain('Bara socialsekreterare/handläggare (Anna Andersson)');
    expect(refused.card?.actions?.[0]).toMatchObject({ verb: 'complete_step' });
  });

  it('completes a step from chat with klar and opens the next one for its holder', async () => {
    const reply = await say(anna, `klar ${REF}`);
    expect(reply.text).toContain('Klart: Lämna kontaktuppgifter');
    const sent = await delivered(per);
    const card = sent[sent.length - 1]?.activity.attachments?.[0]?.content as Card;
    expect(card.body).toContainEqual(expect.objectContaining({ type: 'Input.Date', id: 'f_inflyttningsdatum', isRequired: true }));
  });

  it('sends tasks to a substitute during the absence, and the substitute completes them once however often they click', async () => {
    const set = await say(per, 'ersättare olle@kommun.se 2026-03-01–2026-03-31');
    expect(set.text).toContain('Olle Olsson är din ersättare 2026-03-01–2026-03-31');
    const tasks = await say(olle, 'mina uppgifter');
    expect(tasks.text).toMatch(/Rapportera inflyttningsdatum.*som ersättare/);

    const missing = await press(olle, 'complete_step', { caseRef: REF, stepKey: 'inflytt' });
    expect(cardText(missing.card)).toContain('Fyll i Inflyttningsdatum');
    const done = await press(olle, 'complete_step', { caseRef: REF, stepKey: 'inflytt', f_inflyttningsdatum: '2026-03-15' });
    expect(cardText(done.card)).toContain('Klart – markerat av Olle Olsson');
    expect(done.card?.actions).toBeUndefined();
    const again = await press(olle, 'complete_step', { caseRef: REF, stepKey: 'inflytt', f_inflyttningsdatum: '2026-03-15' });
    expect(cardText(again.card)).toContain('Redan klart av Olle Olsson');
    expect(h.audit.filter((a) => a === `step.complete:${REF}:inflytt:p-olle`)).toHaveLength(3);

    const toPer = await delivered(per);
    expect(toPer[toPer.length - 1]?.activity.text).toContain('Olle Olsson markerade "Rapportera inflyttningsdatum"');
  });

  it('reaches a person who never talked to the bot by mail, and the task still exists', async () => {
    await h.deliverOutbox();
    const mail = await h.db.query<{ recipient: string; payload: { to: string[]; subject: string; text: string } }>(sql`select recipient, payload from outbox where channel = 'mail'`);
    expect(mail).toHaveLength(1);
    expect(mail[0]?.payload.to).toEqual(['sara@kommun.se']);
    expect(mail[0]?.payload.subject).toContain(REF);
    expect(mail[0]?.payload.text).toContain('Skriv placeringsavtal');
    const teams = await h.db.query<{ status: string }>(sql`select status from outbox where channel = 'teams' and recipient = 'p-sara'`);
    expect(teams.map((t) => t.status)).toEqual(['sent']);
  });

  it('reports move-in, a changed need and the end of a case from chat, with Swedish dates', async () => {
    expect((await say(anna, `inflytt ${REF} 1 mars 2026`)).text).toContain('Inflytt 2026-03-01 registrerad');
    expect((await say(anna, `inflytt ${REF}`)).text).toContain('inget datum');
    expect((await say(anna, `förändrat behov ${REF} sedan 1/12 2025`)).text).toContain('sedan 2025-12-01');
    expect((await say(anna, `förändrat behov ${REF} sedan 2026-02-01`)).text).toContain('minst 3 månader');
    expect((await say(anna, `avsluta ${REF} 2026-06-30`)).text).toContain('orsak');
    expect((await say(anna, `avsluta ${REF} 30 juni 2026 flyttat till annan kommun`)).text).toContain(`${REF} avslutas 2026-06-30`);
  });

  it('answers a case that does not exist with what to do', async () => {
    expect((await say(anna, 'ärende XX-1')).text).toContain('Kontrollera referensen');
  });
});
