import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitsImportCommand } from '../../cli/units-import.ts';
import { commandSpec } from '../../cli/index.ts';
import { upsertPeople } from '../../db/people.ts';
import { teamsUser } from '../support/bot-activities.ts';
import { startCoordinationBot, type CoordinationBot } from '../support/bot-coordination.ts';
import { ENGINES } from '../support/test-db.ts';

const ella = teamsUser(21, 'Ella Enhetschef'); // enhetschef_utforare
const sam = teamsUser(22, 'Sam Handläggare'); // socialsekreterare (myndigheten)
const pia = teamsUser(23, 'Pia Planeringsledare');
const vera = teamsUser(24, 'Vera Verksamhetschef');
const ola = teamsUser(25, 'Ola Handläggare'); // socialsekreterare
const tove = teamsUser(26, 'Tove Avgift'); // avgiftshandläggare, Väster: no queue role
const osten = teamsUser(27, 'Östen Öster'); // socialsekreterare in another area

const LANDLORD = 'forvaltning@hyresvard.example';
const CARE = 'hso.vaster@kommun.example';

describe.each(ENGINES)('boendekoordination through the bot (%s)', (engine) => {
  let b: CoordinationBot;
  const vacancy = async (apartment: string): Promise<string> => {
    const r = await b.say(ella, `ny ledig Solrosen ${apartment} gruppbostad LSS 2026-03-01`);
    const ref = /\bL\d+\b/.exec(r.text)?.[0];
    expect(ref, r.text).toBeDefined();
    return ref ?? '';
  };
  const outbox = (channel: string) => b.db.query<{ recipient: string; payload: { message?: string; to?: string[]; subject?: string; text?: string; external?: boolean } }>(sql`select recipient, payload from outbox where channel = ${channel} order by id`);

  beforeAll(async () => {
    b = await startCoordinationBot(engine, new Date('2026-03-02T09:00:00+01:00')); // a Monday
    await upsertPeople(b.db.db, [
      { id: 'p-ella', aadObjectId: ella.aadObjectId, email: 'ella@kommun.example', name: 'Ella Enhetschef', roles: ['enhetschef_utforare'], area: 'Väster' },
      { id: 'p-sam', aadObjectId: sam.aadObjectId, email: 'sam@kommun.example', name: 'Sam Handläggare', roles: ['socialsekreterare'], area: 'Väster' },
      { id: 'p-pia', aadObjectId: pia.aadObjectId, email: 'pia@kommun.example', name: 'Pia Planeringsledare', roles: ['planeringsledare'], area: 'Väster' },
      { id: 'p-vera', aadObjectId: vera.aadObjectId, email: 'vera@kommun.example', name: 'Vera Verksamhetschef', roles: ['verksamhetschef'], area: 'Väster' },
      { id: 'p-ola', aadObjectId: ola.aadObjectId, email: 'ola@kommun.example', name: 'Ola Handläggare', roles: ['socialsekreterare'], area: 'Väster' },
      { id: 'p-tove', aadObjectId: tove.aadObjectId, email: 'tove@kommun.example', name: 'Tove Avgift', roles: ['avgiftshandlaggare'], area: 'Väster' },
      { id: 'p-osten', aadObjectId: osten.aadObjectId, email: 'osten@kommun.example', name: 'Östen Öster', roles: ['socialsekreterare'], area: 'Öster' },
      // Never talks to the bot here: told of move-ins (routine 5 step 7).
      { id: 'p-alva', aadObjectId: null, email: 'alva@kommun.example', name: 'Alva Avgiftshandläggare', roles: ['avgiftshandlaggare'], area: 'Väster' },
    ]);
    const dir = mkdtempSync(path.join(tmpdir(), 'units-'));
    const file = path.join(dir, 'units.csv');
    writeFileSync(file, `id,name,area,landlord_email,manager_email,care_emails\nSolrosen,Solrosens gruppbostad,Väster,${LANDLORD},ella@kommun.example,${CARE}\n`);
    const out: string[] = [];
    const code = await unitsImportCommand.run([file], { usage: commandSpec('units', 'import').usage, io: { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, services: { handle: b.db, config: b.config, clock: b.clock } });
    expect(code, out.join('')).toBe(0);
  });
  afterAll(() => b.stop());

  it('runs a vacancy from registration to move-in, with two declines in between, and keeps the queue order', async () => {
    const l = await vacancy('1203');
    const landlordMail = (await outbox('mail')).find((m) => m.payload.to?.includes(LANDLORD));
    expect(landlordMail?.payload).toMatchObject({ external: true, subject: 'Ledig lägenhet: Solrosens gruppbostad, lgh 1203' });

    await b.cases.startCase({ routineId: 'boendekoordination', phase: 'intern', caseRef: 'FF-2026-0101', clientInitials: 'A.A.', personnummer: '198001011231', legalBasis: 'LSS 9 § 9', roles: { socialsekreterare: 'p-sam', enhetschef_utforare: 'p-ella' } }, 'p-sam');
    for (const line of [
      'ställ i kö FF-2026-0101 A.A. beslut 2025-11-01 LSS gruppbostad område Väster',
      'ställ i kö FF-2026-0102 B.B. beslut 2025-12-01 LSS gruppbostad',
      'ställ i kö FF-2026-0103 C.C. beslut 2026-02-01 LSS gruppbostad prio 1',
    ]) expect((await b.say(sam, line)).text).toContain('✅');
    const order = async () => [...(await b.say(sam, 'kö')).text.matchAll(/FF-2026-01\d\d/g)].map((m) => m[0]);
    expect(await order()).toEqual(['FF-2026-0103', 'FF-2026-0101', 'FF-2026-0102']);

    // First round: reserved for the prioritised person, offered, declined from the card.
    expect((await b.say(sam, `reservera ${l} FF-2026-0103`)).text).toContain('✅');
    expect((await outbox('teams')).some((m) => m.recipient === 'p-ella' && m.payload.message?.includes(`${l} (Solrosens gruppbostad lgh 1203) är reserverad för FF-2026-0103 C.C.`))).toBe(true);
    const offered = await b.say(ella, `erbjud ${l} visning 2026-03-04`, 2);
    expect(offered.text).toContain('Svar senast 2026-03-05');
    expect(JSON.stringify(offered.card)).toContain('coordination_decline_offer');
    expect(await b.press(ella, 'coordination_decline_offer', { vacancyRef: l, reason: 'vill bo närmare familjen' })).toContain('står kvar i kön');

    // Second round: the same person again, declined from chat.
    expect((await b.say(sam, `reservera ${l} FF-2026-0103`)).text).toContain('✅');
    await b.say(ella, `erbjud ${l}`, 2);
    expect((await b.say(ella, `tackat nej ${l} för långt till dagverksamheten`)).text).toContain('står kvar i kön');
    expect(await order()).toEqual(['FF-2026-0103', 'FF-2026-0101', 'FF-2026-0102']);
    expect((await b.say(sam, 'kö')).text).toContain('tackat nej 2 ggr');

    // Third round: accepted, orders, move-in.
    expect((await b.say(sam, `reservera ${l} FF-2026-0101`)).text).toContain('✅');
    await b.say(ella, `erbjud ${l} visning 2026-03-04`, 2);
    expect(await b.press(ella, 'coordination_accept_offer', { vacancyRef: l, plannedMoveIn: '2026-04-01' })).toContain('planerad inflyttning 2026-04-01');
    expect((await b.say(ella, `inflyttad ${l} 2026-04-01`)).text).toContain('beställningarna');
    expect((await b.say(sam, `beställt ${l}`)).text).toContain('✅');
    // An actual move-in is confirmed on (or after) the day it happens.
    b.clock.set(new Date('2026-04-01T10:00:00+02:00'));
    expect((await b.say(ella, `inflyttad ${l} 2026-04-01`)).text).toContain('✅ Inflyttning 2026-04-01');
    b.clock.set(new Date('2026-03-02T09:00:00+01:00'));
    // Step 7: myndigheten, HSO and the avgiftshandläggare are told the person has moved in.
    const movedIn = `FF-2026-0101 A.A. flyttade in i ${l} (Solrosens gruppbostad) 2026-04-01`;
    for (const who of ['p-sam', 'p-alva']) expect((await outbox('teams')).filter((m) => m.recipient === who && m.payload.message?.startsWith(movedIn)), who).toHaveLength(1);

    expect(await order()).toEqual(['FF-2026-0103', 'FF-2026-0102']);
    expect(JSON.stringify((await b.say(ella, 'lediga')).card)).not.toContain(`**${l}**`);
    const careMails = (await outbox('mail')).filter((m) => m.payload.to?.includes(CARE)).map((m) => m.payload.subject);
    expect(careMails).toEqual(['Planerad inflyttning FF-2026-0101', 'Inflyttning genomförd FF-2026-0101']);
    // The decline reasons are kept, never repeated in Teams.
    expect((await outbox('teams')).some((m) => /familjen|dagverksamheten/.test(m.payload.message ?? ''))).toBe(false);
    const reasons = await b.db.query<{ decline_reason: string }>(sql`select decline_reason from offers where status = 'declined' order by id`);
    expect(reasons.map((r) => r.decline_reason)).toEqual(['vill bo närmare familjen', 'för långt till dagverksamheten']);

    // The routine 5 case moved with the queue, step by step.
    const steps = await b.db.query<{ step_id: string; status: string }>(sql`select s.step_id, s.status from case_steps s join cases c on c.id = s.case_id where c.case_ref = 'FF-2026-0101' order by s.seq`);
    expect(steps.filter((s) => s.status === 'done').map((s) => s.step_id)).toEqual(['registrera_ledig', 'reservation', 'erbjudande', 'svar', 'bestallningar', 'inflyttning']);
    const actions = (await b.db.query<{ action: string }>(sql`select action from audit_log`)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['vacancy.register', 'queue.add', 'queue.list', 'vacancy.reserve', 'offer.offer', 'offer.decline', 'offer.accept', 'offer.orders_sent', 'offer.moved_in']));
  });

  it('lets only the unit manager register vacancies and only myndigheten end a decision', async () => {
    expect((await b.say(sam, 'ny ledig Solrosen 9 gruppbostad LSS 2026-03-01')).text).toContain('Bara enhetschef');
    expect((await b.say(ella, 'avsluta kö FF-2026-0102 flyttat')).text).toContain('Bara socialsekreterare');
    expect((await b.say(ola, 'avsluta kö FF-2026-0102 beslutet upphävt')).text).toContain('✅');
  });

  it('gives one of two simultaneous reservations of a vacancy, and tells the other who won', async () => {
    const l = await vacancy('1301');
    await b.say(sam, 'ställ i kö FF-2026-0201 D.D. 2025-10-01 LSS gruppbostad');
    await b.say(ola, 'ställ i kö FF-2026-0202 E.E. 2025-10-02 LSS gruppbostad');
    const [x, y] = await Promise.all([b.say(sam, `reservera ${l} FF-2026-0201`), b.say(ola, `reservera ${l} FF-2026-0202`)]);
    const texts = [x.text, y.text];
    expect(texts.filter((t) => t.startsWith('✅'))).toHaveLength(1);
    expect(texts.find((t) => !t.startsWith('✅'))).toMatch(new RegExp(`${l} är reserverad för FF-2026-020[12] [DE]\\.[DE]\\. \\(reserverad av (Sam|Ola) Handläggare\\)`));
    const live = await b.db.query<{ n: number }>(sql`select count(*)::int as n from offers where vacancy_id = ${Number(l.slice(1))} and status = 'reserved'`);
    expect(live[0]?.n).toBe(1);
  });

  it('holds an internal move until the planeringsledare answers, and lets the verksamhetschef decide an opposition', async () => {
    const l = await vacancy('1401');
    expect((await b.say(ella, `intern flytt ${l} FF-2026-0301 F.F.`)).text).toContain('saknas');
    expect((await b.say(ella, `intern flytt ${l} FF-2026-0301 F.F. dokument 2025-01-10`)).text).toContain('äldre än ett år');
    expect((await b.say(ella, `intern flytt ${l} FF-2026-0301 F.F. direkt`)).text).toContain('✅');
    expect((await b.say(sam, `reservera ${l} FF-2026-0103`)).text).toContain('prövas för intern flytt');
    expect((await b.say(ella, `inflyttad ${l} 2026-03-10`)).text).toContain('förrän planeringsledaren har svarat');
    expect((await b.say(vera, `intern flytt beslut ${l} genomför`)).text).toContain('Planeringsledaren har inte svarat');
    expect((await b.say(ella, `intern flytt svar ${l} tillstyrker`)).text).toContain('Bara planeringsledare');

    expect((await b.say(pia, `intern flytt svar ${l} motsätter`)).text).toContain('Verksamhetschef beslutar');
    expect((await outbox('teams')).some((m) => m.recipient === 'p-vera' && m.payload.message?.includes(`intern flytt beslut ${l}`))).toBe(true);
    expect(await b.press(vera, 'coordination_internal_decision', { vacancyRef: l, decision: 'genomfor_ej' })).toContain('går till förmedling');
    expect(await b.press(vera, 'coordination_internal_decision', { vacancyRef: l, decision: 'genomfor' })).toContain('Ingen intern flytt');

    const m = await vacancy('1402');
    expect((await b.say(ella, `intern flytt ${m} FF-2026-0302 G.G. dokument 2026-01-15`)).text).toContain('✅');
    expect(await b.press(pia, 'coordination_internal_answer', { vacancyRef: m, answer: 'tillstyrker' })).toContain('tillstyrker');
    b.clock.set(new Date('2026-03-16T10:00:00+01:00'));
    expect((await b.say(ella, `inflyttad ${m} 2026-03-16`)).text).toContain('✅ Intern flytt för FF-2026-0302 G.G.');
    b.clock.set(new Date('2026-03-02T09:00:00+01:00'));
  });

  it('refuses förmedling from the change-of-home list before the investigation and with a document over a year old', async () => {
    const l = await vacancy('1501');
    expect((await b.say(sam, 'ställ i kö FF-2026-0401 H.H. 2025-06-01 LSS servicebostad byte utredning')).text).toContain('väntelistan');
    expect((await b.say(sam, `reservera ${l} FF-2026-0401`)).text).toContain('ny utredning');
    await b.say(sam, 'utredning klar FF-2026-0401 2025-03-01');
    expect((await b.say(sam, `reservera ${l} FF-2026-0401`)).text).toContain('äldre än ett år');
    await b.say(sam, 'utredning klar FF-2026-0401 2026-02-20');
    expect((await b.say(sam, 'väntelista')).text).toContain('dokument 2026-02-20');
    expect((await b.say(sam, `reservera ${l} FF-2026-0401`)).text).toContain('✅');
  });

  it('lists vacancies per area, and names whom one is held for only to queue readers and the unit manager', async () => {
    const l = await vacancy('1410');
    expect((await b.say(sam, 'ställ i kö FF-2026-0140 D.D. beslut 2026-01-10 LSS gruppbostad')).text).toContain('✅');
    expect((await b.say(sam, `reservera ${l} FF-2026-0140`)).text).toContain('✅');
    const seenBy = async (user: typeof sam) => {
      const reply = await b.say(user, 'lediga');
      return JSON.stringify(reply.card ?? reply.text);
    };
    for (const reader of [sam, ella]) {
      const list = await seenBy(reader);
      expect(list).toContain(l);
      expect(list).toContain('FF-2026-0140');
    }
    const tovesList = await seenBy(tove);
    expect(tovesList).toContain(l);
    expect(tovesList).not.toContain('FF-2026-0140');
    expect(tovesList).not.toContain('D.D.');
    expect(await seenBy(osten)).not.toContain(l);
  });
});
