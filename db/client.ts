import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** A database or a transaction: query functions take either (STYLE.md §8). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DbHandle = {
  db: Db;
  engine: 'pglite' | 'postgres';
  /** Runs a raw statement and returns its rows, whatever the driver's result shape. */
  query: <T = Record<string, unknown>>(statement: SQL) => Promise<T[]>;
  /**
   * Tries a session-level advisory lock on a connection of its own, held until released or until
   * this process dies (Postgres drops the lock with the connection). Undefined when another
   * session holds it. Used so only one instance at a time reads the mailbox.
   */
  tryAdvisoryLock: (key: number) => Promise<SessionLock | undefined>;
  close: () => Promise<void>;
};

export type SessionLock = { release: () => Promise<void> };

export type DbOptions = {
  /** postgres:// URL of a real server; when unset, PGlite on dataDir. */
  url?: string | undefined;
  /** PGlite data directory; 'memory://' for a throwaway in-memory database. */
  dataDir?: string;
  poolSize?: number;
  /** Called with each statement sent to a real server (benchmarks count round trips with it). */
  onQuery?: (statement: string) => void;
};

/** Opens PGlite on a data directory, or postgres.js on a real server when a URL is given. */
export async function createDb(opts: DbOptions): Promise<DbHandle> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize ?? 10, opts.onQuery);
  return openPglite(opts.dataDir ?? './data');
}

async function openPglite(dataDir: string): Promise<DbHandle> {
  const inMemory = dataDir.startsWith('memory://');
  const dir = inMemory ? dataDir : path.resolve(dataDir, 'pglite');
  if (!inMemory) mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir);
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    engine: 'pglite',
    query: async <T,>(statement: SQL) => rowsOf<T>(await db.execute(statement)),
    // PGlite serves one process, so its one connection is the session.
    tryAdvisoryLock: async (key) => {
      const rows = rowsOf<{ ok: boolean }>(await db.execute(sql`select pg_try_advisory_lock(${key}) as ok`));
      if (!rows[0]?.ok) return undefined;
      return {
        release: async () => {
          if (!client.closed) await db.execute(sql`select pg_advisory_unlock(${key})`);
        },
      };
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

async function openPostgres(url: string, poolSize: number, onQuery?: (statement: string) => void): Promise<DbHandle> {
  const client = postgres(url, {
    max: poolSize,
    ...(onQuery ? { debug: (_connection: number, statement: string) => onQuery(statement) } : {}),
    onnotice: () => {},
    // Timestamps come back as Date objects; jsonb as parsed JSON (postgres.js defaults).
  });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  // Fail at start, not on the first request, when the server cannot be reached.
  await client`select 1`;
  return {
    db,
    engine: 'postgres',
    query: async <T,>(statement: SQL) => rowsOf<T>(await db.execute(statement)),
    tryAdvisoryLock: async (key) => {
      const reserved = await client.reserve();
      const [row] = await reserved<{ ok: boolean }[]>`select pg_try_advisory_lock(${key}) as ok`;
      if (!row?.ok) {
        reserved.release();
        return undefined;
      }
      return {
        release: async () => {
          try {
            await reserved`select pg_advisory_unlock(${key})`;
          } finally {
            reserved.release();
          }
        },
      };
    },
    close: async () => {
      await client.end({ timeout: 5 });
    },
  };
}

/** PGlite returns { rows }, postgres.js returns the rows array itself. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}

export { sql };
