import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createDb, type DbHandle } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { startPostgres } from './services/postgres.ts';

export type Engine = 'pglite' | 'postgres';
/** One suite, two engines (as drizzle tests its drivers): every db test runs on both. */
export const ENGINES: readonly Engine[] = ['pglite', 'postgres'];

export type TestDb = DbHandle & { url: string | undefined };
export type PostgresTestDb = DbHandle & { url: string };

/**
 * A fresh, migrated database: in-memory PGlite, or a clone of the migrated template on the test
 * PostgreSQL server. Open one per test file (PGlite takes seconds to start), not per test.
 */
export async function openTestDb(engine: Engine): Promise<TestDb> {
  if (engine === 'pglite') {
    const handle = await createDb({ dataDir: 'memory://' });
    await migrate(handle);
    return { ...handle, url: undefined };
  }
  return openPostgresTestDb(20);
}

/** A fresh, migrated database on the test PostgreSQL server, with its URL for the app processes or threads a test starts on it. */
export async function openPostgresTestDb(poolSize: number): Promise<PostgresTestDb> {
  const url = await createPostgresDatabase();
  return { ...(await createDb({ url, poolSize })), url };
}

/**
 * A migrated database on a PostgreSQL server of its own, stopped on close. For tests of the audit
 * sealer: its horizon (the oldest running transaction) is cluster-wide, so on the shared server
 * another file's open transaction would hold it back and the test would see what that file does.
 */
export async function openTestDbOnOwnServer(): Promise<TestDb> {
  const server = await startPostgres();
  try {
    const handle = await createDb({ url: server.adminUrl, poolSize: 20 });
    await migrate(handle);
    return {
      ...handle,
      url: server.adminUrl,
      close: async () => {
        try {
          await handle.close();
        } finally {
          server.stop();
        }
      },
    };
  } catch (err) {
    server.stop();
    throw err;
  }
}

/** A new database cloned from the migrated template; returns its URL. */
export async function createPostgresDatabase(): Promise<string> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}

/** An empty database (no migrations) on the test server, for migration tests. */
export async function createEmptyPostgresDatabase(): Promise<string> {
  const adminUrl = inject('pgAdminUrl');
  const name = `e_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}
