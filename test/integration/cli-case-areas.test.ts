import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../support/cli-run.ts';
import { makeCaseService, RAMAVTAL_ROLES, seedStaff, STAFF } from '../support/case-fixtures.ts';
import { openTestDb, type TestDb } from '../support/test-db.ts';

describe('cases without an area: listed, and given one by an administrator', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb('pglite');
    await seedStaff(db.db);
    const { service } = makeCaseService(db.db);
    const base = { routineId: 'ramavtal-bb', phase: 'infor_kop', clientInitials: 'E.B.', personnummer: '194001019803', legalBasis: 'LSS 9 § 9', roles: RAMAVTAL_ROLES };
    await service.startCase({ ...base, caseRef: 'FF-2026-0301', area: null }, STAFF.sara.id);
    await service.startCase({ ...base, caseRef: 'FF-2026-0302', area: 'Väster' }, STAFF.sara.id);
  });
  afterAll(() => db.close());

  it('lists only the cases without an area, without client data', async () => {
    const r = await runCommand('cases without-area', [], db);
    expect(r.code).toBe(0);
    expect(r.out).toContain('"caseRef":"FF-2026-0301"');
    expect(r.out).not.toContain('FF-2026-0302');
    expect(r.out).not.toContain('E.B.');
  });

  it('sets the area once, audited, and never overwrites one', async () => {
    const set = await runCommand('case set-area', ['ff-2026-0301', 'Väster'], db);
    expect(set.code).toBe(0);
    const [row] = await db.query<{ area: string }>(sql`select area from cases where case_ref = 'FF-2026-0301'`);
    expect(row?.area).toBe('Väster');
    expect((await runCommand('cases without-area', [], db)).out).toBe('');
    const again = await runCommand('case set-area', ['FF-2026-0302', 'Öster'], db);
    expect(again.code).toBe(2);
    expect(again.err).toContain('har redan ett område');
    const [kept] = await db.query<{ area: string }>(sql`select area from cases where case_ref = 'FF-2026-0302'`);
    expect(kept?.area).toBe('Väster');
    const [audit] = await db.query<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'case.area_set'`);
    expect(audit?.n).toBe(1);
  });
});
