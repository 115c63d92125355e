/**
 * A light MIME walk for the mails a BB usually comes in (what Outlook and nodemailer write:
 * multiparts of text, HTML and attachments in base64 or quoted-printable, UTF-8 text), giving
 * exactly the parts mailparser would, in a fraction of its time (mailparser pipes every mail
 * through a chain of streams, about 2 ms even for a small one). Anything else, or anything in
 * doubt, is declined (undefined) and the caller uses mailparser: forwarded mails (message/*),
 * other charsets, format=flowed, encoded or RFC 2231 file names, octet-stream attachments (whose
 * type mailparser guesses from the name), malformed structure, and mails beyond small bounds.
 * test/unit/mail/mime-walk.test.ts compares the two on the generated corpus and the samples.
 */

const MAX_BYTES = 512 * 1024;
const MAX_PARTS = 32;
const MAX_DEPTH = 4;
const MAX_HEADER_LINES = 200;
const TEXT_TYPES = new Set(['text/plain', 'text/html']);

type Header = { value: string; params: Map<string, string> };
type Leaf = { kind: 'leaf'; type: string; inline: boolean; filename: string | null; content: Buffer; root: boolean };
type Multi = { kind: 'multi'; type: string; children: Node[] };
type Node = Leaf | Multi;

class Decline extends Error {}
const decline = (): never => {
  throw new Decline();
};

