import { mkdtempSync, writeFileSync } from 'node:fs';
import { testLogger } from '../support/log-capture.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitsImportCommand } from '../../cli/units-import.ts';
import { commandSpec } from '../../cli/index.ts';
import { upsertPeople } from '../../db/people.ts';
import { DEFAULT_WORKING_TIME } from '../../domain/calendar/working-time.ts';
import { sweepOfferDeadlines } from '../../services/coordination-deadlines.ts';
import { teamsUser } from '../support/bot-activities.ts';
import { startCoordinationBot, type CoordinationBot } from '../support/bot-coordination.ts';
import { ENGINES } from '../support/test-db.ts';

const ella = teamsUser(31, 'Ella Enhetschef'); // manager of Solrosen
const erik = teamsUser(32, 'Erik Enhetschef'); // manager of Vallmon, not of Solrosen
const sam = teamsUser(33, 'Sam Handläggare'); // myndigheten

describe.each(ENGINES)('the unit manager’s vacancies and the offer’s answer deadline (%s)', (engine) => {
  let b: CoordinationBot;
  const logger = testLogger();
  const reminders = () =>
    b.db.query<{ recipient: string; message: string }>(sql`select recipient, payload->>'message' as message from outbox where channel = 'teams' and dedupe_key like '%answer-due%' order by id`);
  const sweep = () => sweepOfferDeadlines({ db: b.db.db, clock: b.clock, logger, hours: DEFAULT_WORKING_TIME });

  beforeAll(async () => {
    b = await startCoordinationBot(engine, new Date('2026-03-02T09:00:00+01:00')); // a Monday
    await upsertPeople(b.db.db, [
      { id: 'p-ella', aadObjectId: ella.aadObjectId, email: 'ella@kommun.example', name: 'Ella Enhetschef', roles: ['enhetschef_utforare'], area: 'Väster' },
      { id: 'p-erik', aadObjectId: erik.aadObjectId, email: 'erik@kommun.example', name: 'Erik Enhetschef', roles: ['enhetschef_utforare'], area: 'Väster' },
      { id: 'p-sam', aadObjectId: sam.aadObjectId, email: 'sam@kommun.example', name: 'Sam Handläggare', roles: ['socialsekreterare'], area: 'Väster' },
    ]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'units-')), 'units.csv');
    writeFileSync(file, [
      'id,name,area,landlord_email,manager_email,care_emails',
      'Solrosen,Solrosens gruppbostad,Väster,forvaltning@hyresvard.example,ella@kommun.example,hso@kommun.example',
      'Vallmon,Vallmons servicebostad,Väster,forvaltning@hyresvard.example,erik@kommun.example,hso@kommun.example',
    ].join('\n') + '\n');
    const out: string[] = [];
    const code = await unitsImportCommand.run([file], { usage: commandSpec('units', 'import').usage, io: { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, services: { handle: b.db, config: b.config, clock: b.clock } });
    expect(code, out.join('')).toBe(0);
  });
  afterAll(() => b.stop());

  async function offeredVacancy(apartment: string, caseRef: string): Promise<string> {
    const r = await b.say(ella, `ny ledig Solrosen ${apartment} gruppbostad LSS 2026-03-01`);
    const l = /\bL\d+\b/.exec(r.text)?.[0] ?? '';
    expect((await b.say(sam, `ställ i kö ${caseRef} A.A. 2025-11-01 LSS gruppbostad`)).text).toContain('✅');
    expect((await b.say(sam, `reservera ${l} ${caseRef}`)).text).toContain('✅');
    expect((await b.say(ella, `erbjud ${l}`, 2)).text).toContain('Svar senast 2026-03-05');
    return l;
  }

  it('refuses another unit’s enhetschef and names the manager; the manager’s substitute may act', async () => {
    const refusedRegister = await b.say(erik, 'ny ledig Solrosen 7 gruppbostad LSS 2026-03-01');
    expect(refusedRegister.text).toContain('Bara ansvarig enhetschef för Solrosens gruppbostad, Ella Enhetschef, eller dennes ersättare');
    const l = await offeredVacancy('8', 'FF-2026-0901');
    expect((await b.say(erik, `tackat ja ${l} 2026-04-01`)).text).toContain('Ella Enhetschef');
    expect((await b.say(erik, `tackat nej ${l} för långt bort`)).text).toContain('Ella Enhetschef');
    const offers = await b.db.query<{ status: string }>(sql`select status from offers where vacancy_id = ${Number(l.slice(1))}`);
    expect(offers.map((o) => o.status)).toEqual(['offered']);

    expect((await b.say(ella, 'ersättare erik@kommun.example 2026-03-02–2026-03-06')).text).toContain('✅');
    expect((await b.say(erik, `tackat nej ${l} för långt bort`)).text).toContain('står kvar i kön');
    // Erik's own unit is his either way.
    expect((await b.say(erik, 'ny ledig Vallmon 3 servicebostad LSS 2026-03-01')).text).toContain('✅');
  });

  it('reminds the offering enhetschef and myndigheten once on the deadline, however many sweep at once, and not after an answer', async () => {
    const open = await offeredVacancy('21', 'FF-2026-0911');
    const answered = await offeredVacancy('22', 'FF-2026-0912');
    expect((await b.say(ella, `tackat ja ${answered} 2026-04-01`)).text).toContain('✅');
    const before = await reminders();

    b.clock.set(new Date('2026-03-05T07:59:00+01:00'));
    expect(await sweep()).toBe(0);
    b.clock.set(new Date('2026-03-05T08:00:00+01:00'));
    const counts = await Promise.all([sweep(), sweep(), sweep()]);
    expect(counts.reduce((a, n) => a + n, 0)).toBe(1);
    expect(await sweep()).toBe(0);

    const fresh = (await reminders()).slice(before.length);
    expect(fresh.map((r) => r.recipient).sort()).toEqual(['p-ella', 'p-sam']);
    for (const r of fresh) {
      expect(r.message).toContain(`FF-2026-0911 A.A. på erbjudandet om ${open}`);
      expect(r.message).toContain('2026-03-05');
    }
    expect(fresh.some((r) => r.message.includes(answered))).toBe(false);
    b.clock.set(new Date('2026-03-02T09:00:00+01:00'));
  });

  it('keeps an answer-deadline reminder that came due while the service was down for working hours, and says the day has passed', async () => {
    const l = await offeredVacancy('31', 'FF-2026-0921');
    const before = (await reminders()).length;
    // Down from the deadline morning (Thursday 5 March) until 06:30 the next day.
    b.clock.set(new Date('2026-03-06T06:30:00+01:00'));
    expect(await sweep()).toBe(0);
    b.clock.set(new Date('2026-03-06T07:00:00+01:00'));
    expect(await sweep()).toBe(1);
    const fresh = (await reminders()).slice(before);
    expect(fresh.map((r) => r.recipient).sort()).toEqual(['p-ella', 'p-sam']);
    for (const r of fresh) expect(r.message).toContain(`på erbjudandet om ${l} (Solrosens gruppbostad) skulle ha kommit senast 2026-03-05`);
    b.clock.set(new Date('2026-03-02T09:00:00+01:00'));
  });
});
