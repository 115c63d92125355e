import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, countUnsealed, entryHash, sealAudit, verifyAuditChain } from '../../db/audit.ts';
import { rowsOf, type Db } from '../../db/client.ts';
import { manualClock } from '../../lib/clock.ts';
import { ENGINES, openTestDb, openTestDbOnOwnServer, type TestDb } from '../support/test-db.ts';

const clock = manualClock(new Date('2026-12-01T08:00:00Z'));

/** Runs fn in a transaction that stays open until the returned release() is called. */
function openTransaction(db: Db, fn: (tx: Db) => Promise<void>) {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let entered: () => void = () => {};
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const done = db.transaction(async (tx) => {
    await fn(tx);
    entered();
    await gate;
  });
  return { inside, release, done };
}

const settle = () => new Promise((r) => setTimeout(r, 300));

describe('audited writes on PostgreSQL do not queue behind each other', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDbOnOwnServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets a write on another case commit while one case’s transaction is still open', async () => {
    const a = openTransaction(t.db, (tx) => appendAudit(tx, { actor: 'p-sara', action: 'case.view', caseRef: 'FF-2026-0001' }, clock.now()));
    await a.inside;
    // Would wait for a's commit if every audited write took one global lock.
    await t.db.transaction((tx) => appendAudit(tx, { actor: 'p-olle', action: 'case.view', caseRef: 'FF-2026-0002' }, clock.now()));
    await t.db.transaction((tx) => appendAudit(tx, { actor: 'p-olle', action: 'tasks.list' }, clock.now()));
    a.release();
    await a.done;
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 3 });
  });

  it('keeps the writes on one case in order: the second waits for the first to commit', async () => {
    const a = openTransaction(t.db, (tx) => appendAudit(tx, { actor: 'p-sara', action: 'step.complete', caseRef: 'FF-2026-0003' }, clock.now()));
    await a.inside;
    let secondDone = false;
    const second = t.db.transaction((tx) => appendAudit(tx, { actor: 'p-olle', action: 'case.view', caseRef: 'FF-2026-0003' }, clock.now())).then(() => (secondDone = true));
    await settle();
    expect(secondDone).toBe(false);
    a.release();
    await Promise.all([a.done, second]);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });

  it('seals only finished transactions: an entry still being written is sealed in a later round', async () => {
    await sealAudit(t.db, clock.now());
    const open = openTransaction(t.db, (tx) => appendAudit(tx, { actor: 'p-sara', action: 'case.view', caseRef: 'FF-2026-0004' }, clock.now()));
    await open.inside;
    await t.db.transaction((tx) => appendAudit(tx, { actor: 'p-olle', action: 'case.view', caseRef: 'FF-2026-0005' }, clock.now()));
    expect(await sealAudit(t.db, clock.now())).toBeUndefined();
    // The committed later entry waits too: a seal covers every transaction below the oldest open
    // one, so the open one's entry can never turn up inside a range already sealed.
    expect(await countUnsealed(t.db)).toBe(1);
    open.release();
    await open.done;
    const seal = await sealAudit(t.db, clock.now());
    expect(seal?.entries).toBe(2);
    expect(await countUnsealed(t.db)).toBe(0);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 7, sealed: 7 });
  });
});

type StoredRow = { id: string | number; at: string | Date; actor: string; action: string; case_ref: string; detail: unknown; prev_hash: string; hash: string; chain: string; xid: string | number };

