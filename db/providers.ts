import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import type { StatementValue } from './kept-statement.ts';
import { providerAssignments, providerInboxTasks, providerOrders, providerRotation, providers } from './schema/index.ts';

export type ProviderRow = typeof providers.$inferSelect;
export type NewProvider = typeof providers.$inferInsert;
export type ProviderAssignmentRow = typeof providerAssignments.$inferSelect;
/** The purpose bound into the seal of `provider_inbox_tasks.body`. */
export const PROVIDER_REPLY_BODY = 'provider_inbox_tasks.body';

export type ProviderInboxTaskRow = typeof providerInboxTasks.$inferSelect;
export type ProviderOrderRow = typeof providerOrders.$inferSelect;

export async function listProviders(db: Db): Promise<ProviderRow[]> {
  return db.select().from(providers).orderBy(asc(providers.position), asc(providers.id));
}

export async function findProviderById(db: Db, id: string): Promise<ProviderRow | undefined> {
  const [row] = await db.select().from(providers).where(eq(providers.id, id));
  return row;
}

/** By id or by name, case-insensitive (a case's provider column may hold either). */
export async function findProviderByIdOrName(db: Db, text: string): Promise<ProviderRow | undefined> {
  const t = text.trim().toLowerCase();
  const [row] = await db.select().from(providers).where(sql`lower(${providers.id}) = ${t} or lower(${providers.name}) = ${t}`).limit(1);
  return row;
}

/** Providers whose mail domain is the sender's domain or a parent of it (mail.omsorg.se → omsorg.se). */
export async function findProvidersByDomain(db: Db, domain: string): Promise<ProviderRow[]> {
  const d = domain.toLowerCase();
  return db
    .select()
    .from(providers)
    .where(sql`${providers.mailDomain} = ${d} or ${d} like ('%.' || ${providers.mailDomain})`);
}

/** Inserts or replaces the given providers; the caller's transaction makes an import all-or-nothing. */
export async function upsertProviders(tx: Db, rows: NewProvider[]): Promise<void> {
  for (const row of rows) {
    const { id: _id, ...rest } = row;
    await tx.insert(providers).values(row).onConflictDoUpdate({ target: providers.id, set: rest });
  }
}

export async function setTakesNewCustomers(tx: Db, id: string, value: boolean, by: string, now: Date): Promise<ProviderRow | undefined> {
  const [row] = await tx.update(providers).set({ takesNewCustomers: value, updatedAt: now, updatedBy: by }).where(eq(providers.id, id)).returning();
  return row;
}

/** The rotation row of a service, locked until the transaction ends (created on first use). */
export async function lockRotation(tx: Db, service: string, now: Date): Promise<typeof providerRotation.$inferSelect> {
  await tx.insert(providerRotation).values({ service, lastProviderId: null, version: 0, updatedAt: now }).onConflictDoNothing();
  const [row] = await tx.select().from(providerRotation).where(eq(providerRotation.service, service)).for('update');
  if (!row) throw new Error(`provider_rotation row for ${service} missing after insert`);
  return row;
}

/** Compare-and-set on version: true when this writer advanced the rotation. */
export async function advanceRotation(tx: Db, params: { service: string; providerId: string; expectedVersion: number; now: Date }): Promise<boolean> {
  const updated = await tx
    .update(providerRotation)
    .set({ lastProviderId: params.providerId, version: params.expectedVersion + 1, updatedAt: params.now })
    .where(and(eq(providerRotation.service, params.service), eq(providerRotation.version, params.expectedVersion)))
    .returning({ service: providerRotation.service });
  return updated.length > 0;
}

export async function findAssignment(db: Db, caseRef: string, kind: 'ickeval' | 'val'): Promise<ProviderAssignmentRow | undefined> {
  const [row] = await db.select().from(providerAssignments).where(and(eq(providerAssignments.caseRef, caseRef), eq(providerAssignments.kind, kind)));
  return row;
}

export async function insertAssignment(tx: Db, row: typeof providerAssignments.$inferInsert): Promise<ProviderAssignmentRow> {
  const [inserted] = await tx
    .insert(providerAssignments)
    .values(row)
    .onConflictDoUpdate({ target: [providerAssignments.caseRef, providerAssignments.kind], set: { providerId: row.providerId, status: row.status, confirmedAt: row.confirmedAt ?? null } })
    .returning();
  if (!inserted) throw new Error('provider_assignments insert returned nothing');
  return inserted;
}

