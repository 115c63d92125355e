import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
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
  const db = drizzlePostgres({ client: preparing(client), schema }) as unknown as Db;
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

/** Statements with more parameters than this (bulk inserts of any length) are not kept prepared. */
const MAX_PREPARED_PARAMETERS = 100;

/**
 * drizzle asks postgres.js not to prepare its statements, and postgres.js then sends each
 * statement with parameters in two round trips (parse and describe, wait for the parameter types,
 * then bind and execute) and the server parses and plans it anew every time. Kept prepared per
 * connection, a statement seen before is one round trip, and the server may reuse its plan. Only
 * statements with a few parameters: their text has a bounded number of shapes.
 */
function preparing(client: postgres.Sql): postgres.Sql {
  type Unsafe = (query: string, params?: unknown[], options?: { prepare?: boolean }) => unknown;
  type Callback = (tx: postgres.Sql) => unknown;
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (property === 'unsafe') {
        const unsafe = value as Unsafe;
        return (query: string, params?: unknown[], options?: { prepare?: boolean }) =>
          unsafe(query, params, params && params.length > 0 && params.length <= MAX_PREPARED_PARAMETERS ? { ...options, prepare: true } : options);
      }
      if (property === 'begin' || property === 'savepoint') {
        // The transaction's own client: its statements go the same way.
        const open = value as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const callback = args.pop() as Callback;
          return open(...args, (tx: postgres.Sql) => callback(preparing(tx)));
        };
      }
      return value;
    },
  });
}

/**
 * Two writes as one statement: `first` as a data-modifying CTE before `then`; either may be absent.
 * Both see one snapshot, so they must not touch the same rows (the callers make their keys disjoint).
 */
export async function writeTogether(db: Db, first: SQLWrapper | undefined, then: SQLWrapper | undefined): Promise<void> {
  if (first && then) await db.execute(sql`with first_write as (${first.getSQL()}) ${then.getSQL()}`);
  else for (const write of [first, then]) if (write) await db.execute(write.getSQL());
}

/** PGlite returns { rows }, postgres.js returns the rows array itself. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}

export { sql };
