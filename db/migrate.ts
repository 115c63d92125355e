import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { rowsOf, type DbHandle } from './client.ts';
import { LOCK_KEYS } from './lock-keys.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Any constant works; it only has to be the same in every instance of the app. */
const MIGRATION_LOCK_KEY = LOCK_KEYS.migrations;

type JournalEntry = { idx: number; tag: string; when: number };
type Migration = { tag: string; hash: string; statements: string[] };

export type MigrationStatus = { applied: number; latest: string | null };

/** Reads the migrations drizzle-kit generated into db/migrations (journal order). */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const journal = JSON.parse(readFileSync(path.join(dir, 'meta', '_journal.json'), 'utf8')) as {
    entries: JournalEntry[];
  };
  return journal.entries
    .sort((a, b) => a.idx - b.idx)
    .map((entry) => {
      const text = readFileSync(path.join(dir, `${entry.tag}.sql`), 'utf8');
      return {
        tag: entry.tag,
        hash: createHash('sha256').update(text).digest('hex'),
        statements: text.split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean),
      };
    });
}

/**
 * Applies pending migrations in one transaction under a transaction-scoped advisory lock, so
 * two instances starting at once on one PostgreSQL serialise here: the second waits, then sees
 * every migration already recorded and applies nothing.
 */
export async function migrate(handle: DbHandle, dir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const migrations = readMigrations(dir);
  await handle.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.execute(sql`create table if not exists schema_migrations (
      tag text primary key,
      hash text not null,
      applied_at timestamptz not null default now()
    )`);
    const applied = rowsOf<{ tag: string }>(await tx.execute(sql`select tag from schema_migrations`));
    const done = new Set(applied.map((r) => r.tag));
    for (const m of migrations) {
      if (done.has(m.tag)) continue;
      for (const statement of m.statements) await tx.execute(sql.raw(statement));
      await tx.execute(sql`insert into schema_migrations (tag, hash) values (${m.tag}, ${m.hash})`);
    }
  });
  return migrationStatus(handle);
}

export async function migrationStatus(handle: DbHandle): Promise<MigrationStatus> {
  const rows = await handle.query<{ tag: string; n: number }>(
    sql`select tag, count(*) over ()::int as n from schema_migrations order by tag desc limit 1`,
  );
  const first = rows[0];
  return { applied: first ? Number(first.n) : 0, latest: first ? first.tag : null };
}

/** The tags of the migrations applied; none when the database was never migrated (no table yet). */
export async function appliedMigrationTags(handle: DbHandle): Promise<string[]> {
  const exists = await handle.query<{ t: string | null }>(sql`select to_regclass('schema_migrations')::text as t`);
  if (!exists[0]?.t) return [];
  return (await handle.query<{ tag: string }>(sql`select tag from schema_migrations`)).map((r) => r.tag);
}
