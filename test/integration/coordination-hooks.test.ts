import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSpec } from '../../cli/index.ts';
import { unitsImportCommand } from '../../cli/units-import.ts';
import { upsertPeople } from '../../db/people.ts';
import { cases } from '../../db/schema/index.ts';
import type { CaseState } from '../../domain/engine/types.ts';
import { teamsUser } from '../support/bot-activities.ts';
import { startCoordinationBot, type CoordinationBot } from '../support/bot-coordination.ts';
import { routinesWithRenamedSteps } from '../support/routines.ts';
import { ENGINES } from '../support/test-db.ts';

const ella = teamsUser(31, 'Ella Enhetschef');
const sam = teamsUser(32, 'Sam Handläggare');
const pia = teamsUser(33, 'Pia Planeringsledare');

/**
 * A municipality renames the steps the coordination services drive (routine 5's offer and answer,
 * routine 3's dialog with the planeringsledare). The routine files name the hooks on the renamed
 * steps, so the services still complete them: nothing in the code knows a step id.
 */
describe.each(ENGINES)('coordination drives renamed routine steps through their hooks (%s)', (engine) => {
  let b: CoordinationBot;
  const stepsOf = async (caseRef: string) => ((await b.db.db.select().from(cases).where(eq(cases.caseRef, caseRef)))[0]?.state as CaseState).steps;

  beforeAll(async () => {
    const routines = await routinesWithRenamedSteps({
      'boendekoordination.json': [['erbjudande', 'erbjud_lagenhet'], ['svar', 'svar_pa_erbjudande']],
      'intern-flytt.json': [['dialog_planeringsledare', 'samrad_planeringsledare']],
    });
    b = await startCoordinationBot(engine, new Date('2026-03-02T09:00:00+01:00'), routines);
    await upsertPeople(b.db.db, [
      { id: 'p-ella', aadObjectId: ella.aadObjectId, email: 'ella@kommun.example', name: 'Ella Enhetschef', roles: ['enhetschef_utforare'], area: 'Väster' },
      { id: 'p-sam', aadObjectId: sam.aadObjectId, email: 'sam@kommun.example', name: 'Sam Handläggare', roles: ['socialsekreterare'], area: 'Väster' },
      { id: 'p-pia', aadObjectId: pia.aadObjectId, email: 'pia@kommun.example', name: 'Pia Planeringsledare', roles: ['planeringsledare'], area: 'Väster' },
    ]);
    const dir = mkdtempSync(path.join(tmpdir(), 'units-'));
    const file = path.join(dir, 'units.csv');
    writeFileSync(file, 'id,name,area,landlord_email,manager_email,care_emails\nSolrosen,Solrosens gruppbostad,Väster,forvaltning@hyresvard.example,ella@kommun.example,hso@kommun.example\n');
    const out: string[] = [];
    const code = await unitsImportCommand.run([file], { usage: commandSpec('units', 'import').usage, io: { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, services: { handle: b.db, config: b.config, clock: b.clock } });
    expect(code, out.join('')).toBe(0);
  });
  afterAll(() => b.stop());

  async function vacancy(apartment: string): Promise<string> {
    const r = await b.say(ella, `ny ledig Solrosen ${apartment} gruppbostad LSS 2026-03-01`);
    return /\bL\d+\b/.exec(r.text)?.[0] ?? '';
  }

  it('completes routine 5’s renamed offer and answer steps when the offer is made and accepted', async () => {
    const caseRef = 'FF-2026-0201';
    await b.cases.startCase({ routineId: 'boendekoordination', phase: 'intern', caseRef, clientInitials: 'A.A.', personnummer: '198001011231', legalBasis: 'LSS 9 § 9', roles: { socialsekreterare: 'p-sam', enhetschef_utforare: 'p-ella' } }, 'p-sam');
    const l = await vacancy('1301');
    expect((await b.say(sam, `ställ i kö ${caseRef} A.A. beslut 2025-11-01 LSS gruppbostad område Väster`)).text).toContain('✅');
    expect((await b.say(sam, `reservera ${l} ${caseRef}`)).text).toContain('✅');
    expect((await b.say(ella, `erbjud ${l} visning 2026-03-04`, 2)).text).toContain('Svar senast');
    let steps = await stepsOf(caseRef);
    expect(steps['erbjud_lagenhet']).toMatchObject({ status: 'done', data: { viewingOn: '2026-03-04' } });
    expect(steps['svar_pa_erbjudande']?.status).toBe('open');
    expect(await b.press(ella, 'coordination_accept_offer', { vacancyRef: l, plannedMoveIn: '2026-04-01' })).toContain('planerad inflyttning 2026-04-01');
    steps = await stepsOf(caseRef);
    expect(steps['svar_pa_erbjudande']).toMatchObject({ status: 'done', data: { answer: 'accepted', plannedMoveIn: '2026-04-01' } });
  });

  it('completes routine 3’s renamed dialog step when the planeringsledare answers an internal move', async () => {
    const caseRef = 'FF-2026-0202';
    const started = await b.cases.startCase({ routineId: 'intern-flytt', phase: 'ledig_lagenhet', caseRef, clientInitials: 'B.B.', personnummer: '198001011231', legalBasis: 'LSS 9 § 9', roles: { socialsekreterare: 'p-sam', enhetschef_utforare: 'p-ella', planeringsledare: 'p-pia' } }, 'p-ella');
    expect(started.ok, JSON.stringify(started)).toBe(true);
    for (const [stepKey, personId, data] of [
      ['ledig_lagenhet', 'p-ella', { vacantFrom: '2026-03-01', candidateFound: true }],
      ['avstamning_vakans', 'p-ella', {}],
      ['inriktning', 'p-sam', { vacancyInArea: true, otherAreaOrPurchase: false }],
    ] as const) {
      const done = await b.cases.completeStep({ caseRef, stepKey, personId, data });
      expect(done, `${stepKey}: ${JSON.stringify(done)}`).toMatchObject({ ok: true });
    }
    expect((await stepsOf(caseRef))['samrad_planeringsledare']?.status).toBe('open');
    const l = await vacancy('1302');
    expect((await b.say(ella, `intern flytt ${l} ${caseRef} B.B. direkt`)).text).toContain('✅');
    expect((await b.say(pia, `intern flytt svar ${l} tillstyrker`)).text).toContain('tillstyrker');
    expect((await stepsOf(caseRef))['samrad_planeringsledare']).toMatchObject({ status: 'done', data: { planeringsledareStance: 'tillstyrker' } });
  });
});
