import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPnrCrypto } from '../../lib/pnr-crypto.ts';
import { manualClock } from '../../lib/clock.ts';
import { runCommand, tempFiles } from '../support/cli-run.ts';
import { testPnrKey } from '../support/case-fixtures.ts';
import { APPROACHING, NOT_REPORTABLE, REPORTABLE, SCENARIO_NOW, seedOverviewScenario, TAB_STAFF } from '../support/overview-scenario.ts';
import { loadConfig } from '../../config.ts';
import { planDigests } from '../../services/reminders-digest.ts';
import { openTestDb, type TestDb } from '../support/test-db.ts';

/** The CSV's data rows as objects by header. */
function rowsOf(csv: string): Array<Record<string, string>> {
  const [head, ...lines] = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
  const cols = (head ?? '').split(',');
  return lines.map((line) => {
    const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)?.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"')) ?? [];
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

describe('rapport ej-verkställda: the quarterly report of decisions not carried out within three months', () => {
  let db: TestDb;
  const crypto = createPnrCrypto(testPnrKey());
  const clock = manualClock(SCENARIO_NOW);
  const out = tempFiles('rapport-');
  beforeAll(async () => {
    db = await openTestDb('pglite');
    await seedOverviewScenario(db.db, crypto);
  });
  afterAll(() => db.close());

  it('lists exactly the decisions built to be reportable for 2026K4, with what IVO is told about each', async () => {
    const file = path.join(out.dir, 'r.csv');
    const r = await runCommand('rapport ej-verkställda', ['--kvartal', '2026K4', '--ut', file], db, { crypto, clock });
    expect(r.code).toBe(0);
    expect(r.out).toContain('5 beslut att rapportera för 2026K4');
    const rows = rowsOf(readFileSync(file, 'utf8'));
    expect(rows.map((x) => `${x['ärende']}:${x.typ}`).sort()).toEqual(
      [`${REPORTABLE.notCarriedOut}:ej verkställt beslut`, `${REPORTABLE.carriedOutLate}:ej verkställt beslut`, `${REPORTABLE.queued}:ej verkställt beslut`, `${REPORTABLE.interrupted}:avbrott i verkställighet`, `${REPORTABLE.oster}:ej verkställt beslut`].sort(),
    );
    const by = new Map(rows.map((x) => [`${x['ärende']}:${x.typ}`, x]));
    expect(by.get(`${REPORTABLE.notCarriedOut}:ej verkställt beslut`)).toMatchObject({ beslutsdatum: '2026-08-15', födelseår: '1950', kön: 'kvinna', verkställt: 'nej', lagrum: 'LSS 9 § 9', 'dagar i väntan': '138' });
    expect(by.get(`${REPORTABLE.carriedOutLate}:ej verkställt beslut`)).toMatchObject({ beslutsdatum: '2026-06-01', födelseår: '1988', kön: 'man', verkställt: '2026-11-20', lagrum: 'SoL' });
    expect(by.get(`${REPORTABLE.queued}:ej verkställt beslut`)).toMatchObject({
      beslutsdatum: '2026-07-01', erbjudanden: '2026-08-10 2026-10-02', 'skäl till tackat nej': '2026-08-10: för långt från dagliga verksamheten; 2026-10-02: vill bo nära sin syster', födelseår: '1972',
    });
    expect(by.get(`${REPORTABLE.interrupted}:avbrott i verkställighet`)).toMatchObject({ beslutsdatum: '2026-07-01', lagrum: 'LSS 9 § 8', födelseår: '2010', kön: 'kvinna' });
    const text = readFileSync(file, 'utf8');
    for (const ref of Object.values(NOT_REPORTABLE)) expect(text).not.toContain(ref);
    // The file is the owner's alone; the personnummer is never in it.
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(text).not.toMatch(/\d{12}/);
  });

  it('writes a PDF under a name that holds the quarter only, and audits the run with the cases it named', async () => {
    const cwd = process.cwd();
    process.chdir(out.dir);
    try {
      const r = await runCommand('rapport ej-verkställda', ['--kvartal', '2026K4', '--format', 'pdf'], db, { crypto, clock });
      expect(r.code).toBe(0);
      const pdf = path.join(out.dir, 'ej-verkstallda-2026K4.pdf');
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
      expect(statSync(pdf).mode & 0o777).toBe(0o600);
    } finally {
      process.chdir(cwd);
    }
    const [entry] = await db.query<{ actor: string; detail: { quarter: string; caseRefs: string[] } }>(sql`select actor, detail from audit_log where action = 'report.ej_verkstallda' order by id desc limit 1`);
    expect(entry?.actor).toBe('cli:test');
    expect(entry?.detail.quarter).toBe('2026K4');
    expect(entry?.detail.caseRefs).toContain(REPORTABLE.queued);
  });

  it('gives the nämnd counts per insats and waiting time with no personal data', async () => {
    const file = path.join(out.dir, 'n.csv');
    const r = await runCommand('rapport ej-verkställda', ['--kvartal', '2026K4', '--nämnd', '--ut', file], db, { crypto, clock });
    expect(r.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/FF-2026|KO-2026|19\d\d|20[01]\d|kvinna|\bman\b|syster/);
    const rows = rowsOf(text);
    const lss = rows.find((x) => x.lagrum === 'LSS 9 § 9');
    expect(lss?.totalt).toBe('3');
    expect(rows.reduce((n, x) => n + Number(x.totalt), 0)).toBe(5);
  });

  it('refuses a quarter it cannot read, and an unknown format', async () => {
    expect((await runCommand('rapport ej-verkställda', ['--kvartal', '2026Q4'], db, { crypto, clock })).code).toBe(64);
    expect((await runCommand('rapport ej-verkställda', ['--kvartal', '2026K4', '--format', 'xlsx'], db, { crypto, clock })).code).toBe(64);
    expect((await runCommand('rapport ej-verkställda', [], db, { crypto, clock })).err).toContain('--kvartal 2026K4');
  });

  it('tells the managers in their daily digest of a decision nearing three months, and nobody else', async () => {
    const settings = loadConfig({}).reminders;
    const digests = await planDigests(db.db, settings, SCENARIO_NOW);
    const vera = digests.find((d) => d.personId === TAB_STAFF.vera.id);
    expect(vera?.message).toContain(`${APPROACHING} K.K.: verkställs senast 2027-02-01`);
    // The enhetschef who decided the purchase holds a role on the case; the socialsekreterare is told of her steps only.
    expect(digests.find((d) => d.personId === TAB_STAFF.erik.id)?.message).toContain(APPROACHING);
    for (const d of digests.filter((x) => x.personId !== TAB_STAFF.vera.id && x.personId !== TAB_STAFF.erik.id)) expect(d.message).not.toContain('närmar sig tre månader');
  });
});
