/**
 * CSV for people who open it in Excel: RFC 4180 quoting, CRLF, a BOM so å ä ö read right, and a
 * cell that starts like a formula (= + - @) prefixed with ' so free text (a decline reason) can
 * never run as one. The one CSV writer; lib/table-file.ts is the one reader.
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const cell = (value: string | number | null) => {
    let v = value === null ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(v) && typeof value === 'string') v = `'${v}`;
    return /[",\r\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  };
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
