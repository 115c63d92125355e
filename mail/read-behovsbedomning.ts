import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseBehovsbedomningText } from '../domain/behovsbedomning/parse.ts';
import type { BbParseResult } from '../domain/behovsbedomning/types.ts';
import { extractDocumentText } from './extract/document-text.ts';
import type { MailPart } from './extract/eml.ts';
import { DEFAULT_LIMITS, ExtractError, type ExtractLimits } from './extract/limits.ts';
import { once } from '../lib/once.ts';

export type BbIntake = {
  result: BbParseResult;
  /** The part the result came from (to forward "as received"); null when no part was readable. */
  part: MailPart | null;
  /** Swedish notes on parts that could not be read (too large, damaged); no personal data. */
  problems: string[];
  timings: { extractionMs: number; totalMs: number };
  /** The copy without price, rendered in the parser's worker for the reference the BB names. */
  copy?: { caseRef: string; pdf: Buffer };
};

export type ReadOptions = { limits?: ExtractLimits };

// The MIME parser loads with the first mail: a bare document never needs it.
const mimeModule = once(() => import('./extract/eml.ts'));

function score(result: BbParseResult): number {
  if (result.ok) return Number.MAX_SAFE_INTEGER;
  return -(result.missing.length + result.invalid.length);
}

function withProblems(result: BbParseResult, problems: readonly string[]): BbParseResult {
  if (result.ok || problems.length === 0) return result;
  return { ...result, message: `${result.message} ${problems.join(' ')}`.trim() };
}

/**
 * Finds and parses the behovsbedömning in a whole mail (.eml bytes). Every candidate part is
 * parsed and the best result wins, so a second attachment, a forwarded mail or a signature
 * picture cannot hide the BB. Throws ExtractError only when the mail itself cannot be read.
 */
export async function readBehovsbedomningFromMail(raw: Buffer, opts: ReadOptions = {}): Promise<BbIntake> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const started = performance.now();
  let extractionMs = 0;
  const { listMailParts } = await mimeModule();
  const parts = await listMailParts(raw, limits);
  const problems: string[] = [];
  let best: { result: BbParseResult; part: MailPart } | null = null;
  for (const part of parts) {
    let text: string;
    const t0 = performance.now();
    try {
      ({ text } = await extractDocumentText(part.content, part, limits));
    } catch (err) {
      if (!(err instanceof ExtractError)) throw err;
      // Unsupported extra attachments (a spreadsheet) are not worth a note; broken ones are.
      if (err.code !== 'unsupported') problems.push(`${part.filename ?? 'Mejltexten'}: ${err.message}`);
      continue;
    } finally {
      extractionMs += performance.now() - t0;
    }
    const result = parseBehovsbedomningText(text);
    if (best === null || score(result) > score(best.result)) best = { result, part };
    if (result.ok) break;
  }
  // No readable part: report it as a document with every required field missing.
  const result: BbParseResult = best?.result ?? parseBehovsbedomningText('');
  return {
    result: withProblems(result, problems),
    part: best?.part ?? null,
    problems,
    timings: { extractionMs, totalMs: performance.now() - started },
  };
}

/**
 * Reads a BB from a file: a whole mail (.eml) or a bare document (.pdf, .docx, .txt, .html).
 * Throws ExtractError when the file cannot be read at all.
 */
export async function readBehovsbedomningFromFile(path: string, opts: ReadOptions = {}): Promise<BbIntake> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new ExtractError('unreadable', 'Filen finns inte eller kan inte läsas.');
  }
  const isMail = extname(path).toLowerCase() === '.eml';
  if (size > (isMail ? limits.maxMailBytes : limits.maxDocumentBytes)) {
    throw new ExtractError('too_large', 'Filen är för stor för att läsas.');
  }
  const bytes = await readFile(path);
  if (isMail) return readBehovsbedomningFromMail(bytes, opts);
  const started = performance.now();
  const part: MailPart = { source: 'attachment', filename: path.split(/[\\/]/).pop() ?? null, contentType: '', content: bytes };
  const { text } = await extractDocumentText(bytes, part, limits);
  const extractionMs = performance.now() - started;
  return {
    result: parseBehovsbedomningText(text),
    part,
    problems: [],
    timings: { extractionMs, totalMs: performance.now() - started },
  };
}
