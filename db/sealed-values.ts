import { and, asc, eq, gt, isNotNull, isNull, ne, not, or, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { cases, providerInboxTasks, quarantinedBb } from './schema/index.ts';

/**
 * The columns that hold personal data sealed under a data key, read and rewritten by key
 * rotation. Every rewrite is compare-and-set on the old value: a row changed meanwhile (a link,
 * a gallring) is left for the next run instead of being overwritten with stale content.
 */
export type SealedText = { id: number; value: string };

const notUnder = (column: typeof cases.pnrCipher | typeof providerInboxTasks.body, keyId: string) => not(sql`${column} like ${`v2:${keyId}:%`}`);

export async function pnrCiphersNotUnder(db: Db, keyId: string, afterId: number, limit: number): Promise<SealedText[]> {
  const rows = await db
    .select({ id: cases.id, value: cases.pnrCipher })
    .from(cases)
    .where(and(gt(cases.id, afterId), isNotNull(cases.pnrCipher), notUnder(cases.pnrCipher, keyId)))
    .orderBy(asc(cases.id))
    .limit(limit);
  return rows.flatMap((r) => (r.value === null ? [] : [{ id: r.id, value: r.value }]));
}

export async function replacePnrCipher(db: Db, p: { id: number; from: string; to: string }): Promise<boolean> {
  const done = await db.update(cases).set({ pnrCipher: p.to }).where(and(eq(cases.id, p.id), eq(cases.pnrCipher, p.from))).returning({ id: cases.id });
  return done.length > 0;
}

export async function replyBodiesNotUnder(db: Db, keyId: string, afterId: number, limit: number): Promise<SealedText[]> {
  return db
    .select({ id: providerInboxTasks.id, value: providerInboxTasks.body })
    .from(providerInboxTasks)
    .where(and(gt(providerInboxTasks.id, afterId), notUnder(providerInboxTasks.body, keyId)))
    .orderBy(asc(providerInboxTasks.id))
    .limit(limit);
}

export async function replaceReplyBody(db: Db, p: { id: number; from: string; to: string }): Promise<boolean> {
  const done = await db
    .update(providerInboxTasks)
    .set({ body: p.to })
    .where(and(eq(providerInboxTasks.id, p.id), eq(providerInboxTasks.body, p.from)))
    .returning({ id: providerInboxTasks.id });
  return done.length > 0;
}

export type SealedRaw = { id: number; keyId: string | null; raw: Buffer };

/** Quarantined mails sealed under another key, or kept in clear before sealing existed. */
export async function quarantinedRawNotUnder(db: Db, keyId: string, afterId: number, limit: number): Promise<SealedRaw[]> {
  return db
    .select({ id: quarantinedBb.id, keyId: quarantinedBb.rawKeyId, raw: quarantinedBb.raw })
    .from(quarantinedBb)
    .where(and(gt(quarantinedBb.id, afterId), or(isNull(quarantinedBb.rawKeyId), ne(quarantinedBb.rawKeyId, keyId))))
    .orderBy(asc(quarantinedBb.id))
    .limit(limit);
}

export async function replaceQuarantinedRaw(db: Db, p: { id: number; fromKeyId: string | null; to: { keyId: string; bytes: Buffer } }): Promise<boolean> {
  const sameKey = p.fromKeyId === null ? isNull(quarantinedBb.rawKeyId) : eq(quarantinedBb.rawKeyId, p.fromKeyId);
  const done = await db
    .update(quarantinedBb)
    .set({ raw: p.to.bytes, rawKeyId: p.to.keyId })
    .where(and(eq(quarantinedBb.id, p.id), sameKey))
    .returning({ id: quarantinedBb.id });
  return done.length > 0;
}