/** Compare-and-set: only a proposal still 'proposed' is confirmed (two clicks confirm once). */
export async function confirmAssignment(tx: Db, id: number, now: Date): Promise<boolean> {
  const updated = await tx
    .update(providerAssignments)
    .set({ status: 'confirmed', confirmedAt: now })
    .where(and(eq(providerAssignments.id, id), eq(providerAssignments.status, 'proposed')))
    .returning({ id: providerAssignments.id });
  return updated.length > 0;
}

export async function insertInboxTask(tx: Db, row: typeof providerInboxTasks.$inferInsert): Promise<ProviderInboxTaskRow> {
  const [inserted] = await tx.insert(providerInboxTasks).values(row).returning();
  if (!inserted) throw new Error('provider_inbox_tasks insert returned nothing');
  return inserted;
}

export async function listOpenInboxTasks(db: Db, params: { assigneeId?: string; caseRef?: string }): Promise<ProviderInboxTaskRow[]> {
  const conditions = [
    eq(providerInboxTasks.status, 'open'),
    params.assigneeId === undefined ? undefined : eq(providerInboxTasks.assigneeId, params.assigneeId),
    params.caseRef === undefined ? undefined : eq(providerInboxTasks.caseRef, params.caseRef),
  ].filter((c) => c !== undefined);
  return db.select().from(providerInboxTasks).where(and(...conditions)).orderBy(asc(providerInboxTasks.id));
}

/** A person's open provider replies as a list shows them (no reply text), oldest first; a query not yet sent. */
export function openInboxTaskRefsQuery(db: Db, assigneeId: StatementValue) {
  return db
    .select({ id: providerInboxTasks.id, caseRef: providerInboxTasks.caseRef, createdAt: providerInboxTasks.createdAt })
    .from(providerInboxTasks)
    .where(and(eq(providerInboxTasks.status, 'open'), eq(providerInboxTasks.assigneeId, assigneeId)));
}

/** Compare-and-set on status: the task is closed once, by whoever gets there first. */
export async function closeInboxTask(tx: Db, params: { id: number; by: string; now: Date }): Promise<ProviderInboxTaskRow | undefined> {
  const [row] = await tx
    .update(providerInboxTasks)
    .set({ status: 'done', doneAt: params.now, doneBy: params.by })
    .where(and(eq(providerInboxTasks.id, params.id), eq(providerInboxTasks.status, 'open')))
    .returning();
  return row;
}

/**
 * The case's open order with this provider, opened if there is none. An open order with another
 * provider is ended first: the case has moved, and that provider's tokens end with it. The
 * partial unique index keeps one open order per case when two renders race; the loser reads the
 * winner's row.
 */
export async function openProviderOrder(tx: Db, params: { caseRef: string; providerId: string; now: Date }): Promise<ProviderOrderRow> {
  const open = and(eq(providerOrders.caseRef, params.caseRef), isNull(providerOrders.endedAt));
  const [current] = await tx.select().from(providerOrders).where(and(open, eq(providerOrders.providerId, params.providerId)));
  if (current) return current;
  await tx.update(providerOrders).set({ endedAt: params.now }).where(and(open, ne(providerOrders.providerId, params.providerId)));
  await tx.insert(providerOrders).values({ caseRef: params.caseRef, providerId: params.providerId, openedAt: params.now }).onConflictDoNothing();
  const [row] = await tx.select().from(providerOrders).where(and(open, eq(providerOrders.providerId, params.providerId)));
  if (!row) throw new Error('provider_orders: the open order changed provider while it was opened');
  return row;
}

export async function findProviderOrder(db: Db, id: number): Promise<ProviderOrderRow | undefined> {
  const [row] = await db.select().from(providerOrders).where(eq(providerOrders.id, id));
  return row;
}

/** The case's open order, if a token has been issued for it. */
export async function findOpenProviderOrder(db: Db, caseRef: string): Promise<ProviderOrderRow | undefined> {
  const [row] = await db.select().from(providerOrders).where(and(eq(providerOrders.caseRef, caseRef), isNull(providerOrders.endedAt)));
  return row;
}

