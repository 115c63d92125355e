import { parse } from 'csv-parse/sync';

/** One record of an import file, with the line it starts on so problems point at the file. */
export type TableRecord = { line: number; value: Record<string, unknown> };
export type TableProblem = { line: number; message: string };

/** Import files are staff, provider and unit registers: far below this. */
const MAX_TABLE_FILE_BYTES = 5 * 1024 * 1024;

/**
 * The one reader of import files: a JSON array of objects, or CSV with a header row (RFC 4180
 * through csv-parse: quoted fields, doubled quotes, separators and line breaks inside quotes).
 * The separator is `;` (Swedish Excel) or `,`, whichever the header row uses more; a value may
 * then hold the other one (care mailboxes separated by `;` in a `,` file).
 */
export function readTableFile(text: string, fileName: string): TableRecord[] | TableProblem {
  if (Buffer.byteLength(text) > MAX_TABLE_FILE_BYTES) return { line: 0, message: `filen är större än ${MAX_TABLE_FILE_BYTES / 1024 / 1024} MB` };
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return { line: 1, message: 'filen är tom' };
  if (fileName.toLowerCase().endsWith('.json') || trimmed.startsWith('[')) return readJsonArray(trimmed);
  const header = trimmed.slice(0, trimmed.search(/\r?\n|$/));
  const delimiter = count(header, ';') > count(header, ',') ? ';' : ',';
  let rows: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    rows = parse(trimmed, {
      delimiter,
      columns: (names: string[]) => names.map((n) => n.trim()),
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      info: true,
      max_record_size: 64 * 1024,
    }) as unknown as Array<{ record: Record<string, string>; info: { lines: number } }>;
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 0;
    return { line, message: `CSV-filen kunde inte läsas (${err instanceof Error ? err.message : String(err)})` };
  }
  return rows.map(({ record, info }) => ({ line: info.lines, value: record }));
}

function readJsonArray(text: string): TableRecord[] | TableProblem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { line: 0, message: `filen är inte giltig JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (!Array.isArray(parsed)) return { line: 0, message: 'JSON-filen ska innehålla en lista (array) av objekt' };
  const starts = objectStartLines(text);
  return parsed.map((v, i) => ({ line: starts[i] ?? i + 1, value: typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {} }));
}

/** The line of each top-level object's opening brace. */
function objectStartLines(text: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '\n') line++;
    else if (ch === '{' && depth++ === 0) starts.push(line);
    else if (ch === '}') depth--;
  }
  return starts;
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}
