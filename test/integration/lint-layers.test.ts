import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const written: string[] = [];

/** Writes a probe file into the tree (the linter's type information needs it on disk) and lints it. */
async function lintProbe(folder: string, source: string): Promise<string[]> {
  const file = path.join(ROOT, folder, `lint-probe-${process.pid}-${written.length}.ts`);
  written.push(file);
  writeFileSync(file, source);
  const [result] = await new ESLint({ cwd: ROOT }).lintFiles([file]);
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

afterAll(() => {
  for (const file of written) rmSync(file, { force: true });
});

describe('the linter guards the layers', () => {
  it.each([
    ['reads the clock', 'export const now = new Date();', /no clock/],
    ['asks Date.now()', 'export const now = Date.now();', /no clock/],
    ['starts a timer', 'export const t = setTimeout(() => undefined, 1);', /no timers/],
    ['draws a random number', 'export const r = Math.random();', /deterministic/],
    ['reads the environment', 'export const e = process.env.HOME;', /no environment/],
    ['imports a Node built-in', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;", /no Node built-ins/],
    ['imports the database layer', "import { holdersFor } from '../db/people.ts';\nexport const h = holdersFor;", /boundaries\/dependencies/],
  ])('fails a domain file that %s', async (_what, source, expected) => {
    const messages = await lintProbe('domain', source);
    expect(messages.join('\n')).toMatch(expected);
  }, 60_000);

  it.each([
    ['lib', "import { holdersFor } from '../db/people.ts';\nexport const h = holdersFor;"],
    ['db', "import { createCaseService } from '../services/cases.ts';\nexport const c = createCaseService;"],
    ['services', "import { createMailboxListener } from '../mail/imap-listener.ts';\nexport const l = createMailboxListener;"],
  ])('fails a %s file that imports a higher layer', async (folder, source) => {
    const messages = await lintProbe(folder, source);
    expect(messages.join('\n')).toMatch(/boundaries\/dependencies/);
  }, 60_000);

  it.each([
    ['services', "import { eq } from 'drizzle-orm';\nexport const e = eq;"],
    ['mail', "import { cases } from '../db/schema/index.ts';\nexport const c = cases;"],
    ['bot', "import { sql } from 'drizzle-orm';\nexport const s = sql;"],
  ])('fails a %s file that builds its own query', async (folder, source) => {
    const messages = await lintProbe(folder, source);
    expect(messages.join('\n')).toMatch(/Queries belong in db\/|Tables are db/);
  }, 60_000);

  it('passes a domain file that takes its clock as a parameter', async () => {
    const messages = await lintProbe('domain', 'export function isLate(due: Date, now: Date): boolean {\n  return now > due;\n}\n');
    expect(messages).toEqual([]);
  }, 60_000);
});
