import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { canonicalJson } from '../lib/canonical-json.ts';
import { rowsOf, type Db } from './client.ts';
import type { StatementValue } from './kept-statement.ts';
import { auditLog, auditSeals, cases } from './schema/index.ts';
import { LOCK_KEYS } from './lock-keys.ts';

const GENESIS = '0'.repeat(64);
/** The chain of the rows written before per-case chains: the former single chain, in id order. */
const LEGACY_CHAIN = '*';

/** A stored audit entry. */
export type AuditRow = typeof auditLog.$inferSelect;

export type AuditEntry = {
  actor: string;
  /** e.g. 'case.view', 'case.start', 'step.complete', 'step.refused', 'mail.processed'. */
  action: string;
  caseRef?: string | null;
  /** Ids, codes and dates; never a personnummer or a client's name. */
  detail?: Record<string, unknown>;
};

type EntryContent = { at: Date; actor: string; action: string; caseRef: string | null; detail: unknown };

/** What an entry's hash covers besides the previous hash: its content as canonical JSON. */
export function entryBody(e: EntryContent): string {
  return canonicalJson({ at: e.at.toISOString(), actor: e.actor, action: e.action, caseRef: e.caseRef, detail: e.detail });
}

/**
 * An entry's hash: sha256 of the previous entry's hash (in its chain), a newline and the body, in
 * hex. The database function audit_append (migration 0007) computes the same bytes when it writes.
 */
export function entryHash(prevHash: string, e: EntryContent): string {
  return createHash('sha256').update(prevHash).update('\n').update(entryBody(e)).digest('hex');
}

/** The chain an entry belongs to: its case, else its actor. Verification recomputes it. */
export function chainOf(e: { caseRef: string | null; actor: string }): string {
  return e.caseRef === null ? `actor:${e.actor}` : `case:${e.caseRef}`;
}

/**
 * Appends an entry, in the caller's transaction when given one. Only writers to the same chain
 * (the same case, or the same actor for entries without a case) wait for each other: a
 * transaction-scoped advisory lock on the chain is held to commit, so each entry links to the one
 * committed before it. Writes on other cases go on in parallel; the sealer orders everything later.
 *
 * One round trip: the database function audit_append takes the lock, reads the chain's previous
 * hash and inserts the entry with its hash (migration 0007). Outside a transaction the call is a
 * transaction of its own, so a read's entry needs no BEGIN and COMMIT around it.
 */
export async function appendAudit(db: Db, entry: AuditEntry, now: Date): Promise<void> {
  const row = { at: now, actor: entry.actor, action: entry.action, caseRef: entry.caseRef ?? null, detail: entry.detail ?? {} };
  // Two keys: the audit namespace and the chain's hash (a collision only makes two chains share a lock).
  await db.execute(
    sql`select audit_append(${LOCK_KEYS.audit}::integer, ${chainOf(row)}, ${row.at.toISOString()}::timestamptz, ${row.actor}, ${row.action}, ${row.caseRef}, ${JSON.stringify(row.detail)}::jsonb, ${entryBody(row)})`,
  );
}

/** The values of an entry whose detail names a list its statement computes (appendAuditWithListSql). */
export type AuditListValues = { chain: string; at: string; actor: string; action: string; caseRef: string | null; detail: string; bodyBefore: string; bodyAfter: string };

/**
 * The values of such an entry: the detail without the list, and the canonical JSON body entryBody
 * makes, cut where the list's elements go (the database splices them in).
 */
export function auditListValues(entry: AuditEntry, listKey: string, now: Date): AuditListValues {
  const row = { at: now, actor: entry.actor, action: entry.action, caseRef: entry.caseRef ?? null, detail: entry.detail ?? {} };
  // The body with a one-element list whose element cannot occur otherwise: what lies around it.
  const element = '\u0000list\u0000';
  const [bodyBefore, bodyAfter, ...rest] = entryBody({ ...row, detail: { ...row.detail, [listKey]: [element] } }).split(JSON.stringify(element));
  if (bodyBefore === undefined || bodyAfter === undefined || rest.length > 0) throw new Error(`audit detail cannot hold the list ${listKey}`);
  return { chain: chainOf(row), at: row.at.toISOString(), actor: row.actor, action: row.action, caseRef: row.caseRef, detail: JSON.stringify(row.detail), bodyBefore, bodyAfter };
}

