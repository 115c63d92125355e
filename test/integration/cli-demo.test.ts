import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedRoutines } from '../support/routines.ts';
import { findByEmail } from '../../db/people.ts';
import { cases, offers } from '../../db/schema/index.ts';
import { stockholmInstant } from '../../domain/calendar/stockholm.ts';
import { manualClock } from '../../lib/clock.ts';
import { createLogger } from '../../lib/logger.ts';
import { createPnrCrypto } from '../../lib/pnr-crypto.ts';
import { localPnrKey } from '../../lib/local-key.ts';
import { createCaseService } from '../../services/cases.ts';
import { createPeopleDirectory } from '../../db/people.ts';
import { previewReminders } from '../../services/reminders-preview.ts';
import { loadConfig } from '../../config.ts';
import { runCommand, tempFiles } from '../support/cli-run.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

// A Tuesday morning in Stockholm: the demo's "today".
const NOW = stockholmInstant('2026-12-01', 9, 0);

describe.each(ENGINES)('npx boendelotsen demo (%s)', (engine) => {
  let db: TestDb;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'demo-data-'));
  const env = { DATA_DIR: dataDir };
  const clock = manualClock(NOW);
  beforeAll(async () => (db = await openTestDb(engine)));
  afterAll(() => db.close());

  const counts = async () =>
    (await db.query<Record<string, number>>(sql`select
      (select count(*)::int from people) as people, (select count(*)::int from cases) as cases,
      (select count(*)::int from vacancies) as vacancies, (select count(*)::int from queue_entries) as queue,
      (select count(*)::int from offers) as offers, (select count(*)::int from providers) as providers`))[0];
  const service = () =>
    createCaseService({ routines: shippedRoutines, db: db.db, directory: createPeopleDirectory, pnr: createPnrCrypto(localPnrKey(dataDir)), clock, logger: createLogger({ level: 'silent', format: 'json' }), mailDomain: 'example.com' });

  it('refuses in production and writes nothing', async () => {
    const r = await runCommand('demo', [], db, { env: { NODE_ENV: 'production', PNR_ENCRYPTION_KEY: 'a'.repeat(64) }, clock });
    expect(r.code).toBe(2);
    expect(r.err).toContain('NODE_ENV=production');
    expect((await counts())?.people).toBe(0);
  });

  it('loads the Playground user with every Teams role, colleagues and a dozen cases in telling states', async () => {
    const r = await runCommand('demo', [], db, { env, clock });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Alex Wilber (alexw@example.com)');
    const alex = await findByEmail(db.db, 'alexw@example.com');
    expect(alex?.aadObjectId).toBe('00000000-0000-0000-0000-0000000000020');
    expect(alex?.roles).toEqual(expect.arrayContaining(['socialsekreterare', 'planeringsledare', 'socialadministrator', 'enhetschef_myndighet', 'enhetschef_utforare', 'verksamhetschef', 'samordnare_lss_sol']));
    for (const email of ['meganb', 'adelev', 'isaiahl', 'pattif', 'lynner']) expect(await findByEmail(db.db, `${email}@example.com`)).toBeDefined();
    expect(await counts()).toMatchObject({ people: 6, cases: 12, providers: 3, vacancies: 2, queue: 3, offers: 1 });

    const tasks = await service().listTasks(alex?.id ?? '');
    const byCase = (ref: string) => tasks.filter((t) => t.caseRef === ref).map((t) => t.stepId);
    expect(tasks.some((t) => t.caseRef === 'DEMO-102' && t.stepId === 'kontaktuppgifter' && t.late)).toBe(true);
    expect(byCase('DEMO-103')).toContain('bb');
    expect(byCase('DEMO-107')).toContain('ickeval');
    expect(byCase('DEMO-101')).toContain('beslut_kop');
    const [offer] = await db.db.select().from(offers);
    expect(offer?.status).toBe('offered');
  });

  it('escalates Megan’s overdue step to her manager Alex at the next sweep', async () => {
    const alex = await findByEmail(db.db, 'alexw@example.com');
    const lines = await previewReminders(db.db, loadConfig({}).reminders, NOW, shippedRoutines.find);
    expect(lines.some((l) => l.type === 'eskalering' && l.caseRef === 'DEMO-104' && l.to?.includes(alex?.id ?? '?'))).toBe(true);
  });

  it('runs again without duplicating anything', async () => {
    const before = await counts();
    const [state] = await db.db.select({ version: cases.version }).from(cases).where(eq(cases.caseRef, 'DEMO-109'));
    const r = await runCommand('demo', [], db, { env, clock });
    expect(r.code).toBe(0);
    expect(r.out).toContain('inga (alla fanns redan)');
    expect(await counts()).toEqual(before);
    const [after] = await db.db.select({ version: cases.version }).from(cases).where(eq(cases.caseRef, 'DEMO-109'));
    expect(after?.version).toBe(state?.version);
  });
});

describe.each(ENGINES)('users import of the Playground user (%s)', (engine) => {
  let db: TestDb;
  const { file } = tempFiles('users-playground-');
  beforeAll(async () => (db = await openTestDb(engine)));
  afterAll(() => db.close());
  const csv = 'email,name,roles,aadObjectId\nalexw@example.com,Alex Wilber,socialsekreterare,00000000-0000-0000-0000-0000000000020\n';

  it('refuses the Playground id in production, where only Entra GUIDs are real', async () => {
    const r = await runCommand('users import', [file('prod.csv', csv)], db, { env: { NODE_ENV: 'production', PNR_ENCRYPTION_KEY: 'b'.repeat(64) } });
    expect(r.code).toBe(2);
    expect(r.err).toContain('ska vara ett GUID');
  });

  it('accepts it outside production, and still refuses a name in the id column', async () => {
    expect((await runCommand('users import', [file('dev.csv', csv)], db)).code).toBe(0);
    expect((await findByEmail(db.db, 'alexw@example.com'))?.aadObjectId).toBe('00000000-0000-0000-0000-0000000000020');
    const bad = await runCommand('users import', [file('bad.csv', 'email,name,roles,aadObjectId\nmeganb@example.com,Megan Bowen,socialsekreterare,Megan Bowen\n')], db);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/rad 2: Entra-id/);
  });
});
