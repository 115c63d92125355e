import { escapeHtml as h } from '../lib/html.ts';
import type { NamndSummary, ReportRow } from '../services/report-ej-verkstallda.ts';
import type { OverviewService } from '../services/overview.ts';
import type { CaseView } from '../services/types.ts';
import { barChart } from './chart.ts';

type Awaited2<T> = T extends (...args: never[]) => Promise<infer R> ? R : never;

/** A case as chat names it: reference and initials, opening its timeline. */
function caseLink(caseRef: string, initials: string): string {
  return `<a href="#arende/${encodeURIComponent(caseRef)}">${h(caseRef)}${initials ? ` ${h(initials)}` : ''}</a>`;
}

function table(caption: string, head: readonly string[], rows: readonly string[][], numeric: readonly number[] = []): string {
  const th = head.map((c, i) => `<th scope="col"${numeric.includes(i) ? ' class="num"' : ''}>${h(c)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`).join('');
  return `<table><caption>${h(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

const dueText = (due: string | null, late: boolean) => (due === null ? 'ingen' : late ? `<span class="late">${h(due)} (försenad)</span>` : h(due));

export function tasksView(tasks: Awaited2<OverviewService['myTasks']>): string {
  if (tasks.length === 0) return '<h2>Mina uppgifter</h2><p>Du har inga öppna steg, och ingen du är ersättare för har några.</p>';
  const rows = tasks.map((t) => [caseLink(t.caseRef, t.clientInitials), h(t.title), dueText(t.due, t.late), t.onBehalfOfName ? `ersättare för ${h(t.onBehalfOfName)}` : 'du']);
  return `<h2>Mina uppgifter</h2><p>${tasks.length} öppna steg, försenade först.</p>${table('Öppna steg', ['Ärende', 'Steg', 'Sista dag', 'Håller'], rows)}`;
}

export function areaView(a: Awaited2<OverviewService['area']>): string {
  const parts = ['<h2>Område</h2>'];
  if (a.steps.length === 0) parts.push('<p>Inga försenade steg och inga steg med sista dag de närmaste två veckorna i ärenden du får se.</p>');
  const byHolder = new Map<string, typeof a.steps>();
  for (const s of a.steps) byHolder.set(s.holderName, [...(byHolder.get(s.holderName) ?? []), s]);
  for (const [holder, steps] of [...byHolder].sort(([x], [y]) => x.localeCompare(y, 'sv'))) {
    const late = steps.filter((s) => s.late).length;
    const sorted = [...steps].sort((x, y) => x.routine.localeCompare(y.routine, 'sv') || x.due.localeCompare(y.due));
    const rows = sorted.map((s) => [h(s.routine), caseLink(s.caseRef, s.clientInitials), h(s.title), dueText(s.due, s.late), s.escalatedOn ? `${h(s.escalatedOn)}${s.escalatedToName ? ` till ${h(s.escalatedToName)}` : ''}` : '–']);
    parts.push(`<section aria-labelledby="p-${h(slug(holder))}"><h3 id="p-${h(slug(holder))}">${h(holder)}: ${late} försenade, ${steps.length - late} kommande</h3>${table(`Steg som ${holder} håller`, ['Rutin', 'Ärende', 'Steg', 'Sista dag', 'Eskalerat'], rows)}</section>`);
  }
  parts.push(approachingSection(a.approaching));
  return parts.join('');
}

function approachingSection(list: Awaited2<OverviewService['area']>['approaching']): string {
  if (list.length === 0) return '<h3>Beslut som närmar sig tre månader</h3><p>Inga beslut om boende har väntat två månader eller mer utan att verkställas.</p>';
  const rows = list.map((d) => [caseLink(d.caseRef, d.clientInitials), d.kind === 'beslut' ? 'beslut' : 'avbrott', h(d.from), `<span class="late">${h(d.lastDay)}</span>`, String(d.daysLeft)]);
  return `<h3>Beslut som närmar sig tre månader</h3><p>Verkställs de inte senast sista dagen ska de rapporteras till IVO.</p>${table('Ej verkställda beslut som snart ska rapporteras', ['Ärende', 'Typ', 'Från', 'Sista dag i tid', 'Dagar kvar'], rows, [4])}`;
}

export function queueView(q: Awaited2<OverviewService['queue']>): string {
  const parts = ['<h2>Kö och lediga</h2>'];
  if (q.queueRefused) parts.push(`<p>${h(q.queueRefused)}</p>`);
  else if (q.entries.length === 0) parts.push('<p>Kön är tom i ditt område.</p>');
  else {
    const rows = q.entries.map((e) => [String(e.position), caseLink(e.caseRef, e.initials), h(e.decisionDate), String(e.daysWaiting), h(e.legalBasis), h(e.housingKind), h(e.priority), String(e.declines), e.holding ? h(e.holding) : '–']);
    parts.push(table('Kön i erbjudandeordning', ['Plats', 'Ärende', 'Beslut', 'Dagar sedan beslut', 'Lagrum', 'Boendeform', 'Prioritet', 'Tackat nej', 'Erbjudande'], rows, [0, 3, 7]));
  }
  if (q.vacancies.length === 0) parts.push('<p>Inga lediga lägenheter.</p>');
  else {
    const rows = q.vacancies.map((v) => [h(v.ref), h(v.unit), h(v.apartment), h(v.housingKind), h(v.freeFrom), String(v.daysVacant), h(v.statusText), v.heldFor ? h(v.heldFor) : '–']);
    parts.push(table('Lediga lägenheter', ['Ref', 'Enhet', 'Lägenhet', 'Boendeform', 'Ledig från', 'Dagar ledig', 'Läge', 'Reserverad för'], rows, [5]));
  }
  return parts.join('');
}

export function leadTimesView(l: Awaited2<OverviewService['leadTimes']>): string {
  const parts = [`<h2>Ledtider</h2><p>Dagar från att ett steg öppnades till att det var klart, för steg klara sedan ${h(l.since)}: median och 90:e percentil.</p>`];
  if (l.steps.length === 0) parts.push('<p>Inga klara steg de senaste tolv månaderna i ärenden du får se.</p>');
  const byRoutine = new Map<string, typeof l.steps>();
  for (const s of l.steps) byRoutine.set(s.routine, [...(byRoutine.get(s.routine) ?? []), s]);
  [...byRoutine].forEach(([routine, steps], i) => {
    const chart = barChart({ id: `ledtid-${i}`, title: `Ledtid per steg: ${routine}`, series: ['median', '90:e percentil'], unit: 'dagar', rows: steps.map((s) => ({ label: s.step, values: [s.median, s.p90] })) });
    const rows = steps.map((s) => [h(s.step), String(s.count), String(s.median ?? '–'), String(s.p90 ?? '–')]);
    parts.push(`<section aria-labelledby="r-${i}"><h3 id="r-${i}">${h(routine)}</h3><div class="pair"><figure>${chart}</figure>${table(`Ledtid i dagar: ${routine}`, ['Steg', 'Antal', 'Median', '90:e percentil'], rows, [1, 2, 3])}</div></section>`);
  });
  const monthChart = barChart({ id: 'sena', title: 'Steg klara efter sista dag, per månad', series: ['försenade'], unit: 'antal steg', rows: l.months.map((m) => ({ label: m.month, values: [m.late] })) });
  const monthRows = l.months.map((m) => [h(m.month), String(m.done), String(m.late)]);
  parts.push(`<section aria-labelledby="sena-h"><h3 id="sena-h">Steg klara efter sista dag</h3><div class="pair"><figure>${monthChart}</figure>${table('Steg klara per månad', ['Månad', 'Klara', 'Efter sista dag'], monthRows, [1, 2])}</div></section>`);
  return parts.join('');
}

export type ReportViewData = {
  quarter: { label: string; from: string; to: string };
  choices: string[];
  approaching: Awaited2<OverviewService['area']>['approaching'];
  rows: ReportRow[] | null;
  namnd: NamndSummary | null;
};

export function reportView(r: ReportViewData): string {
  const options = r.choices.map((c) => `<option value="${h(c)}"${c === r.quarter.label ? ' selected' : ''}>${h(c)}</option>`).join('');
  const parts = [
    '<h2>Ej verkställda beslut</h2>',
    `<form data-view="ej-verkstallda"><label for="kvartal">Kvartal</label> <select id="kvartal" name="kvartal">${options}</select> <button type="submit">Visa</button></form>`,
    approachingSection(r.approaching),
  ];
  if (r.rows === null || r.namnd === null) {
    parts.push('<p>Rapporten till IVO tas fram av verksamhetschef eller samordnare LSS/SoL för sitt område.</p>');
    return parts.join('');
  }
  const q = encodeURIComponent(r.quarter.label);
  parts.push(`<h3>Att rapportera för ${h(r.quarter.label)} (${h(r.quarter.from)} – ${h(r.quarter.to)})</h3>`);
  parts.push(
    `<ul><li><a href="/tab/api/rapport/ej-verkstallda.csv?kvartal=${q}" data-download="ej-verkstallda-${h(r.quarter.label)}.csv">Hämta rapporten som CSV</a></li><li><a href="/tab/api/rapport/ej-verkstallda.pdf?kvartal=${q}" data-download="ej-verkstallda-${h(r.quarter.label)}.pdf">Hämta rapporten som PDF</a></li><li><a href="/tab/api/rapport/namnd.csv?kvartal=${q}" data-download="ej-verkstallda-namnd-${h(r.quarter.label)}.csv">Hämta sammanställningen för nämnden (CSV)</a></li></ul>`,
  );
  if (r.rows.length === 0) parts.push('<p>Inga beslut att rapportera för kvartalet.</p>');
  else {
    const rows = r.rows.map((x) => [
      caseLink(x.caseRef, ''), x.kind === 'beslut' ? 'beslut' : 'avbrott', h(x.insats), h(x.lagrum), h(x.decisionDate), x.fodelsear === null ? '–' : String(x.fodelsear), h(x.kon ?? '–'),
      h(x.offers.map((o) => (o.declineReason ? `${o.date} (nej: ${o.declineReason})` : o.date)).join(', ') || '–'), h(x.doneOn ?? 'nej'), String(x.daysWaited),
    ]);
    parts.push(table(`Beslut att rapportera för ${r.quarter.label}`, ['Ärende', 'Typ', 'Insats', 'Lagrum', 'Beslut/avbrott', 'Födelseår', 'Kön', 'Erbjudanden', 'Verkställt', 'Dagar'], rows, [9]));
  }
  const bands = r.namnd.rows[0] ? Object.keys(r.namnd.rows[0].bands) : [];
  const namndRows = r.namnd.rows.map((n) => [h(n.insats), h(n.lagrum), ...bands.map((b) => String(n.bands[b] ?? 0)), String(n.total)]);
  parts.push(`<h3>Sammanställning för nämnden</h3>${namndRows.length === 0 ? '<p>Inget att sammanställa.</p>' : table(`Antal per insats och väntetid, ${r.quarter.label}`, ['Insats', 'Lagrum', ...bands.map((b) => `Väntat ${b}`), 'Totalt'], namndRows, bands.map((_, i) => i + 2).concat([bands.length + 2]))}`);
  return parts.join('');
}

export function timelineView(v: CaseView): string {
  const rows = v.timeline.map((t) => [h(t.title), t.status === 'done' ? 'klart' : t.status === 'open' ? (t.late ? '<span class="late">försenat</span>' : 'öppet') : h(t.status === 'skipped' ? 'hoppades över' : 'avbrutet'), dueText(t.due, false), h(t.completedAt?.slice(0, 10) ?? '–'), h(t.completedByName ?? t.holderName ?? '–')]);
  return `<h2>${h(v.caseRef)} ${h(v.clientInitials)}: ${h(v.routineTitle)}</h2><p>${v.status === 'closed' ? 'Avslutat ärende.' : 'Pågående ärende.'}</p>${table('Tidslinje', ['Steg', 'Läge', 'Sista dag', 'Klart', 'Vem'], rows)}<p><a href="#omrade">Tillbaka till området</a></p>`;
}

export function messageView(title: string, text: string): string {
  return `<h2>${h(title)}</h2><p>${h(text)}</p>`;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9åäö]+/g, '-').slice(0, 40);
}
