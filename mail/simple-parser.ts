import type { ParsedMail, SimpleParserOptions } from 'mailparser';
import { once } from '../lib/once.ts';

// mailparser brings its charset tables (iconv-lite, encoding-japanese) and libmime: loaded with
// the first mail that needs it rather than at every start.
const mailparser = once(() => import('mailparser'));

/** mailparser's simpleParser, loaded on first use. */
export async function simpleParser(source: Buffer | string, options?: SimpleParserOptions): Promise<ParsedMail> {
  const { simpleParser: parse } = await mailparser();
  return parse(source, options);
}
