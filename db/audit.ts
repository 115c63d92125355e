import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt, gte, inArray, lt, sql } from 'drizzle-orm';
import { canonicalJson } from '../lib/canonical-json.ts';
import type { Db } from './client.ts';
import { auditLog, cases } from './schema/index.ts';
import { LOCK_KEYS } from './lock-keys.ts';

const GENESIS = '0'.repeat(64);
/** Serialises appends so each entry links to the one committed before it. */
const AUDIT_LOCK_KEY = LOCK_KEYS.audit;

export type AuditEntry = {
  actor: string;
  /** e.g. 'case.view', 'case.start', 'step.complete', 'step.refused', 'mail.processed'. */
  action: string;
  caseRef?: string | null;
  /** Ids, codes and dates; never a personnummer or a client's name. */
  detail?: Record<string, unknown>;
};

/** An entry's hash: its content and the previous entry's hash. */
export function entryHash(prevHash: string, e: { at: Date; actor: string; action: string; caseRef: string | null; detail: unknown }): string {
  const body = canonicalJson({ at: e.at.toISOString(), actor: e.actor, action: e.action, caseRef: e.caseRef, detail: e.detail });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * Appends an entry inside the caller's transaction. The transaction-scoped advisory lock is held
 * to commit, so concurrent writers chain one after another; call this last in a transaction to
 * keep the lock short.
 */
export async function appendAudit(tx: Db, entry: AuditEntry, now: Date): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  const prevHash = last?.hash ?? GENESIS;
  const row = { at: now, actor: entry.actor, action: entry.action, caseRef: entry.caseRef ?? null, detail: entry.detail ?? {} };
  await tx.insert(auditLog).values({ ...row, prevHash, hash: entryHash(prevHash, row) });
}

export type AuditVerification =
  | { ok: true; checked: number }
  | { ok: false; checked: number; firstBrokenId: number; reason: 'content_changed' | 'link_broken' };

/** Walks the whole chain in id order and names the first entry that does not match. */
export async function verifyAuditChain(db: Db, batchSize = 5_000): Promise<AuditVerification> {
  let prevHash = GENESIS;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const rows = await db.select().from(auditLog).where(gt(auditLog.id, lastId)).orderBy(asc(auditLog.id)).limit(batchSize);
    if (rows.length === 0) return { ok: true, checked };
    for (const row of rows) {
      if (row.prevHash !== prevHash) return { ok: false, checked, firstBrokenId: row.id, reason: 'link_broken' };
      if (entryHash(prevHash, row) !== row.hash) return { ok: false, checked, firstBrokenId: row.id, reason: 'content_changed' };
      prevHash = row.hash;
      lastId = row.id;
      checked += 1;
    }
  }
}

export async function auditEntriesForCase(db: Db, caseRef: string) {
  return db.select().from(auditLog).where(sql`${auditLog.caseRef} = ${caseRef}`).orderBy(asc(auditLog.id));
}

/** The newest entry: what a checkpoint signs. */
export async function auditHead(db: Db): Promise<{ id: number; hash: string } | undefined> {
  const [last] = await db.select({ id: auditLog.id, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  return last;
}

/** The stored hash of each entry asked for (checkpoint verification). */
export async function auditHashesAt(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: auditLog.id, hash: auditLog.hash }).from(auditLog).where(inArray(auditLog.id, ids));
  return new Map(rows.map((r) => [r.id, r.hash]));
}

/** Cases a personnummer's keyed hash points to: on the case row, or (after gallring) only in the trail. */
export async function caseRefsForPnrHash(db: Db, pnrHash: string): Promise<string[]> {
  const fromCases = await db.select({ caseRef: cases.caseRef }).from(cases).where(eq(cases.pnrHash, pnrHash));
  const fromTrail = await db
    .selectDistinct({ caseRef: auditLog.caseRef })
    .from(auditLog)
    .where(sql`${auditLog.detail}->>'pnrHash' = ${pnrHash} and ${auditLog.caseRef} is not null`);
  return [...new Set([...fromCases.map((r) => r.caseRef), ...fromTrail.flatMap((r) => (r.caseRef ? [r.caseRef] : []))])].sort();
}

/** The trail of some cases in time order, optionally within [from, to). */
export async function auditEntriesForCases(db: Db, caseRefs: string[], range: { from?: Date | undefined; to?: Date | undefined } = {}) {
  if (caseRefs.length === 0) return [];
  return db
    .select()
    .from(auditLog)
    .where(and(inArray(auditLog.caseRef, caseRefs), range.from ? gte(auditLog.at, range.from) : undefined, range.to ? lt(auditLog.at, range.to) : undefined))
    .orderBy(asc(auditLog.id));
}
