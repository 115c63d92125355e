import { afterAll, describe, expect, it } from 'vitest';
import { createDb, sql, type DbHandle } from '../../db/client.ts';
import { migrate, readMigrations } from '../../db/migrate.ts';
import { createEmptyPostgresDatabase } from '../support/test-db.ts';

const latest = readMigrations().at(-1)?.tag;
const opened: DbHandle[] = [];
afterAll(async () => {
  for (const h of opened) await h.close();
});

async function tableNames(h: DbHandle): Promise<string[]> {
  const rows = await h.query<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
  );
  return rows.map((r) => r.table_name);
}

describe('migrations', () => {
  it('apply from empty on PGlite and record the latest version', async () => {
    const h = await createDb({ dataDir: 'memory://' });
    opened.push(h);
    const status = await migrate(h);
    expect(status.latest).toBe(latest);
    expect(status.applied).toBe(readMigrations().length);
    expect(await tableNames(h)).toContain('service_starts');
  });

  it('apply from empty on PostgreSQL, and a second run applies nothing', async () => {
    const h = await createDb({ url: await createEmptyPostgresDatabase() });
    opened.push(h);
    expect(await tableNames(h)).toEqual([]);
    const first = await migrate(h);
    const second = await migrate(h);
    expect(first).toEqual(second);
    expect(first.latest).toBe(latest);
  });

  it('are safe when several instances start at once on one PostgreSQL', async () => {
    const url = await createEmptyPostgresDatabase();
    const instances = await Promise.all([1, 2, 3, 4].map(() => createDb({ url, poolSize: 2 })));
    opened.push(...instances);
    const results = await Promise.all(instances.map((h) => migrate(h)));
    for (const r of results) expect(r.latest).toBe(latest);
    const rows = await instances[0]!.query<{ n: number }>(sql`select count(*)::int as n from schema_migrations`);
    expect(rows[0]?.n).toBe(readMigrations().length);
  });
});
