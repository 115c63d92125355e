import { escapeHtml } from '../lib/html.ts';

/** Series colours with at least 3:1 contrast against white (WCAG 2.1 1.4.11). */
const COLOURS = ['#0b57a4', '#5c2d91'];

export type ChartRow = { label: string; values: Array<number | null> };

/**
 * A horizontal bar chart as inline SVG. It is a picture of the table printed beside it (the
 * table is what a screen reader reads), so the SVG is one labelled image; each bar carries its
 * label and value as data attributes, which the browser test compares with the table.
 */
export function barChart(p: { id: string; title: string; series: readonly string[]; rows: readonly ChartRow[]; unit: string }): string {
  const rowHeight = 14 * p.series.length + 10;
  const labelWidth = 260;
  const plotWidth = 360;
  const max = Math.max(1, ...p.rows.flatMap((r) => r.values.map((v) => v ?? 0)));
  const height = p.rows.length * rowHeight + 30;
  const bars = p.rows
    .map((r, i) => {
      const y = 24 + i * rowHeight;
      const label = `<text x="${labelWidth - 6}" y="${y + 11}" text-anchor="end" font-size="11">${escapeHtml(r.label.length > 42 ? `${r.label.slice(0, 40)}…` : r.label)}</text>`;
      const series = r.values
        .map((v, s) => {
          const w = v === null ? 0 : Math.max(1, Math.round((v / max) * plotWidth));
          const by = y + s * 14;
          return `<rect x="${labelWidth}" y="${by}" width="${w}" height="12" fill="${COLOURS[s % COLOURS.length]}" data-label="${escapeHtml(r.label)}" data-series="${escapeHtml(p.series[s] ?? '')}" data-value="${v ?? ''}"></rect><text x="${labelWidth + w + 4}" y="${by + 10}" font-size="10">${v ?? '–'}</text>`;
        })
        .join('');
      return label + series;
    })
    .join('');
  const legend = p.series.map((s, i) => `<rect x="${labelWidth + i * 130}" y="4" width="10" height="10" fill="${COLOURS[i % COLOURS.length]}"></rect><text x="${labelWidth + 14 + i * 130}" y="13" font-size="11">${escapeHtml(s)}</text>`).join('');
  return `<svg id="${escapeHtml(p.id)}" role="img" aria-labelledby="${escapeHtml(p.id)}-t" width="${labelWidth + plotWidth + 50}" height="${height}" viewBox="0 0 ${labelWidth + plotWidth + 50} ${height}" xmlns="http://www.w3.org/2000/svg"><title id="${escapeHtml(p.id)}-t">${escapeHtml(p.title)} (${escapeHtml(p.unit)}); samma siffror finns i tabellen bredvid</title>${legend}${bars}</svg>`;
}
