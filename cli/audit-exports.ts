import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { addDays, isLocalDate } from '../domain/calendar/local-date.ts';
import { stockholmDate, stockholmInstant } from '../domain/calendar/stockholm.ts';
import { parsePersonnummer } from '../domain/behovsbedomning/personnummer.ts';
import { caseTrail, personTrail, trailCsv, trailPdf } from '../services/audit-export.ts';
import { readOptions } from './options.ts';
import type { CliCommand } from './types.ts';

/** `--name value` options through Node's parser; anything else is returned as positional words. */
function options(args: string[], names: readonly string[]): { opts: Record<string, string>; words: string[]; bad: string[] } {
  const read = readOptions(args, Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])));
  if (!read.ok) return { opts: {}, words: [], bad: [read.message] };
  const opts: Record<string, string> = {};
  for (const [k, v] of Object.entries(read.values)) if (typeof v === 'string') opts[k] = v;
  return { opts, words: read.positionals, bad: [] };
}

const USAGE_PERSON = 'audit person PERSONNUMMER [--from ÅÅÅÅ-MM-DD] [--to ÅÅÅÅ-MM-DD] [--pdf FIL]';

/**
 * `audit person`: the registerutdrag/loggutdrag for one person: every read and change of their
 * cases, who, when and through what, as CSV on stdout (and a PDF when asked). Nothing printed
 * names the person; the personnummer given is only hashed, and the run is itself audited.
 */
export const auditPersonCommand: CliCommand = {
  run: async (args, { io, services }) => {
    if (!services?.crypto) throw new Error('audit person needs the database and the data keys');
    const { opts, words, bad } = options(args, ['from', 'to', 'pdf']);
    const today = stockholmDate(services.clock.now());
    const pnr = words.length === 1 ? parsePersonnummer(words[0] ?? '', null) : undefined;
    const dates = [opts.from, opts.to].filter((d) => d !== undefined);
    if (bad.length > 0 || !pnr || dates.some((d) => !isLocalDate(d))) {
      io.stderr(`Användning: ${USAGE_PERSON}\n`);
      return 64;
    }
    if (!pnr.ok) {
      io.stderr(`Personnumret går inte att läsa (${pnr.reason === 'century' ? 'skriv det med tolv siffror, ÅÅÅÅMMDD-NNNN' : 'kontrollera siffrorna'}).\n`);
      return 64;
    }
    const range = {
      ...(opts.from ? { from: stockholmInstant(opts.from) } : {}),
      ...(opts.to ? { to: stockholmInstant(addDays(opts.to, 1)) } : {}),
    };
    const trail = await personTrail({ db: services.handle.db, clock: services.clock, actor: services.actor ?? 'cli', crypto: services.crypto }, pnr.value, range);
    io.stdout(trailCsv(trail.lines));
    if (opts.pdf) {
      const period = `${opts.from ?? 'början'} – ${opts.to ?? today}`;
      writeFileSync(opts.pdf, await trailPdf('Loggutdrag för en person', `Ärenden: ${trail.caseRefs.join(', ') || 'inga'}. Period: ${period}. Utdraget ${today}.`, trail.lines), { mode: 0o600 });
    }
    io.stderr(`${trail.lines.length} poster i ${trail.caseRefs.length} ärenden.\n`);
    return 0;
  },
};

/** `audit case REF`: the case's whole trail for tillsyn, as CSV and PDF files named by reference. */
export const auditCaseCommand: CliCommand = {
  run: async (args, { io, services }) => {
    if (!services) throw new Error('audit case needs the database');
    const { opts, words, bad } = options(args, ['out']);
    const ref = words[0]?.toUpperCase();
    if (bad.length > 0 || words.length !== 1 || !ref || !/^[A-ZÅÄÖ0-9][A-ZÅÄÖ0-9-]{1,40}$/.test(ref)) {
      io.stderr('Användning: audit case REF [--out KATALOG]\n');
      return 64;
    }
    const lines = await caseTrail({ db: services.handle.db, clock: services.clock, actor: services.actor ?? 'cli' }, ref);
    const dir = opts.out ?? '.';
    const base = path.join(dir, `granskning-${ref}`);
    writeFileSync(`${base}.csv`, trailCsv(lines), { mode: 0o600 });
    const today = stockholmDate(services.clock.now());
    writeFileSync(`${base}.pdf`, await trailPdf(`Granskningslogg för ärende ${ref}`, `${lines.length} poster. Utdraget ${today}.`, lines), { mode: 0o600 });
    io.stdout(`Skrev ${base}.csv och ${base}.pdf (${lines.length} poster).\n`);
    return 0;
  },
};
