import { shippedRoutines } from '../support/routines.ts';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPeopleDirectory } from '../../db/people.ts';
import { auditLog } from '../../db/schema/index.ts';
import { manualClock } from '../../lib/clock.ts';
import { createPnrCrypto, singleKeyRing } from '../../lib/pnr-crypto.ts';
import { createCaseService } from '../../services/cases.ts';
import { RAMAVTAL_ROLES, seedStaff, STAFF } from '../support/case-fixtures.ts';
import { runCommand } from '../support/cli-run.ts';
import { testLogger } from '../support/log-capture.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const PNR = '199104123188';
const OTHER_PNR = '191212121212';

describe.each(ENGINES)('audit exports from the command line on %s', (engine) => {
  let t: TestDb;
  const dir = mkdtempSync(path.join(tmpdir(), 'boendelotsen-export-'));
  const crypto = createPnrCrypto(singleKeyRing('22'.repeat(32)));
  const clock = manualClock(new Date('2026-11-23T08:00:00Z'));

  beforeAll(async () => {
    t = await openTestDb(engine);
    await seedStaff(t.db);
    const service = createCaseService({ routines: shippedRoutines, db: t.db, directory: createPeopleDirectory, pnr: crypto, clock, logger: testLogger(), mailDomain: 'kommun.test' });
    for (const [caseRef, personnummer] of [['FF-2026-6001', PNR], ['FF-2026-6002', OTHER_PNR]] as const) {
      const started = await service.startCase({ routineId: 'ramavtal-bb', phase: 'infor_kop', caseRef, clientInitials: 'E.B.', personnummer, legalBasis: 'LSS 9 § 9', roles: RAMAVTAL_ROLES }, STAFF.sara.id);
      expect(started.ok).toBe(true);
    }
    clock.advance(86_400_000);
    expect((await service.viewCase('FF-2026-6001', STAFF.adam.id)).ok).toBe(true);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists who read or changed the person’s data, when and through what, and nothing of other people', async () => {
    const out = await runCommand('audit person', [PNR], t, { crypto, clock });
    expect(out.code, out.err).toBe(0);
    const rows = out.out.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows[0]).toBe('tid,vem,åtgärd,ärende,kanal,detaljer');
    expect(rows.some((r) => r.startsWith('2026-11-23 09:00,p-sara,case.start,FF-2026-6001,Teams'))).toBe(true);
    expect(rows.some((r) => r.includes(`${STAFF.adam.id},case.view,FF-2026-6001,Teams`))).toBe(true);
    expect(out.out).not.toContain('FF-2026-6002');
    expect(out.out).not.toContain(PNR);
    expect(out.out).not.toContain(crypto.lookupHash(PNR));
  });

  it('limits the list to the days asked for, and writes a PDF when asked', async () => {
    const pdf = path.join(dir, 'utdrag.pdf');
    const out = await runCommand('audit person', [`${PNR.slice(0, 8)}-${PNR.slice(8)}`, '--from', '2026-11-24', '--to', '2026-11-24', '--pdf', pdf], t, { crypto, clock });
    expect(out.code, out.err).toBe(0);
    const actions = out.out.trim().split('\r\n').slice(1).map((r) => r.split(',')[2]);
    expect(actions).toContain('case.view');
    expect(actions).not.toContain('case.start');
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('audits every export by the personnummer’s keyed hash only', async () => {
    const exports = await t.db.select().from(auditLog).where(eq(auditLog.action, 'audit.export.person'));
    expect(exports).toHaveLength(2);
    expect(exports[0]).toMatchObject({ actor: 'cli:test', detail: { pnrHash: crypto.lookupHash(PNR), cases: 1 } });
    expect(JSON.stringify(exports)).not.toContain(PNR);
  });

  it('refuses an unreadable personnummer with a message', async () => {
    const out = await runCommand('audit person', ['19910412318'], t, { crypto, clock });
    expect(out.code).toBe(64);
  });

  it('exports a case’s trail as CSV and PDF for tillsyn, and audits the export', async () => {
    const out = await runCommand('audit case', ['ff-2026-6001', '--out', dir], t, { clock });
    expect(out.code, out.err).toBe(0);
    const csv = readFileSync(path.join(dir, 'granskning-FF-2026-6001.csv'), 'utf8');
    expect(csv).toContain('case.start');
    expect(csv).toContain('case.view');
    expect(readFileSync(path.join(dir, 'granskning-FF-2026-6001.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(existsSync(path.join(dir, 'granskning-FF-2026-6002.csv'))).toBe(false);
    const [audited] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'audit.export.case'));
    expect(audited).toMatchObject({ caseRef: 'FF-2026-6001', actor: 'cli:test' });
  });
});
