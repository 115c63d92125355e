import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, tempFiles } from '../support/cli-run.ts';
import { openTestDb, ENGINES, type TestDb } from '../support/test-db.ts';

const { file } = tempFiles('users-import-');

describe.each(ENGINES)('users import (%s)', (engine) => {
  let db: TestDb;
  beforeAll(async () => (db = await openTestDb(engine)));
  afterAll(() => db.close());

  const run = (p: string) => runCommand('users import', [p], db);
  const count = async () => (await db.query<{ n: number }>(sql`select count(*)::int as n from people`))[0]?.n;

  it('imports nothing and names every bad row by line', async () => {
    const csv = ['e-post;namn;roller;område;chef', 'chef@kommun.se;Chef Chefsson;enhetschef_myndighet;Norr;', 'inte-en-adress;Anna;socialsekreterare;Norr;chef@kommun.se', 'b@kommun.se;Bo;trollkarl;Norr;', 'c@kommun.se;Cia;planeringsledare;Norr;saknas@kommun.se'].join('\n');
    const r = await run(file('bad.csv', csv));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/rad 3: e-post är inte en giltig adress/);
    expect(r.err).toMatch(/rad 4: okänd roll "trollkarl"/);
    expect(r.err).toMatch(/rad 5: chefen saknas@kommun.se finns varken/);
    expect(await count()).toBe(0);
  });

  it('imports CSV with managers by e-mail, and JSON, keeping ids stable on re-import', async () => {
    const csv = 'email,name,roles,area,manager,aadObjectId\nchef@kommun.se,Chef Chefsson,enhetschef_myndighet,Norr,,\nAnna@Kommun.se,"Andersson, Anna",socialsekreterare;planeringsledare,Norr,chef@kommun.se,00000000-0000-4000-8000-000000000001\n';
    expect((await run(file('ok.csv', csv))).code).toBe(0);
    const json = JSON.stringify([{ email: 'anna@kommun.se', name: 'Anna Andersson', roles: ['socialsekreterare'], area: 'Söder', manager: 'chef@kommun.se' }], null, 2);
    const r = await run(file('ok.json', json));
    expect(r.out).toContain('1 personer importerade');
    const rows = await db.query<{ id: string; email: string; roles: string[]; area: string; manager_id: string | null }>(sql`select id, email, roles, area, manager_id from people order by email`);
    expect(rows).toHaveLength(2);
    const annaRow = rows.find((p) => p.email === 'anna@kommun.se');
    expect(annaRow).toMatchObject({ id: '00000000-0000-4000-8000-000000000001', roles: ['socialsekreterare'], area: 'Söder' });
    expect(annaRow?.manager_id).toBe(rows.find((p) => p.email === 'chef@kommun.se')?.id);
  });

  it('warns about every person with a role with deadlines and no manager, and where their escalations go', async () => {
    const csv = 'email,name,roles,area,manager\nvc@kommun.se,Vera Verksamhetschef,verksamhetschef,Väster,\nutan@kommun.se,Ulla Utanchef,socialsekreterare,Väster,\nmed@kommun.se,Maja Medchef,socialsekreterare,Väster,vc@kommun.se\nhso@kommun.se,Hälsa Sjukvård,hso,Väster,\n';
    const r = await run(file('managers.csv', csv));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('har en roll med tidsfrister men ingen chef');
    expect(r.out).toContain('ESCALATION_FALLBACK (verksamhetschef i personens område)');
    expect(r.out).toContain('utan@kommun.se (Ulla Utanchef; socialsekreterare)');
    expect(r.out).not.toContain('med@kommun.se');
    expect(r.out).not.toContain('hso@kommun.se');
  });
});