/** "type/sub; a=b; c=\"d\"": the value and its parameters; declines on anything unusual. */
function parseHeaderValue(raw: string): Header {
  const [value = '', ...rest] = splitParams(raw);
  const plain = new Map<string, string>();
  const starred = new Map<string, Array<{ n: number; extended: boolean; v: string }>>();
  for (const p of rest) {
    if (p.trim() === '') continue;
    const eq = p.indexOf('=');
    if (eq < 0) decline();
    const key = p.slice(0, eq).trim().toLowerCase();
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"')) {
      if (!v.endsWith('"') || v.length < 2) decline();
      v = v.slice(1, -1);
      if (v.includes('\\') || v.includes('"')) decline();
    } else if (/[\s"]/.test(v)) {
      decline();
    }
    // RFC 2231: name*=utf-8''B%C3%B6, or in pieces name*0*=…; name*1*=…
    const m = /^([a-z0-9._-]+)\*(?:(\d{1,2})(\*)?)?$/.exec(key);
    if (m) {
      const base = m[1] ?? '';
      const list = starred.get(base) ?? [];
      list.push({ n: m[2] === undefined ? 0 : Number(m[2]), extended: m[2] === undefined || m[3] === '*', v });
      starred.set(base, list);
      continue;
    }
    if (!/^[a-z0-9._-]+$/.test(key) || plain.has(key)) decline();
    plain.set(key, v);
  }
  for (const [base, pieces] of starred) {
    if (plain.has(base)) decline();
    pieces.sort((a, b) => a.n - b.n);
    if (pieces.some((piece, i) => piece.n !== i || piece.extended !== pieces[0]?.extended)) decline();
    if (!pieces[0]?.extended) {
      plain.set(base, pieces.map((piece) => piece.v).join(''));
      continue;
    }
    const joined = pieces.map((piece) => piece.v).join('');
    const first = /^([a-z0-9-]*)'[a-z-]*'(.*)$/i.exec(joined);
    if (!first || !['utf-8', 'utf8', 'us-ascii', ''].includes((first[1] ?? '').toLowerCase())) decline();
    const encoded = first?.[2] ?? '';
    if (/%(?![0-9A-Fa-f]{2})/.test(encoded)) decline();
    const bytes = Buffer.from(encoded.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
    plain.set(base, bytes.toString('utf8'));
  }
  return { value: value.trim().toLowerCase(), params: plain };
}

/** Splits on ';' outside quotes; declines on comments. */
function splitParams(raw: string): string[] {
  if (raw.includes('(')) decline();
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of raw) {
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (quoted) decline();
  out.push(cur);
  return out;
}

/** The header block (as latin1 text) into lower-cased names; a name given twice that matters declines. */
function parseHeaders(block: string): Map<string, string> {
  const lines = block.split(/\r?\n/);
  if (lines.length > MAX_HEADER_LINES) decline();
  const headers = new Map<string, string>();
  let name: string | null = null;
  for (const line of lines) {
    if (line === '') continue;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (name === null) decline();
      if (name !== null && headers.has(name)) headers.set(name, `${headers.get(name) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) decline();
    const key = line.slice(0, colon).trim().toLowerCase();
    if (key.startsWith('content-')) {
      if (headers.has(key)) decline();
      headers.set(key, line.slice(colon + 1).trim());
      name = key;
    } else {
      name = null;
    }
  }
  return headers;
}

/** libqp's decoding (what mailparser uses), without its regex that is quadratic on long blank runs. */
function decodeQuotedPrintable(body: Buffer): Buffer {
  const lines = body.toString('latin1').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    let end = line.length;
    while (end > 0 && (line.charCodeAt(end - 1) === 0x20 || line.charCodeAt(end - 1) === 0x09)) end--;
    lines[i] = end === line.length ? line : line.slice(0, end);
  }
  const text = lines.join('\n').replace(/=(?:\r?\n|$)/g, '');
  if (/=(?![0-9A-Fa-f]{2})/.test(text)) decline();
  return Buffer.from(text.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
}

function decodeBody(body: Buffer, encoding: string): Buffer {
  switch (encoding) {
    case '':
    case '7bit':
    case '8bit':
    case 'binary':
      return body;
    case 'base64': {
      const text = body.toString('latin1');
      if (!/^[A-Za-z0-9+/=\r\n]*$/.test(text)) decline();
      const compact = text.replace(/[\r\n]/g, '');
      if (compact.length % 4 !== 0 || /=[^=]/.test(compact)) decline();
      return Buffer.from(compact, 'base64');
    }
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return decline();
  }
}

/** Index just past the header block's blank line, and where the block ends. */
function splitHead(bytes: Buffer): { headEnd: number; bodyStart: number } {
  const crlf = bytes.indexOf('\r\n\r\n');
  const lf = bytes.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headEnd: crlf, bodyStart: crlf + 4 };
  if (lf >= 0) return { headEnd: lf, bodyStart: lf + 2 };
  return decline();
}

/** The bodies between the boundary lines of a multipart (preamble and epilogue dropped). */
function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const text = body.toString('latin1');
  const delimiter = `--${boundary}`;
  const parts: Buffer[] = [];
  let start = -1;
  let pos = 0;
  let closed = false;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(pos, end).replace(/\r$/, '');
    if (line.startsWith(delimiter)) {
      const tail = line.slice(delimiter.length);
      const isClose = tail.startsWith('--');
      if ((isClose ? tail.slice(2) : tail).trim() !== '') decline();
      // The line break before a boundary belongs to the boundary.
      if (start >= 0) {
        let stop = pos;
        if (text[stop - 1] === '\n') stop--;
        if (text[stop - 1] === '\r') stop--;
        parts.push(body.subarray(start, Math.max(start, stop)));
      }
      if (isClose) {
        closed = true;
        break;
      }
      start = nl < 0 ? text.length : nl + 1;
    }
    if (nl < 0) break;
    pos = nl + 1;
  }
  if (!closed || parts.length === 0) decline();
  return parts;
}

function walk(bytes: Buffer, depth: number, root: boolean, count: { parts: number }): Node {
  if (depth > MAX_DEPTH || ++count.parts > MAX_PARTS) decline();
  let head: string;
  let body: Buffer;
  if (!root && (bytes[0] === 0x0a || (bytes[0] === 0x0d && bytes[1] === 0x0a))) {
    head = '';
    body = bytes.subarray(bytes[0] === 0x0a ? 1 : 2);
  } else {
    const { headEnd, bodyStart } = splitHead(bytes);
    head = bytes.subarray(0, headEnd).toString('latin1');
    body = bytes.subarray(bodyStart);
  }
  const headers = parseHeaders(head);
  const typeHeader = headers.get('content-type');
  if (typeHeader === undefined) decline();
  const type = parseHeaderValue(typeHeader ?? '');
  if (!/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(type.value)) decline();
  if (type.value.startsWith('multipart/')) {
    const boundary = type.params.get('boundary');
    if (!boundary || headers.has('content-transfer-encoding') && !/^(7bit|8bit|binary)$/i.test(headers.get('content-transfer-encoding') ?? '')) decline();
    return { kind: 'multi', type: type.value, children: splitMultipart(body, boundary ?? '').map((p) => walk(p, depth + 1, false, count)) };
  }
  if (type.value.startsWith('message/') || type.value === 'application/octet-stream') decline();
  const dispositionHeader = headers.get('content-disposition');
  const disposition = dispositionHeader === undefined ? null : parseHeaderValue(dispositionHeader);
  let inline: boolean;
  if (disposition !== null && disposition.value !== '') {
    inline = disposition.value === 'inline' && TEXT_TYPES.has(type.value);
  } else {
    inline = TEXT_TYPES.has(type.value);
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase().trim();
  const content = decodeBody(body, encoding);
  if (inline) {
    const charset = (type.params.get('charset') ?? '').toLowerCase();
    if (!['', 'utf-8', 'utf8', 'us-ascii', 'ascii'].includes(charset)) decline();
    const format = type.params.get('format');
    if (format !== undefined && format.toLowerCase().trim() === 'flowed') decline();
  }
  const filename = disposition?.params.get('filename') || type.params.get('name') || null;
  // mailparser decodes encoded words (=?UTF-8?Q?…?=) in the name it takes: not modelled here.
  if (filename !== null && (filename.includes('=?') || filename.includes('\uFFFD'))) decline();
  return { kind: 'leaf', type: type.value, inline, filename, content, root };
}

/**
 * The attachments, HTML and text of a mail as mailparser (simpleParser with the options
 * eml.ts gives it) would list them, or undefined when this walk does not take the mail.
 */
export function walkCommonMail(raw: Buffer): { attachments: Array<{ filename: string | null; contentType: string; content: Buffer }>; html?: string; text?: string } | undefined {
  if (raw.length > MAX_BYTES) return undefined;
  let tree: Node;
  try {
    tree = walk(raw, 0, true, { parts: 0 });
  } catch (err) {
    if (err instanceof Decline) return undefined;
    throw err;
  }
  const attachments: Array<{ filename: string | null; contentType: string; content: Buffer }> = [];
  let hasText = false;
  let hasHtml = false;
  const leaves = (n: Node): Leaf[] => (n.kind === 'leaf' ? [n] : n.children.flatMap(leaves));
  for (const leaf of leaves(tree)) {
    if (!leaf.inline) attachments.push({ filename: leaf.filename, contentType: leaf.type, content: leaf.content });
    else if (leaf.type === 'text/plain') hasText = true;
    else hasHtml = true;
  }
  // mailparser's getTextContent with skipTextToHtml and skipHtmlToText.
  const text: string[] = [];
  const html: string[] = [];
  const visit = (n: Node, alternative: boolean): void => {
    if (n.kind === 'leaf') {
      if (!n.inline) return;
      const content = n.content.toString().replace(/\r?\n/g, '\n');
      if (content === '') return;
      if (n.type === 'text/plain') {
        text.push(content);
        if (!alternative && hasHtml) html.push('');
      } else {
        if ((!alternative && hasText) || (n.root && !hasText)) text.push('');
        html.push(content);
      }
      return;
    }
    const alt = alternative || n.type === 'multipart/alternative';
    for (const c of n.children) visit(c, alt);
  };
  visit(tree, false);
  return {
    attachments,
    ...(html.length > 0 ? { html: html.join('<br/>\n') } : {}),
    ...(text.length > 0 ? { text: text.join('\n') } : {}),
  };
}
