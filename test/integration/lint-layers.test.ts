import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A file that breaks (or keeps) a rule, written into the tree: the linter's type information needs it on disk. */
type Probe = { name: string; folder: string; source: string };

const DOMAIN_BREAKS: Array<[string, string, RegExp]> = [
  ['reads the clock', 'export const now = new Date();', /no clock/],
  ['asks Date.now()', 'export const now = Date.now();', /no clock/],
  ['starts a timer', 'export const t = setTimeout(() => undefined, 1);', /no timers/],
  ['draws a random number', 'export const r = Math.random();', /deterministic/],
  ['reads the environment', 'export const e = process.env.HOME;', /no environment/],
  ['imports a Node built-in', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;", /no Node built-ins/],
  ['imports the database layer', "import { holdersFor } from '../db/people.ts';\nexport const h = holdersFor;", /boundaries\/dependencies/],
];
const UPWARD_IMPORTS: Array<[string, string]> = [
  ['lib', "import { holdersFor } from '../db/people.ts';\nexport const h = holdersFor;"],
  ['db', "import { createCaseService } from '../services/cases.ts';\nexport const c = createCaseService;"],
  ['services', "import { createMailboxListener } from '../mail/imap-listener.ts';\nexport const l = createMailboxListener;"],
];
const OWN_QUERIES: Array<[string, string]> = [
  ['services', "import { eq } from 'drizzle-orm';\nexport const e = eq;"],
  ['mail', "import { cases } from '../db/schema/index.ts';\nexport const c = cases;"],
  ['bot', "import { sql } from 'drizzle-orm';\nexport const s = sql;"],
];
const CLEAN_DOMAIN = 'export function isLate(due: Date, now: Date): boolean {\n  return now > due;\n}\n';

const probes: Probe[] = [
  ...DOMAIN_BREAKS.map(([what, source]) => ({ name: `domain ${what}`, folder: 'domain', source })),
  ...UPWARD_IMPORTS.map(([folder, source]) => ({ name: `${folder} upward`, folder, source })),
  ...OWN_QUERIES.map(([folder, source]) => ({ name: `${folder} query`, folder, source })),
  { name: 'clean domain', folder: 'domain', source: CLEAN_DOMAIN },
];
const fileOf = (p: Probe) => path.join(ROOT, p.folder, `lint-probe-${process.pid}-${probes.indexOf(p)}.ts`);
const messages = new Map<string, string[]>();
const messagesOf = (name: string): string => (messages.get(name) ?? ['(not linted)']).join('\n');

// Every probe in one run of the linter: building the typed program once, not once per probe.
beforeAll(async () => {
  for (const p of probes) writeFileSync(fileOf(p), p.source);
  const results = await new ESLint({ cwd: ROOT }).lintFiles(probes.map(fileOf));
  for (const p of probes) {
    const result = results.find((r) => r.filePath === fileOf(p));
    messages.set(p.name, (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`));
  }
}, 240_000);

afterAll(() => {
  for (const p of probes) rmSync(fileOf(p), { force: true });
});

describe('the linter guards the layers', () => {
  it.each(DOMAIN_BREAKS)('fails a domain file that %s', (what, _source, expected) => {
    expect(messagesOf(`domain ${what}`)).toMatch(expected);
  });

  it.each(UPWARD_IMPORTS)('fails a %s file that imports a higher layer', (folder) => {
    expect(messagesOf(`${folder} upward`)).toMatch(/boundaries\/dependencies/);
  });

  it.each(OWN_QUERIES)('fails a %s file that builds its own query', (folder) => {
    expect(messagesOf(`${folder} query`)).toMatch(/Queries belong in db\/|Tables are db/);
  });

  it('passes a domain file that takes its clock as a parameter', () => {
    expect(messages.get('clean domain')).toEqual([]);
  });
});
