import { getResolvedPDFJS } from 'unpdf';
import { DEFAULT_LIMITS, ExtractError, withTimeout, type ExtractLimits } from './limits.ts';

type PositionedText = { str: string; x: number; y: number; width: number; size: number };

/**
 * Rebuilds reading lines from positioned text items. A PDF may draw every label first and every
 * value after (a table exported from Word), so stream order loses the pairing; sorting by y, then
 * x, gets the rows back. A wide horizontal gap becomes a tab: the column break of a table.
 */
export function itemsToLines(items: readonly PositionedText[]): string[] {
  const sorted = items.filter((i) => i.str !== '').sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: PositionedText[][] = [];
  for (const item of sorted) {
    const row = rows.at(-1);
    const rowY = row?.[0]?.y;
    const tolerance = Math.max(2, (item.size || 10) * 0.4);
    if (row && rowY !== undefined && Math.abs(rowY - item.y) <= tolerance) row.push(item);
    else rows.push([item]);
  }
  return rows.map((row) => {
    row.sort((a, b) => a.x - b.x);
    let line = '';
    let end: number | null = null;
    for (const item of row) {
      const gap = end === null ? 0 : item.x - end;
      const size = item.size || 10;
      if (end !== null && gap > size * 1.2) line += '\t';
      else if (end !== null && gap > size * 0.15 && !/\s$/.test(line) && !/^\s/.test(item.str)) line += ' ';
      line += item.str;
      end = item.x + item.width;
    }
    return line;
  });
}

type PdfJs = Awaited<ReturnType<typeof getResolvedPDFJS>>;
let pdfWorker: InstanceType<PdfJs['PDFWorker']> | undefined;

/**
 * One pdf.js worker for every document this thread reads. On Node pdf.js runs its "worker" in
 * this thread; left to itself it sets one up and tears it down for every document, which cost
 * more than reading a one-page BB. A document's destroy() leaves a worker it was given alone.
 */
function sharedWorker(pdfjs: PdfJs): InstanceType<PdfJs['PDFWorker']> {
  if (pdfWorker === undefined || pdfWorker.destroyed) pdfWorker = new pdfjs.PDFWorker({ verbosity: 0 });
  return pdfWorker;
}

/**
 * Opens a PDF for its text. pdf.js itself, not unpdf's getDocumentProxy: that one first resolves
 * "pdfjs-dist/package.json" for font and cMap URLs, a package unpdf bundles rather than installs,
 * so every PDF paid for a failed module resolution (on a loader thread under tsx) and got no URLs
 * from it anyway. bench:parse opens its floor's PDFs here too.
 */
export async function openPdf(bytes: Uint8Array) {
  const pdfjs = await getResolvedPDFJS();
  // pdf.js takes ownership of the buffer it gets; hand it a copy so the original can be forwarded.
  return pdfjs.getDocument({
    data: new Uint8Array(bytes),
    worker: sharedWorker(pdfjs),
    isEvalSupported: false,
    useSystemFonts: true,
    stopAtErrors: false,
    // Text only: no font faces to build, no warnings on stderr.
    disableFontFace: true,
    verbosity: 0,
  }).promise;
}

async function readPages(bytes: Uint8Array, limits: ExtractLimits, onDoc: (destroy: () => void) => void): Promise<string> {
  const pdf = await openPdf(bytes);
  onDoc(() => void pdf.destroy());
  try {
    const pages = Math.min(pdf.numPages, limits.maxPdfPages);
    const lines: string[] = [];
    for (let n = 1; n <= pages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const items: PositionedText[] = [];
      for (const it of content.items) {
        if (!('str' in it)) continue;
        const t = it.transform as number[];
        items.push({ str: it.str, x: t[4] ?? 0, y: t[5] ?? 0, width: it.width, size: Math.abs(t[3] ?? it.height) });
      }
      lines.push(...itemsToLines(items), '');
    }
    return lines.join('\n');
  } finally {
    void pdf.destroy();
  }
}

/** Text of a PDF with a text layer, rows rebuilt by position. Scanned PDFs give no text. */
export async function extractPdfText(bytes: Uint8Array, limits: ExtractLimits = DEFAULT_LIMITS): Promise<string> {
  if (bytes.length > limits.maxDocumentBytes) {
    throw new ExtractError('too_large', 'PDF-filen är för stor för att läsas.');
  }
  let destroy: (() => void) | undefined;
  try {
    const text = await withTimeout(readPages(bytes, limits, (d) => { destroy = d; }), limits.timeoutMs, 'PDF-filen', () => destroy?.());
    return text.slice(0, limits.maxTextChars);
  } catch (err) {
    if (err instanceof ExtractError) throw err;
    throw new ExtractError('unreadable', 'PDF-filen är skadad eller kan inte läsas.');
  }
}
