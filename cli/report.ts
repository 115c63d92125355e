import { chmodSync, writeFileSync } from 'node:fs';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { parseQuarter } from '../domain/report/quarter.ts';
import { ejVerkstalldaReport, namndCsv, namndSummary, reportCsv, reportPdf } from '../services/report-ej-verkstallda.ts';
import { readOptions } from './options.ts';
import type { CliCommand } from './types.ts';

const USAGE = 'rapport ej-verkställda --kvartal ÅÅÅÅKn [--format csv|pdf] [--ut FIL] [--nämnd]';

/**
 * `rapport ej-verkställda`: the quarter's decisions about housing not carried out within three
 * months, for IVO, as CSV or PDF; `--nämnd` gives only counts per insats and waiting time. The
 * file is the owner's alone and its default name holds the quarter only. The run is audited.
 */
export const reportCommand: CliCommand = {
  run: async (args, { io, services }) => {
    if (!services?.crypto) throw new Error('rapport needs the database and the data keys');
    const read = readOptions(args, { kvartal: { type: 'string' }, format: { type: 'string' }, ut: { type: 'string' }, nämnd: { type: 'boolean' }, namnd: { type: 'boolean' } });
    if (!read.ok || read.positionals.length > 0) {
      io.stderr(`${read.ok ? 'Okända argument.' : read.message}\nAnvändning: ${USAGE}\n`);
      return 64;
    }
    const { kvartal, format = 'csv', ut } = read.values;
    const forNamnd = read.values.nämnd === true || read.values.namnd === true;
    const q = kvartal === undefined ? undefined : parseQuarter(kvartal);
    if (!q || (format !== 'csv' && format !== 'pdf') || (forNamnd && format !== 'csv')) {
      io.stderr(`${q ? 'Formatet är csv eller pdf (sammanställningen för nämnden bara csv).' : 'Ange kvartal som ÅÅÅÅKn, t.ex. --kvartal 2026K4.'}\nAnvändning: ${USAGE}\n`);
      return 64;
    }
    const deps = { db: services.handle.db, clock: services.clock, crypto: services.crypto, actor: services.actor ?? 'cli' };
    const file = ut ?? (forNamnd ? `ej-verkstallda-namnd-${q.label}.csv` : `ej-verkstallda-${q.label}.${format}`);
    if (forNamnd) {
      const summary = await namndSummary(deps, q);
      writePrivate(file, namndCsv(summary));
      io.stdout(`Skrev ${file}: ${summary.rows.reduce((n, r) => n + r.total, 0)} beslut i ${summary.rows.length} insatser, utan personuppgifter.\n`);
      return 0;
    }
    const rows = await ejVerkstalldaReport(deps, q);
    writePrivate(file, format === 'csv' ? reportCsv(rows) : await reportPdf(q, rows, stockholmDate(services.clock.now())));
    io.stdout(`Skrev ${file}: ${rows.length} beslut att rapportera för ${q.label} (${q.from} – ${q.to}).\n`);
    return 0;
  },
};

/** The report holds personal data: readable by its owner only, also when the file existed before. */
function writePrivate(file: string, body: string | Buffer): void {
  writeFileSync(file, body, { mode: 0o600 });
  chmodSync(file, 0o600);
}
