/**
 * Reads Authentication-Results headers (RFC 8601) in time linear in their length. Only the
 * receiving gateway's own header is believed: it is found by its authserv-id, and the gateway
 * must remove headers carrying that id from incoming mail (RFC 8601 §5), so a sender cannot
 * write one of their own.
 */

export type AuthResult = { method: string; result: string; props: Record<string, string> };
export type AuthResults = { servId: string; results: AuthResult[] };

/** Longer headers are cut: a real one is a few hundred characters. */
const MAX_HEADER_CHARS = 8 * 1024;
const MAX_RESULTS = 32;

const RESULT = /^([a-z0-9_-]{1,32})(?:\s*\/\s*\d{1,3})?\s*=\s*([a-z0-9_-]{1,32})/i;
const PROP = /([a-z0-9_-]{1,32})\.([a-z0-9_-]{1,32})\s*=\s*("[^"]{0,512}"|[^\s"]{1,512})/gi;

/** The topmost header carrying `servId`, parsed; undefined when there is none. */
export function trustedAuthResults(values: readonly string[], servId: string): AuthResults | undefined {
  for (const value of values) {
    const parsed = parseAuthResults(value);
    if (parsed && parsed.servId.toLowerCase() === servId.toLowerCase()) return parsed;
  }
  return undefined;
}

function parseAuthResults(value: string): AuthResults | undefined {
  const segments = stripComments(value.slice(0, MAX_HEADER_CHARS)).split(';');
  const servId = segments[0]?.trim().split(/\s+/)[0];
  if (!servId) return undefined;
  const results: AuthResult[] = [];
  for (const segment of segments.slice(1, 1 + MAX_RESULTS)) {
    const trimmed = segment.trim();
    const m = RESULT.exec(trimmed);
    if (!m?.[1] || !m[2]) continue;
    const props: Record<string, string> = {};
    for (const p of trimmed.slice(m[0].length).matchAll(PROP)) {
      if (p[1] && p[2] && p[3]) props[`${p[1].toLowerCase()}.${p[2].toLowerCase()}`] = p[3].replace(/^"|"$/g, '');
    }
    results.push({ method: m[1].toLowerCase(), result: m[2].toLowerCase(), props });
  }
  return { servId, results };
}

/** Drops (nested) comments in one pass; a quoted string keeps its parentheses. */
function stripComments(s: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      if (depth === 0) out += s.slice(i, i + 2);
      i++;
      continue;
    }
    if (depth === 0 && c === '"') quoted = !quoted;
    if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return out;
}
