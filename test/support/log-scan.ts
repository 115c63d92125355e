import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FIRST_NAMES, LAST_NAMES } from '../fixtures/bb-spec.ts';

/** What the integration tier's log scan (global-setup.ts) and database scan look for. */
export type LogFinding = { file: string; line: number; what: string };

/** Client names the fixtures put into BB mails (first + last name). */
export const CLIENT_NAMES = FIRST_NAMES.flatMap((f) => LAST_NAMES.map((l) => `${f} ${l}`));
/** Text only a mail body carries (BB label lines with their values, provider reply prose). */
const MAIL_TEXT = [/Personnummer\s*:\s*\d/i, /Namn\s*:\s*\p{Lu}\p{Ll}+ \p{Lu}/u, /Genomförandeplan \(utkast\)/];

/** 12 digits (or 10) that form a valid personnummer: a real date and a correct check digit. */
function findPersonnummer(text: string): string | undefined {
  for (const m of text.matchAll(/(?<![\d])((?:19|20)?\d{6})[-+]?(\d{4})(?![\d])/g)) {
    const date = (m[1] ?? '').slice(-6);
    const month = Number(date.slice(2, 4));
    const day = Number(date.slice(4, 6));
    if (month < 1 || month > 12 || day < 1 || day > 31) continue;
    if (luhnOk(`${date}${m[2] ?? ''}`)) return m[0];
  }
  return undefined;
}

function luhnOk(ten: string): boolean {
  let sum = 0;
  for (let i = 0; i < ten.length; i++) {
    let d = Number(ten[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

function scanLine(line: string): string | undefined {
  const pnr = findPersonnummer(line);
  if (pnr !== undefined) return 'ett personnummer';
  const name = CLIENT_NAMES.find((n) => line.includes(n));
  if (name !== undefined) return 'en klients namn';
  if (MAIL_TEXT.some((r) => r.test(line))) return 'text ur ett mejl';
  return undefined;
}

export function scanCapturedLogs(dir: string): { lines: number; findings: LogFinding[] } {
  const findings: LogFinding[] = [];
  let lines = 0;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return { lines, findings };
  }
  for (const name of names) {
    readFileSync(path.join(dir, name), 'utf8').split('\n').forEach((line, i) => {
      lines += 1;
      const what = scanLine(line);
      if (what !== undefined) findings.push({ file: name, line: i + 1, what });
    });
  }
  return { lines, findings };
}
