import { shippedRoutines } from '../support/routines.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitsImportCommand } from '../../cli/units-import.ts';
import { upsertPeople } from '../../db/people.ts';
import { previewReminders } from '../../services/reminders-preview.ts';
import { teamsUser } from '../support/bot-activities.ts';
import { startCoordinationBot, type CoordinationBot } from '../support/bot-coordination.ts';
import { ENGINES } from '../support/test-db.ts';

const ella = teamsUser(41, 'Ella Enhetschef'); // manager of Solrosen
const sam = teamsUser(42, 'Sam Handläggare'); // myndigheten
const MONDAY = new Date('2026-03-02T09:00:00+01:00');

/** Initials end a sentence with their own full stop: "A.A." never becomes "A.A..". */
const DOUBLE_STOP = /\p{Lu}\.\./u;

describe.each(ENGINES)('no impossible dates, and refusals that say what must happen first (%s)', (engine) => {
  let b: CoordinationBot;
  let n = 0;
  const texts = async () => (await b.db.query<{ message: string }>(sql`select payload->>'message' as message from outbox where channel = 'teams'`)).map((r) => r.message);

  beforeAll(async () => {
    b = await startCoordinationBot(engine, MONDAY);
    await upsertPeople(b.db.db, [
      { id: 'p-ella', aadObjectId: ella.aadObjectId, email: 'ella@kommun.example', name: 'Ella Enhetschef', roles: ['enhetschef_utforare'], area: 'Väster' },
      { id: 'p-sam', aadObjectId: sam.aadObjectId, email: 'sam@kommun.example', name: 'Sam Handläggare', roles: ['socialsekreterare'], area: 'Väster' },
    ]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'units-')), 'units.csv');
    writeFileSync(file, 'id,name,area,landlord_email,manager_email,care_emails\nSolrosen,Solrosens gruppbostad,Väster,forvaltning@hyresvard.example,ella@kommun.example,hso@kommun.example\n');
    const out: string[] = [];
    const code = await unitsImportCommand.run([file], { usage: 'units import', io: { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, services: { handle: b.db, config: b.config, clock: b.clock } });
    expect(code, out.join('')).toBe(0);
  });
  afterAll(() => b.stop());

  /** A vacancy reserved for a new person in the queue, at Monday 09:00. */
  async function reserved(): Promise<{ l: string; ref: string }> {
    b.clock.set(MONDAY);
    n += 1;
    const ref = `FF-2026-07${String(n).padStart(2, '0')}`;
    const r = await b.say(ella, `ny ledig Solrosen 5${n} gruppbostad LSS 2026-03-01`);
    const l = /\bL\d+\b/.exec(r.text)?.[0] ?? '';
    expect((await b.say(sam, `ställ i kö ${ref} A.A. 2025-11-01 LSS gruppbostad`)).text).toContain('✅');
    expect((await b.say(sam, `reservera ${l} ${ref}`)).text).toContain('✅');
    return { l, ref };
  }

  it('refuses a move-in dated after today and changes nothing', async () => {
    const { l, ref } = await reserved();
    await b.say(ella, `erbjud ${l}`, 2);
    expect((await b.say(ella, `tackat ja ${l} 2026-04-01`)).text).toContain('✅');
    expect((await b.say(sam, `beställt ${l}`)).text).toContain('✅');
    const refused = await b.say(ella, `inflyttad ${l} 2026-04-01`);
    expect(refused.text).toContain('2026-04-01 har inte kommit än (i dag är 2026-03-02)');
    const [offer] = await b.db.query<{ status: string }>(sql`select status from offers where vacancy_id = ${Number(l.slice(1))}`);
    expect(offer?.status).toBe('accepted');
    expect((await b.say(sam, 'kö')).text).toContain(ref);
    expect((await texts()).some((m) => m.includes('flyttade in'))).toBe(false);
    // On the day itself it is a fact and is accepted.
    b.clock.set(new Date('2026-04-01T10:00:00+02:00'));
    expect((await b.say(ella, `inflyttad ${l} 2026-04-01`)).text).toContain('✅ Inflyttning 2026-04-01');
  });

  it('counts the answer deadline from the viewing when it would otherwise fall before it', async () => {
    const { l } = await reserved();
    const offered = await b.say(ella, `erbjud ${l} visning 2026-03-09`, 2);
    // Three working days from the viewing (Monday 9 March), not from the offer (which gave 5 March).
    expect(offered.text).toContain('Svar senast 2026-03-12 (räknat från visningen)');
    const [row] = await b.db.query<{ answer_deadline: string }>(sql`select answer_deadline from offers where vacancy_id = ${Number(l.slice(1))}`);
    expect(row?.answer_deadline).toBe('2026-03-12');
  });

  it('counts an offer made after working hours from the next working day', async () => {
    const { l, ref } = await reserved();
    b.clock.set(new Date('2026-03-02T18:30:00+01:00'));
    const offered = await b.say(ella, `erbjud ${l}`, 2);
    expect(offered.text).toContain('Svar senast 2026-03-06');
    // The preview shows the deadline morning's reminder, and to whom it goes.
    const preview = await previewReminders(b.db.db, b.config.reminders, new Date('2026-03-06T08:00:00+01:00'), shippedRoutines.find);
    expect(preview.filter((x) => x.type === 'svarsfrist' && x.caseRef === ref).map((x) => x.to).sort()).toEqual(['E.E. (p-ella)', 'S.H. (p-sam)']);
  });

  it('says which step is missing and who does it when a step comes out of order, in good Swedish', async () => {
    const { l, ref } = await reserved();
    const early = await b.say(ella, `tackat ja ${l} 2026-04-01`);
    expect(early.text).toContain(`${l} är reserverad för ${ref} A.A. (reserverad av Sam Handläggare). Först behöver ansvarig enhetschef (Ella Enhetschef) erbjuda lägenheten: **erbjud ${l}**.`);
    await b.say(ella, `erbjud ${l}`, 2);
    const moveIn = await b.say(ella, `inflyttad ${l} 2026-03-02`);
    expect(moveIn.text).toContain(`${l} är erbjuden till ${ref} A.A. (reserverad av Sam Handläggare). Först behöver ansvarig enhetschef (Ella Enhetschef) registrera personens svar`);
    expect((await b.say(ella, `tackat ja ${l} 2026-04-01`)).text).toContain('✅');
    const noOrders = await b.say(ella, `inflyttad ${l} 2026-03-02`);
    expect(noOrders.text).toContain(`Sam Handläggare skriver **beställt ${l}**`);
    for (const t of [early.text, moveIn.text, noOrders.text, ...(await texts())]) expect(t).not.toMatch(DOUBLE_STOP);
  });
});
