import type PDFKit from 'pdfkit';
import { once } from './once.ts';

// pdfkit brings fontkit, brotli and its font tables: about 2 MB of code that only a PDF needs,
// so it is loaded on the first PDF rather than at every start.
const pdfkit = once(() => import('pdfkit').then((m) => shareFontMetrics(m.default)));

type FontMetrics = { attributes: object; glyphWidths: object; boundingBoxes: object; kernPairs: object };
type AfmFontClass = { prototype: { parse: (this: FontMetrics, contents: string) => void } };

/**
 * pdfkit parses a standard font's metrics file (about 60 kB of text, thousands of kerning pairs)
 * each time a document first uses that font: the BB's copy without price (two fonts) spent most
 * of its drawing time there, in the parser's threads, for every mail. The parsed tables are only
 * read afterwards, so each font's are parsed once per thread and shared by later documents. The
 * parser is reached through a document's default font, pdfkit does not export it; should a
 * later pdfkit have another shape, the fonts are simply parsed as before.
 */
function shareFontMetrics<T extends new (options?: PDFKit.PDFDocumentOptions) => PDFKit.PDFDocument>(PDFDocument: T): T {
  const probe = new PDFDocument({ autoFirstPage: false }) as unknown as { _font?: { font?: { constructor?: unknown } } };
  const AfmFont = probe._font?.font?.constructor as AfmFontClass | undefined;
  const parse = AfmFont?.prototype.parse;
  if (!AfmFont || typeof parse !== 'function') return PDFDocument;
  const parsed = new Map<string, FontMetrics>();
  AfmFont.prototype.parse = function parseOnce(contents) {
    let metrics = parsed.get(contents);
    if (!metrics) {
      metrics = { attributes: {}, glyphWidths: {}, boundingBoxes: {}, kernPairs: {} };
      parse.call(metrics, contents);
      parsed.set(contents, metrics);
    }
    Object.assign(this, metrics);
  };
  return PDFDocument;
}

/** One PDF document in memory: `draw` writes the pages; the bytes come back once pdfkit ends. */
export async function renderPdf(options: PDFKit.PDFDocumentOptions, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const PDFDocument = await pdfkit();
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument(options);
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    draw(doc);
    doc.end();
  });
}
