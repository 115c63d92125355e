import { describe, expect, it } from 'vitest';
import { extractPdfText } from '../../../mail/extract/pdf-text.ts';
import { ExtractError } from '../../../mail/extract/limits.ts';
import { renderPdf } from '../../../lib/pdf.ts';

function pdfOf(lines: readonly string[]): Promise<Buffer> {
  return renderPdf({}, (doc) => {
    for (const line of lines) doc.text(line);
  });
}

// Every document in a thread shares one pdf.js worker: one document must never see another's
// text, and one that fails must not spoil the next.
describe('PDF text through the shared pdf.js worker', () => {
  it('reads each document as its own, also when several are read at once', async () => {
    const pdfs = await Promise.all(Array.from({ length: 6 }, (_, i) => pdfOf([`Ref: FF-2026-000${i}`, `Dygnspris: ${1000 + i} kr`])));
    const texts = await Promise.all(pdfs.map((pdf) => extractPdfText(pdf)));
    texts.forEach((text, i) => {
      expect(text).toContain(`Ref: FF-2026-000${i}`);
      expect(text).toContain(`Dygnspris: ${1000 + i} kr`);
      expect(text.match(/Ref:/g)).toHaveLength(1);
    });
  });

  it('reads the next document after one that could not be read', async () => {
    const good = await pdfOf(['Ref: FF-2026-0142']);
    await expect(extractPdfText(Buffer.from('not a pdf at all'))).rejects.toBeInstanceOf(ExtractError);
    expect(await extractPdfText(good)).toContain('Ref: FF-2026-0142');
  });
});
