import { appendAudit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { housingDecisionCases, offersForEntries, offerStepDates, queuedDecisions, sealedPnrs, type CaseScope } from '../db/overview.ts';
import { inAreas } from '../domain/areas.ts';
import { isLocalDate, type LocalDate } from '../domain/calendar/local-date.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { approachingOn, daysWaited, reportableIn, waitBand, WAIT_BANDS, type DecisionTrack } from '../domain/report/ej-verkstallda.ts';
import { insatsFor } from '../domain/report/insats.ts';
import { personFacts } from '../domain/report/person-facts.ts';
import type { Quarter } from '../domain/report/quarter.ts';
import type { Clock } from '../lib/clock.ts';
import { toCsv } from '../lib/csv-write.ts';
import type { PnrCrypto } from '../lib/pnr-crypto.ts';
import { renderPdf } from '../lib/pdf.ts';

/** The housing routines whose decisions the report follows; boendestöd is not housing. */
const HOUSING_ROUTINES = ['ramavtal-bb', 'extern-placering', 'boendekoordination'] as const;

/** One decision as the routines recorded it, before anything about the person is read. */
export type TrackedDecision = DecisionTrack & {
  caseRef: string;
  clientInitials: string;
  area: string | null;
  legalBasis: string | null;
  source: 'case' | 'queue';
  queueEntryId: number | null;
  endReason: string | null;
};

export type ReportOffer = { date: LocalDate; declineReason: string | null };

/** A row of the report to IVO: what the municipality reports for each decision. */
export type ReportRow = {
  caseRef: string;
  kind: DecisionTrack['kind'];
  insats: string;
  lagrum: string;
  decisionDate: LocalDate;
  fodelsear: number | null;
  kon: string | null;
  offers: ReportOffer[];
  doneOn: LocalDate | null;
  endedOn: LocalDate | null;
  endReason: string | null;
  daysWaited: number;
};

export type ReportDeps = { db: Db; clock: Clock; crypto: PnrCrypto };

const dayOf = (value: string | null): LocalDate | null => (value !== null && isLocalDate(value) ? value : null);

/**
 * Every housing decision the routines hold: the purchase decision and move-in of a ramavtal case,
 * the AU decision and placement start of an external placement, a queued decision and the move-in
 * that carried it out; an interruption recorded as the facts interruptedOn / resumedOn. A case
 * closed without being carried out ends its decision on the day it closed.
 */
export async function trackedDecisions(db: Db, scope?: CaseScope): Promise<TrackedDecision[]> {
  const out: TrackedDecision[] = [];
  for (const c of await housingDecisionCases(db, HOUSING_ROUTINES, scope)) {
    const from = c.routineId === 'ramavtal-bb' ? dayOf(c.purchaseDecidedOn) : c.auApproved === 'false' ? null : dayOf(c.auDecisionOn);
    const doneOn = c.routineId === 'extern-placering' ? dayOf(c.placementStart) : dayOf(c.moveInDate);
    const closedOn = c.status === 'closed' && c.closedAt ? stockholmDate(new Date(c.closedAt)) : null;
    const base = { caseRef: c.caseRef, clientInitials: c.clientInitials, area: c.area, legalBasis: c.legalBasis, source: 'case' as const, queueEntryId: null };
    if (from !== null) out.push({ ...base, kind: 'beslut', from, doneOn, endedOn: doneOn === null ? closedOn : null, endReason: doneOn === null ? c.closeReason : null });
    const interrupted = dayOf(c.interruptedOn);
    if (interrupted !== null) {
      const resumed = dayOf(c.resumedOn);
      const resumedOn = resumed !== null && resumed >= interrupted ? resumed : null;
      out.push({ ...base, kind: 'avbrott', from: interrupted, doneOn: resumedOn, endedOn: resumedOn === null ? closedOn : null, endReason: resumedOn === null ? c.closeReason : null });
    }
  }
  for (const q of await queuedDecisions(db)) {
    const from = dayOf(q.decisionDate);
    // A queue entry is seen by the staff of its area, as in chat's `kö`.
    if (from === null || (scope && !inAreas(q.area, scope.coordinatorAreas))) continue;
    const doneOn = dayOf(q.movedIn);
    const endedOn = q.status === 'ended' && q.endedAt ? stockholmDate(new Date(q.endedAt)) : null;
    out.push({ caseRef: q.caseRef, clientInitials: q.clientInitials, area: q.area, legalBasis: q.legalBasis, source: 'queue', queueEntryId: q.id, kind: 'beslut', from, doneOn, endedOn, endReason: q.endReason });
  }
  return out;
}

/** Offers made on queued decisions: the day each was offered (its routine step), and why it was declined. */
async function offersOf(db: Db, decisions: TrackedDecision[]): Promise<Map<number, ReportOffer[]>> {
  const ids = decisions.map((d) => d.queueEntryId).filter((id): id is number => id !== null);
  const rows = (await offersForEntries(db, ids)).filter((o) => o.status !== 'reserved');
  const stepDates = new Map<string, Date[]>();
  for (const s of await offerStepDates(db, decisions.filter((d) => d.queueEntryId !== null).map((d) => d.caseRef))) {
    if (s.completedAt) stepDates.set(s.caseRef, [...(stepDates.get(s.caseRef) ?? []), s.completedAt]);
  }
  const refOf = new Map(decisions.map((d) => [d.queueEntryId, d.caseRef]));
  const out = new Map<number, ReportOffer[]>();
  for (const o of rows) {
    const list = out.get(o.queueEntryId) ?? [];
    // The n-th offer of the entry was made when the case's n-th offer step was done; without the case, the reservation day.
    const stepDate = stepDates.get(refOf.get(o.queueEntryId) ?? '')?.[list.length];
    list.push({ date: stockholmDate(stepDate ?? o.reservedAt), declineReason: o.status === 'declined' ? o.declineReason : null });
    out.set(o.queueEntryId, list);
  }
  return out;
}

/**
 * The quarter's report: each reportable decision with födelseår and kön read from its sealed
 * personnummer here and nowhere else. The run is audited with the cases it named.
 */
export async function ejVerkstalldaReport(deps: ReportDeps & { actor: string; scope?: CaseScope }, q: Quarter, tracked?: TrackedDecision[]): Promise<ReportRow[]> {
  const decisions = (tracked ?? (await trackedDecisions(deps.db, deps.scope))).filter((d) => reportableIn(d, q));
  const offers = await offersOf(deps.db, decisions);
  const sealed = await sealedPnrs(deps.db, [...new Set(decisions.map((d) => d.caseRef))]);
  const rows = decisions.map((d): ReportRow => {
    const cipher = sealed.get(d.caseRef);
    const facts = cipher ? personFacts(deps.crypto.decrypt(cipher)) : undefined;
    const { insats, lagrum } = insatsFor(d.legalBasis);
    return {
      caseRef: d.caseRef, kind: d.kind, insats, lagrum, decisionDate: d.from, fodelsear: facts?.fodelsear ?? null, kon: facts?.kon ?? null,
      offers: d.queueEntryId !== null ? (offers.get(d.queueEntryId) ?? []) : [], doneOn: d.doneOn, endedOn: d.endedOn, endReason: d.endReason, daysWaited: daysWaited(d, q.to),
    };
  });
  rows.sort((a, b) => a.decisionDate.localeCompare(b.decisionDate) || a.caseRef.localeCompare(b.caseRef));
  await deps.db.transaction((tx) =>
    appendAudit(tx, { actor: deps.actor, action: 'report.ej_verkstallda', detail: { quarter: q.label, caseRefs: rows.map((r) => r.caseRef), pnrRead: sealed.size } }, deps.clock.now()),
  );
  return rows;
}

/** For the nämnd: how many per insats and waiting-time band. No reference, no date, nothing about a person. */
export type NamndSummary = { quarter: string; rows: Array<{ insats: string; lagrum: string; bands: Record<string, number>; total: number; carriedOutLater: number }> };

export async function namndSummary(deps: { db: Db; clock: Clock; actor: string; scope?: CaseScope }, q: Quarter, tracked?: TrackedDecision[]): Promise<NamndSummary> {
  const decisions = (tracked ?? (await trackedDecisions(deps.db, deps.scope))).filter((d) => reportableIn(d, q));
  const groups = new Map<string, NamndSummary['rows'][number]>();
  for (const d of decisions) {
    const { insats, lagrum } = insatsFor(d.legalBasis);
    const key = `${lagrum}|${insats}`;
    const g = groups.get(key) ?? { insats, lagrum, bands: Object.fromEntries(WAIT_BANDS.map((b) => [b.label, 0])), total: 0, carriedOutLater: 0 };
    const band = waitBand(d, q.to);
    g.bands[band] = (g.bands[band] ?? 0) + 1;
    g.total += 1;
    if (d.doneOn !== null && d.doneOn <= q.to) g.carriedOutLater += 1;
    groups.set(key, g);
  }
  await deps.db.transaction((tx) => appendAudit(tx, { actor: deps.actor, action: 'report.ej_verkstallda.namnd', detail: { quarter: q.label, decisions: decisions.length } }, deps.clock.now()));
  return { quarter: q.label, rows: [...groups.values()].sort((a, b) => a.lagrum.localeCompare(b.lagrum) || a.insats.localeCompare(b.insats)) };
}

/** Decisions within two months of their three, not carried out: for the tab and the digest. */
export function approachingDecisions(decisions: TrackedDecision[], today: LocalDate) {
  return decisions
    .map((d) => ({ d, a: approachingOn(d, today) }))
    .filter((x): x is { d: TrackedDecision; a: NonNullable<ReturnType<typeof approachingOn>> } => x.a !== undefined)
    .map(({ d, a }) => ({ caseRef: d.caseRef, clientInitials: d.clientInitials, area: d.area, kind: d.kind, from: d.from, lastDay: a.lastDay, daysLeft: a.daysLeft }))
    .sort((x, y) => x.lastDay.localeCompare(y.lastDay));
}

const REPORT_HEADER = ['ärende', 'typ', 'insats', 'lagrum', 'beslutsdatum', 'födelseår', 'kön', 'erbjudanden', 'skäl till tackat nej', 'verkställt', 'avslutat', 'orsak', 'dagar i väntan'];

function cells(r: ReportRow): string[] {
  return [
    r.caseRef, r.kind === 'beslut' ? 'ej verkställt beslut' : 'avbrott i verkställighet', r.insats, r.lagrum, r.decisionDate, r.fodelsear === null ? '' : String(r.fodelsear), r.kon ?? '',
    r.offers.map((o) => o.date).join(' '), r.offers.filter((o) => o.declineReason).map((o) => `${o.date}: ${o.declineReason ?? ''}`).join('; '),
    r.doneOn ?? 'nej', r.endedOn ?? '', r.endReason ?? '', String(r.daysWaited),
  ];
}

export function reportCsv(rows: ReportRow[]): string {
  return toCsv([REPORT_HEADER, ...rows.map(cells)]);
}

export function namndCsv(s: NamndSummary): string {
  const bands = WAIT_BANDS.map((b) => b.label);
  return toCsv([['insats', 'lagrum', ...bands.map((b) => `väntat ${b}`), 'totalt', 'varav verkställda under kvartalet'], ...s.rows.map((r) => [r.insats, r.lagrum, ...bands.map((b) => r.bands[b] ?? 0), r.total, r.carriedOutLater])]);
}

/** The report as PDF: the same columns as the CSV, landscape A4. */
export function reportPdf(q: Quarter, rows: ReportRow[], today: LocalDate): Promise<Buffer> {
  return renderPdf({ size: 'A4', layout: 'landscape', margin: 30, info: { Title: `Ej verkställda beslut ${q.label}`, Producer: 'Boendelotsen', Creator: 'Boendelotsen' } }, (doc) => {
    doc.font('Helvetica-Bold').fontSize(14).text(`Ej verkställda beslut om boende, ${q.label} (${q.from} – ${q.to})`);
    doc.font('Helvetica').fontSize(9).text(`Gynnande beslut som inte verkställts inom tre månader och avbrott som inte återupptagits inom tre månader. ${rows.length} beslut. Utskrivet ${today}.`).moveDown(0.5);
    const widths = [70, 55, 110, 45, 55, 40, 38, 70, 120, 55, 55, 60, 35];
    const row = (values: string[], bold: boolean) => {
      const y = doc.y;
      let bottom = y;
      let x = 30;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(7);
      values.forEach((v, i) => {
        const width = widths[i] ?? 50;
        doc.text(v.slice(0, 400), x, y, { width });
        bottom = Math.max(bottom, doc.y);
        x += width + 2;
      });
      doc.y = bottom + 3;
      if (doc.y > doc.page.height - 50) doc.addPage();
    };
    row(REPORT_HEADER, true);
    for (const r of rows) row(cells(r), false);
    if (rows.length === 0) doc.font('Helvetica').fontSize(9).text('Inga beslut att rapportera.', 30);
  });
}

