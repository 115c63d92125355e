import { count, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { serviceStarts } from './schema/index.ts';

export async function recordServiceStart(
  db: Db,
  params: { startedAt: Date; hostname: string; pid: number; version: string },
): Promise<number> {
  const [row] = await db.insert(serviceStarts).values(params).returning({ id: serviceStarts.id });
  if (!row) throw new Error('insert into service_starts returned nothing');
  return row.id;
}

export async function countServiceStarts(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(serviceStarts);
  return row?.n ?? 0;
}

/** A cheap round trip that fails when the database is gone. */
export async function pingDb(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
