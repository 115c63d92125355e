import { once } from '../../lib/once.ts';
import { DEFAULT_LIMITS, ExtractError, type ExtractLimits } from './limits.ts';

// Each reader (pdf.js, mammoth, html-to-text) loads when a document of its kind first comes, so
// `parse-bb` on a text file does not wait for all three.
const pdfReader = once(() => import('./pdf-text.ts'));
const docxReader = once(() => import('./docx-text.ts'));
const htmlReader = once(() => import('./html-text.ts'));

export type DocumentType = 'pdf' | 'docx' | 'html' | 'text';

export type DocumentInfo = { filename: string | null; contentType: string | null };

function startsWith(bytes: Uint8Array, magic: string): boolean {
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic.charCodeAt(i)) return false;
  return true;
}

/**
 * What a part really is. The bytes decide for PDF and zip; the name and content type only pick
 * between text forms, so a ".docx" that is really text is caught rather than trusted.
 */
export function detectDocumentType(bytes: Uint8Array, info: DocumentInfo): DocumentType | null {
  const name = (info.filename ?? '').toLowerCase();
  const type = (info.contentType ?? '').toLowerCase();
  const head = new TextDecoder().decode(bytes.subarray(0, 1024));
  if (head.includes('%PDF-')) return 'pdf';
  const saysDocx = name.endsWith('.docx') || type.includes('wordprocessingml');
  if (saysDocx) return 'docx'; // a wrong one fails in the zip check with a clear message
  if (name.endsWith('.pdf') || type === 'application/pdf') return 'pdf';
  if (startsWith(bytes, 'PK')) return null;
  if (name.endsWith('.html') || name.endsWith('.htm') || type === 'text/html') return 'html';
  if (name.endsWith('.txt') || type === 'text/plain') return 'text';
  if (/^\s*(<!doctype html|<html)/i.test(head)) return 'html';
  return null;
}

/** Decodes text bytes: UTF-8, or Windows-1252 when the bytes are not valid UTF-8 (old mailers). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Plain text of one document of any supported type; throws ExtractError when it cannot. */
export async function extractDocumentText(
  bytes: Uint8Array,
  info: DocumentInfo,
  limits: ExtractLimits = DEFAULT_LIMITS,
): Promise<{ type: DocumentType; text: string }> {
  const type = detectDocumentType(bytes, info);
  if (type === null) throw new ExtractError('unsupported', 'Filtypen stöds inte (PDF, Word, text eller HTML).');
  if (bytes.length > limits.maxDocumentBytes) {
    throw new ExtractError('too_large', 'Filen är för stor för att läsas.');
  }
  switch (type) {
    case 'pdf':
      return { type, text: await (await pdfReader()).extractPdfText(bytes, limits) };
    case 'docx':
      return { type, text: await (await docxReader()).extractDocxText(bytes, limits) };
    case 'html':
      return { type, text: (await htmlReader()).htmlToText(decodeText(bytes), limits) };
    case 'text':
      return { type, text: decodeText(bytes).slice(0, limits.maxTextChars) };
  }
}
