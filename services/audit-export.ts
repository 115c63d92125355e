import { appendAudit, auditEntriesForCases, caseRefsForPnrHash, type AuditRow } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { stockholmParts } from '../domain/calendar/stockholm.ts';
import type { Clock } from '../lib/clock.ts';
import { toCsv } from '../lib/csv-write.ts';
import type { PnrCrypto } from '../lib/pnr-crypto.ts';
import { renderPdf } from '../lib/pdf.ts';

/** One line of a registerutdrag/loggutdrag: who, when, what, on which case, through what. */
export type TrailLine = { at: string; actor: string; action: string; caseRef: string; channel: string; detail: string };

/**
 * Through what an entry came, read from who made it: staff act in Teams (chat or card), mail
 * senders and providers by mail, operators on the command line, the system by itself (timers,
 * gallring). The trail has no separate channel field; the actor's kind names it.
 */
function channelOf(actor: string): string {
  if (actor.startsWith('mail:')) return 'mejl';
  if (actor.startsWith('leverantor:')) return 'mejl från utförare';
  if (actor.startsWith('cli')) return 'kommandorad';
  if (actor === 'system' || actor.startsWith('system:') || actor === 'timer') return 'systemet';
  return 'Teams';
}

/** The detail without keyed hashes (they identify nobody to a reader, and are noise). */
function detailText(detail: unknown): string {
  if (detail === null || typeof detail !== 'object') return '';
  const { pnrHash: _hash, ...rest } = detail as Record<string, unknown>;
  return JSON.stringify(rest);
}

function lineOf(row: AuditRow): TrailLine {
  const p = stockholmParts(row.at);
  const time = `${p.date} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  return { at: time, actor: row.actor, action: row.action, caseRef: row.caseRef ?? '', channel: channelOf(row.actor), detail: detailText(row.detail) };
}

export type ExportDeps = { db: Db; clock: Clock; actor: string };

/**
 * Every entry on the cases that hold this personnummer (found through its keyed hash, also after
 * gallring), within the range. The export itself is audited, by hash: the trail never holds the
 * personnummer in clear.
 */
export async function personTrail(deps: ExportDeps & { crypto: PnrCrypto }, personnummer: string, range: { from?: Date; to?: Date }): Promise<{ caseRefs: string[]; lines: TrailLine[] }> {
  const pnrHash = deps.crypto.lookupHash(personnummer);
  const caseRefs = await caseRefsForPnrHash(deps.db, pnrHash);
  const rows = await auditEntriesForCases(deps.db, caseRefs, range);
  await deps.db.transaction((tx) =>
    appendAudit(tx, { actor: deps.actor, action: 'audit.export.person', detail: { pnrHash, cases: caseRefs.length, entries: rows.length, from: range.from?.toISOString() ?? null, to: range.to?.toISOString() ?? null } }, deps.clock.now()),
  );
  return { caseRefs, lines: rows.map(lineOf) };
}

/** A case's whole trail, for tillsyn; the export is audited on the case. */
export async function caseTrail(deps: ExportDeps, caseRef: string): Promise<TrailLine[]> {
  const rows = await auditEntriesForCases(deps.db, [caseRef]);
  await deps.db.transaction((tx) => appendAudit(tx, { actor: deps.actor, action: 'audit.export.case', caseRef, detail: { entries: rows.length } }, deps.clock.now()));
  return rows.map(lineOf);
}

const HEADER = ['tid', 'vem', 'åtgärd', 'ärende', 'kanal', 'detaljer'];

/** RFC 4180 CSV with a BOM so Excel reads å ä ö. */
export function trailCsv(lines: TrailLine[]): string {
  return toCsv([HEADER, ...lines.map((l) => [l.at, l.actor, l.action, l.caseRef, l.channel, l.detail])]);
}

export function trailPdf(title: string, subtitle: string, lines: TrailLine[]): Promise<Buffer> {
  return renderPdf({ size: 'A4', layout: 'landscape', margin: 36, info: { Title: title, Producer: 'Boendelotsen', Creator: 'Boendelotsen' } }, (doc) => {
    doc.font('Helvetica-Bold').fontSize(14).text(title);
    doc.font('Helvetica').fontSize(9).text(subtitle).moveDown(0.5);
    const cols = [[36, 90], [126, 150], [276, 130], [406, 90], [496, 90], [586, 220]] as const;
    const row = (cells: string[], bold: boolean) => {
      const y = doc.y;
      let bottom = y;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
      cells.forEach((c, i) => {
        const [x, width] = cols[i] ?? [36, 90];
        doc.text(c, x, y, { width });
        bottom = Math.max(bottom, doc.y);
      });
      doc.y = bottom + 3;
      if (doc.y > doc.page.height - 60) doc.addPage();
    };
    row(HEADER, true);
    for (const l of lines) row([l.at, l.actor, l.action, l.caseRef, l.channel, l.detail.slice(0, 300)], false);
    if (lines.length === 0) doc.font('Helvetica').fontSize(9).text('Inga poster.', 36);
  });
}
