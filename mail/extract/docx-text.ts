import mammoth from 'mammoth';
import { htmlToText } from './html-text.ts';
import { DEFAULT_LIMITS, ExtractError, withTimeout, type ExtractLimits } from './limits.ts';

/**
 * Sum of the uncompressed sizes in a zip's central directory, read before inflating anything,
 * so a zip bomb named .docx is refused instead of filling memory. Null when it is not a zip.
 */
export function zipInflatedSize(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stop = Math.max(0, bytes.length - 65_557);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (view.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) return null;
  const entries = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== 0x02014b50) return null;
    const size = view.getUint32(offset + 24, true);
    if (size === 0xffffffff) return Number.POSITIVE_INFINITY; // zip64: far beyond a BB
    total += size;
    offset += 46 + view.getUint16(offset + 28, true) + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
  }
  return total;
}

/**
 * Text of a Word document. Goes through mammoth's HTML, not its raw text: raw text puts every
 * table cell in its own paragraph, HTML keeps a row ("Namn | Elin Berg") together.
 */
export async function extractDocxText(bytes: Uint8Array, limits: ExtractLimits = DEFAULT_LIMITS): Promise<string> {
  if (bytes.length > limits.maxDocumentBytes) {
    throw new ExtractError('too_large', 'Word-filen är för stor för att läsas.');
  }
  const inflated = zipInflatedSize(bytes);
  if (inflated === null) throw new ExtractError('unreadable', 'Filen är inte ett giltigt Word-dokument (docx).');
  if (inflated > limits.maxDocxInflatedBytes) {
    throw new ExtractError('too_large', 'Word-filen packas upp till för stor storlek för att läsas.');
  }
  try {
    const result = await withTimeout(
      mammoth.convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }),
      limits.timeoutMs,
      'Word-filen',
    );
    return htmlToText(result.value, limits);
  } catch (err) {
    if (err instanceof ExtractError) throw err;
    throw new ExtractError('unreadable', 'Word-filen är skadad eller kan inte läsas.');
  }
}
