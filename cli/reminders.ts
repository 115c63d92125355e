import { parseStockholmLocal, stockholmDate } from '../domain/calendar/stockholm.ts';
import { previewReminders, type PreviewLine } from '../services/reminders-preview.ts';
import { loadCatalog } from './catalog.ts';
import { readOptions } from './options.ts';
import type { CliCommand } from './types.ts';

/** `reminders preview --at "2027-03-01 08:00" [--json]`: what would go out then; sends nothing. */
export const remindersPreviewCommand: CliCommand = {
  run: async (args, ctx) => {
    const { io, services, usage } = ctx;
    if (!services) throw new Error('reminders preview needs the database');
    const opts = readOptions(args, { at: { type: 'string' }, json: { type: 'boolean' } });
    if (!opts.ok) {
      io.stderr(`${opts.message}\nAnvändning: npx boendelotsen ${usage}\n`);
      return 64;
    }
    const at = opts.values.at !== undefined ? parseStockholmLocal(opts.values.at) : services.clock.now();
    if (!at) {
      io.stderr('Ange tidpunkten som --at "2027-03-01 08:00" (svensk tid).\n');
      return 64;
    }
    const catalog = await loadCatalog(ctx, { today: stockholmDate(services.clock.now()) });
    if (!catalog) return 78;
    const lines = await previewReminders(services.handle.db, services.config.reminders, at, catalog.find);
    io.stdout(opts.values.json ? `${JSON.stringify(lines, null, 2)}\n` : table(lines, at));
    return 0;
  },
};

function table(lines: PreviewLine[], at: Date): string {
  const when = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }).format(at);
  if (lines.length === 0) return `Inget går ut ${when} (svensk tid).\n`;
  const rows = lines.map((l) => [l.type, l.caseRef ? `${l.caseRef} ${l.clientInitials ?? ''}`.trim() : '–', l.to ?? 'ingen mottagare hittad', l.what]);
  const head = ['Typ', 'Ärende', 'Mottagare', 'Vad'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const fmt = (r: string[]) => r.map((v, c) => v.padEnd(widths[c] ?? 0)).join('  ').trimEnd();
  return [`Vid ${when} (svensk tid) skulle detta gå ut – inget skickas nu:`, '', fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt), '', lines.length === 1 ? '1 rad.' : `${lines.length} rader.`].join('\n') + '\n';
}
