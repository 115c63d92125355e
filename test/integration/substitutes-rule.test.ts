import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.ts';
import { activeSubstitute, addSubstitute, coveredBy, selfAndCoveredSql, upsertPeople } from '../../db/people.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

describe.each(ENGINES)('who stands in for whom (%s)', (engine) => {
  let t: TestDb;
  const person = (id: string) => ({ id, aadObjectId: null, email: `${id}@kommun.test`, name: id, roles: ['socialsekreterare'], area: 'Norr', managerId: null });
  beforeAll(async () => {
    t = await openTestDb(engine);
    await upsertPeople(t.db, ['p-absent', 'p-first', 'p-second', 'p-other'].map(person));
    const by = { createdBy: 'p-absent', fromDate: '2026-12-01', toDate: '2026-12-20' };
    await addSubstitute(t.db, { ...by, personId: 'p-absent', substituteId: 'p-first' }, new Date('2026-11-30T08:00:00Z'));
    // A later nomination for the same days replaces the first.
    await addSubstitute(t.db, { ...by, personId: 'p-absent', substituteId: 'p-second' }, new Date('2026-11-30T09:00:00Z'));
    await addSubstitute(t.db, { ...by, personId: 'p-other', substituteId: 'p-first', fromDate: '2026-12-10' }, new Date('2026-11-30T10:00:00Z'));
  });
  afterAll(async () => {
    await t.close();
  });

  const selfAndCovered = async (id: string, date: string) =>
    rowsOf<{ id: string }>(await t.db.execute(sql`select x.id from ${selfAndCoveredSql(id, date)} as x(id) order by 1`)).map((r) => r.id);

  it('counts only the most recently named substitute, in the list and in the subquery alike', async () => {
    expect(await activeSubstitute(t.db, 'p-absent', '2026-12-05')).toBe('p-second');
    expect(await coveredBy(t.db, 'p-second', '2026-12-05')).toEqual(['p-absent']);
    expect(await coveredBy(t.db, 'p-first', '2026-12-05')).toEqual([]);
    expect(await selfAndCovered('p-second', '2026-12-05')).toEqual(['p-absent', 'p-second']);
    expect(await selfAndCovered('p-first', '2026-12-05')).toEqual(['p-first']);
  });

  it('keeps to the period: before it nobody is covered, within it the named one is', async () => {
    expect(await coveredBy(t.db, 'p-first', '2026-12-09')).toEqual([]);
    expect(await coveredBy(t.db, 'p-first', '2026-12-10')).toEqual(['p-other']);
    expect(await selfAndCovered('p-first', '2026-12-21')).toEqual(['p-first']);
  });
});
