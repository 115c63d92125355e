import { simpleParser } from '../simple-parser.ts';
import { DEFAULT_LIMITS, ExtractError, type ExtractLimits } from './limits.ts';
import { walkCommonMail } from './mime-walk.ts';

/** One part of a mail that might hold the BB, with its bytes exactly as received. */
export type MailPart = {
  source: 'attachment' | 'html-body' | 'text-body';
  filename: string | null;
  contentType: string;
  content: Buffer;
};

// Parts that never carry a BB: pictures (signature logos), signatures, calendar and contact cards.
const NEVER_BB = /^(image\/|audio\/|video\/|application\/(pkcs7-signature|x-pkcs7-signature|pgp-signature|ics)|text\/(calendar|vcard|x-vcard))/i;

function isCandidate(att: { contentType: string; filename: string | null }): boolean {
  if (NEVER_BB.test(att.contentType)) return false;
  const name = (att.filename ?? '').toLowerCase();
  return !/\.(png|jpe?g|gif|bmp|svg|p7s|ics|vcf)$/.test(name);
}

/**
 * The parts of a mail that may hold a BB: attachments first (also those of a forwarded mail,
 * which mailparser lifts to the top level), then the HTML body (keeps tables), then plain text.
 */
export async function listMailParts(raw: Buffer, limits: ExtractLimits = DEFAULT_LIMITS): Promise<MailPart[]> {
  if (raw.length > limits.maxMailBytes) {
    throw new ExtractError('too_large', 'Mejlet är för stort för att läsas.');
  }
  // Most mails take the light walk; the rest (forwarded mails, other charsets …) mailparser.
  let parsed = walkCommonMail(raw);
  if (parsed === undefined) parsed = await parseWithMailparser(raw, limits);
  const parts: MailPart[] = parsed.attachments.filter(isCandidate).map((att) => ({
    source: 'attachment',
    filename: att.filename ?? null,
    contentType: att.contentType,
    content: att.content,
  }));
  if (typeof parsed.html === 'string' && parsed.html.trim() !== '') {
    parts.push({ source: 'html-body', filename: null, contentType: 'text/html', content: Buffer.from(parsed.html, 'utf8') });
  }
  if (parsed.text !== undefined && parsed.text.trim() !== '') {
    parts.push({ source: 'text-body', filename: null, contentType: 'text/plain', content: Buffer.from(parsed.text, 'utf8') });
  }
  return parts;
}

type WalkedMail = NonNullable<ReturnType<typeof walkCommonMail>>;

async function parseWithMailparser(raw: Buffer, limits: ExtractLimits): Promise<WalkedMail> {
  let parsed;
  try {
    parsed = await simpleParser(raw, {
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipHtmlToText: true,
      maxHtmlLengthToParse: limits.maxHtmlChars,
    });
  } catch {
    throw new ExtractError('unreadable', 'Mejlet kan inte tolkas (trasig MIME-struktur).');
  }
  return {
    attachments: parsed.attachments.map((att) => ({ filename: att.filename ?? null, contentType: att.contentType, content: att.content })),
    ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
    ...(parsed.text !== undefined ? { text: parsed.text } : {}),
  };
}
