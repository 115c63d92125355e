// Parses every sample mail and document in DIR and compares it with its .expected.json.
// Usage: npm run check:samples -- DIR   (exit 1 below 100 %)
import { readdir, readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { readBehovsbedomningFromFile } from '../mail/read-behovsbedomning.ts';
import type { BbParseResult } from '../domain/behovsbedomning/types.ts';

const DOCUMENT = /\.(eml|pdf|docx|txt|html?)$/i;

function comparable(result: BbParseResult | { ok: false; missing?: unknown }): unknown {
  // For failures only ok and the missing list are specified by the samples.
  return result.ok ? result : { ok: false, missing: [...((result as { missing?: string[] }).missing ?? [])].sort() };
}

async function checkOne(dir: string, file: string, expected: unknown): Promise<{ pass: boolean; note: string }> {
  try {
    const { result } = await readBehovsbedomningFromFile(join(dir, file));
    if (isDeepStrictEqual(comparable(result), comparable(expected as BbParseResult))) return { pass: true, note: 'ok' };
    // Names only the fields that differ: values may be personal data.
    const got = comparable(result) as Record<string, unknown>;
    const want = comparable(expected as BbParseResult) as Record<string, unknown>;
    const gotBb = (got.bb ?? got) as Record<string, unknown>;
    const wantBb = (want.bb ?? want) as Record<string, unknown>;
    const fields = [...new Set([...Object.keys(gotBb), ...Object.keys(wantBb)])]
      .filter((k) => !isDeepStrictEqual(gotBb[k], wantBb[k]));
    return { pass: false, note: `skiljer sig i: ${fields.join(', ')}` };
  } catch (err) {
    return { pass: false, note: `fel: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function main(): Promise<number> {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('Användning: npm run check:samples -- KATALOG\n');
    return 2;
  }
  const names = (await readdir(dir)).sort();
  let passed = 0;
  let total = 0;
  for (const file of names.filter((n) => DOCUMENT.test(n))) {
    const base = file.replace(DOCUMENT, '');
    if (!names.includes(`${base}.expected.json`)) continue;
    const expected: unknown = JSON.parse(await readFile(join(dir, `${base}.expected.json`), 'utf8'));
    const { pass, note } = await checkOne(dir, file, expected);
    total++;
    if (pass) passed++;
    process.stdout.write(`${pass ? 'PASS' : 'FAIL'} ${file}: ${note}\n`);
  }
  const pct = total === 0 ? 0 : Math.floor((passed / total) * 1000) / 10;
  process.stdout.write(`samples: ${passed}/${total} (${pct} %)\n`);
  return total > 0 && passed === total ? 0 : 1;
}

process.exitCode = await main();
