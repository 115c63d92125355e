import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../../cli/catalog.ts';
import { routineFolderKey } from '../../../cli/routine-check-cache.ts';
import { DEFAULT_ROUTINES_DIR } from '../../../services/routine-catalog.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TODAY = '2026-12-02';
const work = mkdtempSync(path.join(tmpdir(), 'routine-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
/** A build directory with a stamp (as dist/ has), and a copy of the shipped routine folder. */
function setup(): { home: string; dir: string; entries: () => string[] } {
  const base = path.join(work, String(n++));
  const home = path.join(base, 'dist');
  const dir = path.join(base, 'routines');
  cpSync(path.join(ROOT, 'routines'), dir, { recursive: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(path.join(home, '.build-stamp'), '2026-12-02T04:00:00.000Z\n');
  const entries = (): string[] => {
    try {
      return readdirSync(path.join(home, '.routine-check'));
    } catch {
      return [];
    }
  };
  return { home, dir, entries };
}

const read = (dir: string, home: string) => readCatalog(undefined, { dir, today: TODAY, cacheHome: home });

describe('the record of routine folders that passed the load check', () => {
  it('gives the same catalogue as the full check, and stores only after it passed', async () => {
    const { home, dir, entries } = setup();
    const fresh = await read(dir, home);
    expect(fresh.ok).toBe(true);
    expect(entries()).toHaveLength(1);
    const again = await read(dir, home);
    if (!fresh.ok || !again.ok) throw new Error('unreachable');
    expect(again.catalog.all).toStrictEqual(fresh.catalog.all);
    expect(again.catalog.latest).toStrictEqual(fresh.catalog.latest);
    expect(again.catalog.find('ramavtal-bb')).toStrictEqual(fresh.catalog.find('ramavtal-bb'));
  });

  it("gives the check's warnings from the record as the full check gave them", async () => {
    const { home, dir, entries } = setup();
    // No AU meeting after this day in the shipped calendar: a warning, not an error.
    const later = (): ReturnType<typeof readCatalog> => readCatalog(undefined, { dir, today: '2099-06-01', cacheHome: home });
    const fresh = await later();
    expect(entries()).toHaveLength(1);
    const again = await later();
    if (!fresh.ok || !again.ok) throw new Error('unreachable');
    expect(fresh.warnings.length).toBeGreaterThan(0);
    expect(fresh.warnings[0]).toContain('AU-kalendern');
    expect(again.warnings).toStrictEqual(fresh.warnings);
  });

  it('checks a changed routine file again and never returns the stored routines for it', async () => {
    const { home, dir, entries } = setup();
    expect((await read(dir, home)).ok).toBe(true);
    const file = path.join(dir, 'ramavtal-bb.json');
    const routine = JSON.parse(readFileSync(file, 'utf8')) as { steps: Array<{ role?: string }> };
    routine.steps[0]!.role = 'ingen_sadan_roll';
    writeFileSync(file, JSON.stringify(routine));
    const broken = await read(dir, home);
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.message).toContain('ramavtal-bb.json');
    expect(entries()).toHaveLength(1); // the failing folder was not stored
  });

  it('checks again when a file is added or an AU calendar a routine names changes', () => {
    const { home, dir } = setup();
    const key = routineFolderKey(dir, TODAY, home);
    expect(key).toBeDefined();
    const ics = readdirSync(dir).find((f) => f.endsWith('.ics'));
    if (ics === undefined) throw new Error('the shipped routines name an AU calendar');
    writeFileSync(path.join(dir, ics), `${readFileSync(path.join(dir, ics), 'utf8')}\n`);
    const afterIcs = routineFolderKey(dir, TODAY, home);
    expect(afterIcs).not.toBe(key);
    writeFileSync(path.join(dir, 'ny.json'), '{}');
    expect(routineFolderKey(dir, TODAY, home)).not.toBe(afterIcs);
  });

  it('keys on the build and the day, and is off without a build stamp (running from sources)', () => {
    const { home, dir } = setup();
    const key = routineFolderKey(dir, TODAY, home);
    expect(routineFolderKey(dir, '2026-12-03', home)).not.toBe(key);
    writeFileSync(path.join(home, '.build-stamp'), '2026-12-02T05:00:00.000Z\n');
    expect(routineFolderKey(dir, TODAY, home)).not.toBe(key);
    rmSync(path.join(home, '.build-stamp'));
    expect(routineFolderKey(dir, TODAY, home)).toBeUndefined();
  });

  it('stores nothing for a folder that is not JSON', async () => {
    const { home, dir, entries } = setup();
    writeFileSync(path.join(dir, 'trasig.json'), '{ inte json');
    expect(routineFolderKey(dir, TODAY, home)).toBeUndefined();
    expect((await read(dir, home)).ok).toBe(false);
    expect(entries()).toHaveLength(0);
  });

  it('names the shipped folder as the service does', async () => {
    const { DEFAULT_ROUTINES_DIR: cliDefault } = await import('../../../cli/catalog.ts');
    expect(cliDefault).toBe(DEFAULT_ROUTINES_DIR);
  });
});
