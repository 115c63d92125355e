import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBbCopyPdf } from '../../mail/bb-copy-pdf.ts';
import { extractPdfText } from '../../mail/extract/pdf-text.ts';
import { ExtractError } from '../../mail/extract/limits.ts';
import { readBehovsbedomningFromFile, readBehovsbedomningFromMail } from '../../mail/read-behovsbedomning.ts';
import type { BbParseResult } from '../../domain/behovsbedomning/types.ts';
import { generateCase, generateMatrix, type Expected } from '../fixtures/bb-generator.ts';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'bb-intake-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const comparable = (r: BbParseResult | Expected): unknown =>
  r.ok ? r : { ok: false, missing: [...r.missing].sort(), invalid: [...r.invalid].sort() };

/** The read's result, or the error it failed with. */
async function settled<T>(work: Promise<T>): Promise<{ value: T | Error }> {
  try {
    return { value: await work };
  } catch (err) {
    return { value: err as Error };
  }
}

function mail(attachments: Array<{ filename: string; content: Buffer | string; contentType?: string }>, html?: string): Promise<Buffer> {
  return new MailComposer({ from: 'pl@kommun.example', to: 'bb@kommun.example', subject: 'BB', text: 'Se bifogat.', ...(html ? { html } : {}), attachments })
    .compile().build();
}

describe('BB intake from real mails and documents', () => {
  it('parses every generated format and mail shape to its expected result', async () => {
    for (const c of await generateMatrix(3)) {
      const path = join(dir, c.fileName);
      await writeFile(path, c.bytes);
      const intake = await readBehovsbedomningFromFile(path);
      expect(comparable(intake.result), c.id).toEqual(comparable(c.expected));
    }
  });

  it('reports which part held the BB, with its bytes as received, and the timings', async () => {
    const c = await generateCase(5, 1, { format: 'pdf', wrapper: 'mail-extra-attachment', flaw: 'none' });
    const intake = await readBehovsbedomningFromMail(c.bytes);
    expect(intake.result.ok).toBe(true);
    expect(intake.part).toMatchObject({ source: 'attachment', contentType: 'application/pdf' });
    expect(intake.part?.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(intake.timings.totalMs).toBeGreaterThanOrEqual(intake.timings.extractionMs);
  });

  it('writes a copy without any price text, titled as a copy', async () => {
    for (let i = 0; i < 12; i++) {
      const c = await generateCase(9, i, { format: 'txt', wrapper: 'bare', flaw: 'none' });
      if (!c.expected.ok) continue;
      const bb = c.expected.bb;
      const text = await extractPdfText(await renderBbCopyPdf(bb));
      expect(text).toContain('KOPIA UTAN PRISUPPGIFTER');
      expect(text).toContain(bb.caseRef);
      expect(text).toMatch(/BB-poäng/);
      expect(text).not.toMatch(/boendepris|dygnspris|barntillägg|grundpris|pris per dygn|(?<!\p{L})(kr|sek)(?!\p{L})/iu);
      const amounts = [bb.housingPrice, bb.childSupplement, bb.statedDailyPrice, bb.dailyPrice].filter((n): n is number => n !== null && n > 0);
      for (const n of amounts) {
        const [kr = '', ore = '00'] = n.toFixed(2).split('.');
        for (const form of [`${kr},${ore}`, `${kr}.${ore}`, kr.replace(/\B(?=(\d{3})+(?!\d))/g, ' ') + `,${ore}`]) {
          expect(text, `${c.id} leaks ${form}`).not.toContain(form);
        }
      }
    }
  });
});

// How fast such input is read is bench:hostile's figure, not a timed assertion here; a read that
// ran away (a pathological pattern, a decompression bomb) fails these tests by their timeout.
describe('malformed input fails cleanly', () => {
  it('a truncated PDF is unreadable, not a crash', async () => {
    const c = await generateCase(4, 0, { format: 'pdf', wrapper: 'bare', flaw: 'none' });
    const path = join(dir, 'truncated.pdf');
    await writeFile(path, c.bytes.subarray(0, Math.floor(c.bytes.length / 3)));
    const { value } = await settled(readBehovsbedomningFromFile(path));
    // Either pdf.js refuses it, or it yields no text and the parse names every field missing.
    if (value instanceof Error) expect(value).toBeInstanceOf(ExtractError);
    else expect(value.result.ok).toBe(false);
  });

  it('a DOCX that is a renamed text file is an unreadable file', async () => {
    const path = join(dir, 'fake.docx');
    await writeFile(path, 'Det här är bara text.');
    const { value } = await settled(readBehovsbedomningFromFile(path));
    expect(value).toBeInstanceOf(ExtractError);
    expect((value as ExtractError).code).toBe('unreadable');
  });

  it('a 20 MB attachment is skipped with a reason and the BB beside it still parses', async () => {
    const bb = await generateCase(6, 0, { format: 'docx', wrapper: 'bare', flaw: 'none' });
    const raw = await mail([
      { filename: 'stor.pdf', content: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20 * 1024 * 1024, 0x20)]) },
      { filename: 'Behovsbedomning.docx', content: bb.bytes },
    ]);
    const { value } = await settled(readBehovsbedomningFromMail(raw));
    if (value instanceof Error) throw value;
    expect(comparable(value.result)).toEqual(comparable(bb.expected));
    expect(value.problems.join(' ')).toMatch(/för stor/);
  });

  it('a 20 MB attachment alone gives a clean failure naming the reason', async () => {
    const raw = await mail([{ filename: 'stor.pdf', content: Buffer.alloc(20 * 1024 * 1024, 0x41), contentType: 'application/pdf' }]);
    const { value } = await settled(readBehovsbedomningFromMail(raw));
    if (value instanceof Error) throw value;
    expect(value.result.ok).toBe(false);
    expect(value.result.ok ? '' : value.result.message).toMatch(/för stor/);
  });

  it('an HTML bomb (deep nesting, huge body) is refused quickly', async () => {
    const deep = `<html><body>${'<div>'.repeat(50_000)}Namn: X${'</div>'.repeat(50_000)}</body></html>`;
    const wide = `<html><body><table>${'<tr><td>Tillsyn</td><td>0,1</td></tr>'.repeat(200_000)}</table></body></html>`;
    for (const html of [deep, wide]) {
      const path = join(dir, 'bomb.html');
      await writeFile(path, html);
      const { value } = await settled(readBehovsbedomningFromFile(path));
      if (value instanceof Error) expect(value).toBeInstanceOf(ExtractError);
      else expect(value.result.ok).toBe(false);
      const { value: fromMail } = await settled(readBehovsbedomningFromMail(await mail([], html)));
      expect(fromMail instanceof Error ? fromMail : fromMail.result.ok).not.toBe(true);
    }
  });
});
