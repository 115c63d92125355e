import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { CLIENT_NAMES } from './log-scan.ts';

/** Columns that hold personal data sealed (lib/pnr-crypto.ts): the only places it may be. */
const SEALED = new Set(['cases.pnr_cipher', 'quarantined_bb.raw', 'provider_inbox_tasks.body']);

export type DbFinding = { table: string; column: string; what: string };

/**
 * Reads every column of every table (bytes as text too) and reports a personnummer or a client's
 * name in clear: after the mail and bot flows, nothing but the sealed columns may hold them.
 */
export async function scanDatabase(handle: DbHandle, personal: { personnummer: string[]; names?: string[] }): Promise<DbFinding[]> {
  const pnrForms = personal.personnummer.flatMap((p) => [p, `${p.slice(0, 8)}-${p.slice(8)}`, `${p.slice(2, 8)}-${p.slice(8)}`]);
  const names = [...CLIENT_NAMES, ...(personal.names ?? [])];
  const columns = await handle.query<{ table_name: string; column_name: string; data_type: string }>(
    sql`select table_name, column_name, data_type from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`,
  );
  const findings: DbFinding[] = [];
  for (const c of columns) {
    if (SEALED.has(`${c.table_name}.${c.column_name}`)) continue;
    const expr = c.data_type === 'bytea' ? sql.raw(`encode("${c.column_name}", 'escape')`) : sql.raw(`"${c.column_name}"::text`);
    const rows = await handle.query<{ v: string | null }>(sql`select ${expr} as v from ${sql.raw(`"${c.table_name}"`)}`);
    for (const { v } of rows) {
      if (v === null) continue;
      const pnr = pnrForms.find((p) => v.includes(p));
      const name = names.find((n) => v.includes(n));
      if (pnr !== undefined || name !== undefined) findings.push({ table: c.table_name, column: c.column_name, what: pnr !== undefined ? 'personnummer' : 'namn' });
    }
  }
  return findings;
}