/**
 * The audit_append call of an entry whose detail names a list the same statement computes, as
 * an SQL expression: a read and its audit entry in one statement, one round trip. `list` names a
 * relation of the statement (a CTE) with one text column `v`; the entry's `detail[listKey]` holds
 * its distinct values in the database's text order. The body that is hashed is the canonical JSON
 * entryBody makes with the list spliced in by the database: to_json of a text is the same string
 * as JSON.stringify of it (the same escapes; a text cannot hold a lone surrogate), so `audit
 * verify` recomputes exactly the hash written. The values are those of auditListValues, or
 * placeholders for them (a kept statement).
 */
export function appendAuditWithListSql(v: { [K in keyof AuditListValues]: StatementValue | null }, listKey: string, list: SQL): SQL {
  const values = sql`(select distinct v from ${list}) l`;
  const detail = sql`${v.detail}::jsonb || jsonb_build_object(${listKey}::text, (select coalesce(jsonb_agg(l.v order by l.v), '[]'::jsonb) from ${values}))`;
  const body = sql`${v.bodyBefore}::text || (select coalesce(string_agg(to_json(l.v)::text, ',' order by l.v), '') from ${values}) || ${v.bodyAfter}::text`;
  return sql`audit_append(${LOCK_KEYS.audit}::integer, ${v.chain}::text, ${v.at}::timestamptz, ${v.actor}::text, ${v.action}::text, ${v.caseRef}::text, ${detail}, ${body})`;
}

export type AuditVerification =
  | { ok: true; checked: number; sealed: number; seals: number }
  | { ok: false; checked: number; firstBrokenId: number; reason: 'content_changed' | 'link_broken' | 'seal_mismatch' };

type SealRow = typeof auditSeals.$inferSelect;

/** A seal's digest: the ids and hashes of the entries it covers, in id order. */
export function sealDigest(entries: Array<{ id: number; hash: string }>): string {
  const h = createHash('sha256');
  for (const e of entries) h.update(`${e.id}:${e.hash}\n`);
  return h.digest('hex');
}

export function sealHash(prevHash: string, s: { xidFrom: number; xidBelow: number; entries: number; digest: string }): string {
  return createHash('sha256').update(prevHash).update(`\n${s.xidFrom}\n${s.xidBelow}\n${s.entries}\n${s.digest}`).digest('hex');
}

/**
 * Walks every entry in id order, checking each against the previous entry of its chain, then
 * every seal against the entries it covers. A rewritten entry, or a removed one that is not the
 * last of its chain, shows in the walk; a removed last entry shows in its seal once sealed.
 */
export async function verifyAuditChain(db: Db, batchSize = 5_000): Promise<AuditVerification> {
  const heads = new Map<string, string>();
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const rows = await db.select().from(auditLog).where(gt(auditLog.id, lastId)).orderBy(asc(auditLog.id)).limit(batchSize);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.chain !== LEGACY_CHAIN && row.chain !== chainOf(row)) return { ok: false, checked, firstBrokenId: row.id, reason: 'content_changed' };
      const prevHash = heads.get(row.chain) ?? GENESIS;
      if (row.prevHash !== prevHash) return { ok: false, checked, firstBrokenId: row.id, reason: 'link_broken' };
      if (entryHash(prevHash, row) !== row.hash) return { ok: false, checked, firstBrokenId: row.id, reason: 'content_changed' };
      heads.set(row.chain, row.hash);
      lastId = row.id;
      checked += 1;
    }
  }
  let prevSeal = GENESIS;
  let xidFrom = 0;
  let sealed = 0;
  const seals = await db.select().from(auditSeals).orderBy(asc(auditSeals.id));
  for (const seal of seals) {
    const entries = await sealedEntries(db, seal.xidFrom, seal.xidBelow);
    const broken = seal.xidFrom !== xidFrom || seal.prevHash !== prevSeal || seal.entries !== entries.length || seal.digest !== sealDigest(entries) || seal.hash !== sealHash(prevSeal, seal);
    // Name an entry of the seal when there is one: that is where the operator looks.
    if (broken) return { ok: false, checked, firstBrokenId: entries[0]?.id ?? seal.lastEntryId ?? 0, reason: 'seal_mismatch' };
    prevSeal = seal.hash;
    xidFrom = seal.xidBelow;
    sealed += entries.length;
  }
  return { ok: true, checked, sealed, seals: seals.length };
}

