import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { createDb } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { startPostgres } from './services/postgres.ts';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation needs an interface
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

export const TEMPLATE_DB = 'boendelotsen_template';

/**
 * Starts the real parts the integration tier needs, once per run: a PostgreSQL server with a
 * migrated template database that each test file clones (tens of ms, as immich does).
 * Anything missing that cannot be installed fails the run here, loudly.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pg = await startPostgres();
  const admin = postgres(pg.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const handle = await createDb({ url: pg.adminUrl.replace(/\/postgres$/, `/${TEMPLATE_DB}`), poolSize: 1 });
  await migrate(handle);
  await handle.close();

  project.provide('pgAdminUrl', pg.adminUrl);
  project.provide('pgTemplate', TEMPLATE_DB);

  return () => {
    pg.stop();
    return Promise.resolve();
  };
}
