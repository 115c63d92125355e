import type PDFKit from 'pdfkit';
import { once } from './once.ts';

// pdfkit brings fontkit, brotli and its font tables: about 2 MB of code that only a PDF needs,
// so it is loaded on the first PDF rather than at every start.
const pdfkit = once(() => import('pdfkit').then((m) => m.default));

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