function sealedEntries(db: Db, xidFrom: number, xidBelow: number): Promise<Array<{ id: number; hash: string }>> {
  return db.select({ id: auditLog.id, hash: auditLog.hash }).from(auditLog).where(and(gte(auditLog.xid, xidFrom), lt(auditLog.xid, xidBelow))).orderBy(asc(auditLog.id));
}

/**
 * Folds the entries of every finished transaction not yet sealed into one new seal. The horizon is
 * the oldest transaction still running (its snapshot's xmin, read before this transaction has an
 * id of its own): every entry below it is committed or gone for good, so no entry can later appear
 * inside a sealed range. One sealer at a time (a try-lock); none when nothing new finished.
 */
export async function sealAudit(db: Db, now: Date): Promise<SealRow | undefined> {
  return db.transaction(async (tx) => {
    const [horizon] = rowsOf<{ xmin: string }>(await tx.execute(sql`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`));
    const xidBelow = Number(horizon?.xmin);
    const [got] = rowsOf<{ ok: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${LOCK_KEYS.auditSeal}) as ok`));
    if (!got?.ok || !Number.isSafeInteger(xidBelow)) return undefined;
    const [last] = await tx.select().from(auditSeals).orderBy(desc(auditSeals.id)).limit(1);
    const xidFrom = last?.xidBelow ?? 0;
    if (xidBelow <= xidFrom) return undefined;
    const entries = await sealedEntries(tx, xidFrom, xidBelow);
    if (entries.length === 0 && last) return undefined;
    const prevHash = last?.hash ?? GENESIS;
    const body = { xidFrom, xidBelow, entries: entries.length, digest: sealDigest(entries) };
    const [seal] = await tx.insert(auditSeals).values({ ...body, at: now, lastEntryId: entries.at(-1)?.id ?? null, prevHash, hash: sealHash(prevHash, body) }).returning();
    return seal;
  });
}

/** Entries written but not yet sealed (a gauge for the operator; the sealer runs every few seconds). */
export async function countUnsealed(db: Db): Promise<number> {
  const [last] = await db.select({ xidBelow: auditSeals.xidBelow }).from(auditSeals).orderBy(desc(auditSeals.id)).limit(1);
  const [n] = await db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(gte(auditLog.xid, last?.xidBelow ?? 0));
  return Number(n?.n ?? 0);
}

export async function auditEntriesForCase(db: Db, caseRef: string) {
  return db.select().from(auditLog).where(sql`${auditLog.caseRef} = ${caseRef}`).orderBy(asc(auditLog.id));
}

/** The newest seal: what a checkpoint signs. */
export async function auditSealHead(db: Db): Promise<{ id: number; hash: string } | undefined> {
  const [last] = await db.select({ id: auditSeals.id, hash: auditSeals.hash }).from(auditSeals).orderBy(desc(auditSeals.id)).limit(1);
  return last;
}

/** The stored hash of each seal asked for (checkpoint verification). */
export async function auditSealHashesAt(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: auditSeals.id, hash: auditSeals.hash }).from(auditSeals).where(inArray(auditSeals.id, ids));
  return new Map(rows.map((r) => [r.id, r.hash]));
}

/** The stored hash of each entry asked for (checkpoints made before seals named an entry). */
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
