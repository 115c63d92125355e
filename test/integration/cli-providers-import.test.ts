import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, tempFiles } from '../support/cli-run.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const { file, dir } = tempFiles('providers-import-');

describe.each(ENGINES)('providers import (%s)', (engine) => {
  let db: TestDb;
  beforeAll(async () => (db = await openTestDb(engine)));
  afterAll(() => db.close());

  const run = (p: string) => runCommand('providers import', [p], db);
  const count = async () => (await db.query<{ n: number }>(sql`select count(*)::int as n from providers`))[0]?.n;

  it('imports nothing and names the bad row by line', async () => {
    const csv = [
      'id;namn;tjänster;e-post;maildomän;tar emot nya;aktiv',
      'alfa;Alfa Stöd AB;boendestod_lov;order@alfa.example;alfa.example;ja;ja',
      'beta;Beta Omsorg AB;;order@beta.example;beta.example;ja;ja',
    ].join('\n');
    const r = await run(file('bad.csv', csv));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/rad 3: .*tjänster saknas/);
    expect(await count()).toBe(0);
  });

  it('imports a good register and says how many', async () => {
    const csv = [
      'id;namn;tjänster;e-post;maildomän;tar emot nya;aktiv',
      'alfa;Alfa Stöd AB;boendestod_lov;order@alfa.example;alfa.example;ja;ja',
      'beta;Beta Omsorg AB;boendestod_lov;order@beta.example;beta.example;nej;ja',
    ].join('\n');
    const r = await run(file('good.csv', csv));
    expect(r).toMatchObject({ code: 0, out: '2 leverantörer importerade.\n' });
    expect(await count()).toBe(2);
  });

  it('says so when the file cannot be read', async () => {
    expect((await run(path.join(dir, 'saknas.csv'))).code).toBe(1);
  });
});