describe.each(ENGINES)('audit verify on %s catches tampering before and after sealing', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = engine === 'postgres' ? await openTestDbOnOwnServer() : await openTestDb(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  const add = async (caseRef: string, n: number) => {
    for (let i = 0; i < n; i++) {
      clock.advance(1_000);
      await t.db.transaction((tx) => appendAudit(tx, { actor: 'p-sara', action: 'case.view', caseRef, detail: { i } }, clock.now()));
    }
  };
  const chainOf = async (caseRef: string) => rowsOf<StoredRow>(await t.db.execute(sql`select * from audit_log where case_ref = ${caseRef} order by id`));
  /** The table owner switches the guard off for one statement, as an attacker with that role could. */
  const asOwner = async (statement: ReturnType<typeof sql>) => {
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_append_only_rows`);
      await tx.execute(statement);
      await tx.execute(sql`alter table audit_log enable trigger audit_log_append_only_rows`);
    });
  };
  const putBack = (r: StoredRow) =>
    t.db.execute(sql`insert into audit_log (id, at, actor, action, case_ref, detail, prev_hash, hash, chain, xid) values (${r.id}, ${new Date(r.at).toISOString()}::timestamptz, ${r.actor}, ${r.action}, ${r.case_ref}, ${JSON.stringify(r.detail)}::jsonb, ${r.prev_hash}, ${r.hash}, ${r.chain}, ${r.xid})`);
  const forged = (r: StoredRow, actor: string) => entryHash(r.prev_hash, { at: new Date(r.at), actor, action: r.action, caseRef: r.case_ref, detail: r.detail });

  it('refuses UPDATE and DELETE on seals as on entries', async () => {
    await add('FF-2026-0100', 1);
    await sealAudit(t.db, clock.now());
    const refusal = (statement: ReturnType<typeof sql>) => t.db.execute(statement).then(() => 'accepted', (err: Error) => String((err.cause as Error | undefined)?.message ?? err.message));
    expect(await refusal(sql`update audit_seals set entries = 0`)).toMatch(/audit_seals is append-only/);
    expect(await refusal(sql`delete from audit_seals`)).toMatch(/audit_seals is append-only/);
    expect(await refusal(sql`delete from audit_log`)).toMatch(/audit_log is append-only/);
  });

  it('catches a sealed entry removed from the end of its chain, and one rewritten with a recomputed hash', async () => {
    await add('FF-2026-0101', 2);
    await add('FF-2026-0102', 2);
    await sealAudit(t.db, clock.now());
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, sealed: 5 });
    const [, last] = await chainOf('FF-2026-0101');
    // The last entry of a chain has no successor whose link breaks: only its seal shows it is gone.
    await asOwner(sql`delete from audit_log where id = ${last!.id}`);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, reason: 'seal_mismatch' });
    await putBack(last!);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
    const [, tail] = await chainOf('FF-2026-0102');
    await asOwner(sql`update audit_log set actor = 'p-olle', hash = ${forged(tail!, 'p-olle')} where id = ${tail!.id}`);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, reason: 'seal_mismatch' });
    await asOwner(sql`update audit_log set actor = ${tail!.actor}, hash = ${tail!.hash} where id = ${tail!.id}`);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });

  it('names an unsealed entry whose content was changed, and the successor of one removed from its chain', async () => {
    await add('FF-2026-0103', 3);
    await add('FF-2026-0104', 3);
    expect(await countUnsealed(t.db)).toBe(6);
    const [first, middle, third] = await chainOf('FF-2026-0103');
    await asOwner(sql`update audit_log set actor = 'p-olle' where id = ${first!.id}`);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, firstBrokenId: Number(first!.id), reason: 'content_changed' });
    await asOwner(sql`update audit_log set actor = ${first!.actor} where id = ${first!.id}`);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
    await asOwner(sql`delete from audit_log where id = ${middle!.id}`);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, firstBrokenId: Number(third!.id), reason: 'link_broken' });
  });
});

describe.each(ENGINES)('the database function audit_append on %s', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(engine);
  });
  afterAll(async () => {
    await t.close();
  });
  const entriesOf = async (caseRef: string) => rowsOf<StoredRow>(await t.db.execute(sql`select * from audit_log where case_ref = ${caseRef} order by id`));

  it('stores the hash db/audit.ts computes, for text with Swedish letters, quotes, backslashes and newlines, inside a transaction or not', async () => {
    clock.advance(1_000);
    const detail = { note: 'Åsa Öberg sa "nej" \\ C:\\tmp\nny rad', emoji: '🏠', nested: { ö: [1, 'ä', null, true] } };
    await appendAudit(t.db, { actor: 'p-åsa', action: 'case.view', caseRef: 'FF-2026-0099', detail }, clock.now());
    await t.db.transaction((tx) => appendAudit(tx, { actor: 'p-åsa', action: 'tasks.list', caseRef: 'FF-2026-0099', detail: { caseRefs: ['FF-2026-0099'] } }, clock.now()));
    const [first, second] = await entriesOf('FF-2026-0099');
    expect(first!.prev_hash).toBe('0'.repeat(64));
    expect(first!.hash).toBe(entryHash(first!.prev_hash, { at: new Date(first!.at), actor: 'p-åsa', action: 'case.view', caseRef: 'FF-2026-0099', detail }));
    expect(second!.prev_hash).toBe(first!.hash);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });
});
