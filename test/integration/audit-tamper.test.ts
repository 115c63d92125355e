import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, entryHash, sealDigest, sealHash, verifyAuditChain } from '../../db/audit.ts';
import { loadSigningKey } from '../../lib/audit-checkpoints.ts';
import { manualClock } from '../../lib/clock.ts';
import { verifyAuditTrail, writeAuditCheckpoint } from '../../services/audit-checkpoints.ts';
import { runCommand } from '../support/cli-run.ts';
import { openTestDbOnOwnServer, type TestDb } from '../support/test-db.ts';

type Row = { id: string; at: Date; actor: string; action: string; case_ref: string | null; detail: unknown; prev_hash: string; hash: string; xid: string };
type SealRow = { id: string; xid_from: string; xid_below: string };

describe('the audit trail against a rewrite by the table owner (PostgreSQL)', () => {
  let t: TestDb;
  const dir = mkdtempSync(path.join(tmpdir(), 'boendelotsen-audit-'));
  const keyFile = path.join(dir, 'audit-signing.pem');
  const checkpointFile = path.join(dir, 'checkpoints.jsonl');
  const clock = manualClock(new Date('2026-12-01T08:00:00Z'));
  const env = { AUDIT_SIGNING_KEY_FILE: keyFile, AUDIT_CHECKPOINT_FILE: checkpointFile };

  const add = async (n: number) => {
    for (let i = 0; i < n; i++) {
      clock.advance(60_000);
      await t.db.transaction((tx) => appendAudit(tx, { actor: 'p-sara', action: 'case.view', caseRef: 'FF-2026-0142', detail: { i } }, clock.now()));
    }
  };

  beforeAll(async () => {
    t = await openTestDbOnOwnServer();
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const key = loadSigningKey(keyFile);
    await add(5);
    expect(await writeAuditCheckpoint({ db: t.db, key, file: checkpointFile, clock })).toMatchObject({ id: expect.any(Number) as number });
    await add(5);
    await writeAuditCheckpoint({ db: t.db, key, file: checkpointFile, clock });
    // Nothing new: no second checkpoint of the same head.
    expect(await writeAuditCheckpoint({ db: t.db, key, file: checkpointFile, clock })).toBeUndefined();
    await add(2);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes while nothing was changed', async () => {
    const out = await runCommand('audit verify', [], t, { env });
    expect(out.code, out.out).toBe(0);
    expect(out.out).toContain('2 signerade kontrollpunkter stämmer');
  });

  it('detects a tail rewritten with recomputed hashes and seals, which the chain walk alone accepts', async () => {
    // The owner role switches the guards off, rewrites from entry 4 on and recomputes every hash,
    // then every seal over the rewritten entries.
    const owner = postgres(t.url!, { max: 1, onnotice: () => {} });
    try {
      await owner.begin(async (tx) => {
        await tx`alter table audit_log disable trigger audit_log_append_only_rows`;
        const rows = await tx<Row[]>`select * from audit_log order by id`;
        let prev = rows[2]!.hash;
        for (const row of rows.slice(3)) {
          const rewritten = { at: row.at, actor: row.actor === 'p-sara' ? 'p-olle' : row.actor, action: row.action, caseRef: row.case_ref, detail: row.detail };
          const hash = entryHash(prev, rewritten);
          await tx`update audit_log set actor = ${rewritten.actor}, prev_hash = ${prev}, hash = ${hash} where id = ${row.id}`;
          prev = hash;
        }
        await tx`alter table audit_log enable trigger audit_log_append_only_rows`;
        await tx`alter table audit_seals disable trigger audit_seals_append_only_rows`;
        let prevSeal = '0'.repeat(64);
        for (const seal of await tx<SealRow[]>`select id, xid_from, xid_below from audit_seals order by id`) {
          const covered = await tx<{ id: string; hash: string }[]>`select id, hash from audit_log where xid >= ${seal.xid_from} and xid < ${seal.xid_below} order by id`;
          const body = { xidFrom: Number(seal.xid_from), xidBelow: Number(seal.xid_below), entries: covered.length, digest: sealDigest(covered.map((r) => ({ id: Number(r.id), hash: r.hash }))) };
          const hash = sealHash(prevSeal, body);
          await tx`update audit_seals set digest = ${body.digest}, prev_hash = ${prevSeal}, hash = ${hash} where id = ${seal.id}`;
          prevSeal = hash;
        }
        await tx`alter table audit_seals enable trigger audit_seals_append_only_rows`;
      });
    } finally {
      await owner.end();
    }
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
    const trail = await verifyAuditTrail({ db: t.db, key: loadSigningKey(keyFile), file: checkpointFile });
    expect(trail.checkpoints?.failures.map((f) => f.reason)).toEqual(['hash_differs', 'hash_differs']);
    const out = await runCommand('audit verify', [], t, { env });
    expect(out.code).toBe(3);
    expect(out.out).toContain('har skrivits om efter att kontrollpunkten signerades');
  });

  it('refuses a forged checkpoint line', async () => {
    const forged = { id: 1, hash: '0'.repeat(64), at: clock.now().toISOString(), keyId: loadSigningKey(keyFile).keyId, sig: Buffer.alloc(64).toString('base64'), of: 'seal' };
    writeFileSync(checkpointFile, `${JSON.stringify(forged)}\n`, { flag: 'a' });
    const trail = await verifyAuditTrail({ db: t.db, key: loadSigningKey(keyFile), file: checkpointFile });
    expect(trail.checkpoints?.failures.at(-1)).toEqual({ checkpointId: 1, of: 'seal', reason: 'signature_invalid' });
  });

  it('gives the app role, which does not own the table, no way to switch the guard off', async () => {
    const role = `bl_app_${randomBytes(4).toString('hex')}`;
    const owner = postgres(t.url!, { max: 1, onnotice: () => {} });
    const db = t.url!.split('/').pop()!;
    await owner.unsafe(`create role ${role} login`);
    await owner.unsafe(`grant connect on database ${db} to ${role}; grant usage on schema public to ${role}`);
    await owner.unsafe(`grant select, insert on audit_log to ${role}; grant usage on sequence audit_log_id_seq to ${role}`);
    await owner.end();
    const app = postgres(t.url!.replace('postgres@', `${role}@`), { max: 1, onnotice: () => {} });
    try {
      await expect(app.unsafe('alter table audit_log disable trigger audit_log_append_only_rows')).rejects.toThrow(/must be owner/);
      await expect(app.unsafe(`update audit_log set actor = 'x'`)).rejects.toThrow(/permission denied/);
      await expect(app.unsafe('truncate audit_log')).rejects.toThrow(/permission denied/);
      // It can still append.
      const [row] = await app<{ n: number }[]>`select count(*)::int as n from audit_log`;
      expect(row!.n).toBeGreaterThan(0);
    } finally {
      await app.end();
    }
  });
});
