import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_REPLY_BODY, insertInboxTask } from '../../db/providers.ts';
import { keepQuarantinedBb, QUARANTINE_RAW } from '../../db/quarantine.ts';
import { auditLog, cases, providerInboxTasks, quarantinedBb } from '../../db/schema/index.ts';
import { createPnrCrypto, keyRingOf } from '../../lib/pnr-crypto.ts';
import { manualClock } from '../../lib/clock.ts';
import { rotateDataKeys } from '../../services/key-rotation.ts';
import { startApp } from '../support/app-process.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const PNR = '199104123188';
const MAIL = Buffer.from(`Subject: BB\r\n\r\nNamn: Elsa Berg\r\nPersonnummer: ${PNR}\r\n`);
const REPLY = 'Elsa Berg har varit på sjukhus i veckan.';

describe.each(ENGINES)('key rotation on %s', (engine) => {
  let t: TestDb;
  const k0 = randomBytes(32).toString('hex');
  const k1 = randomBytes(32).toString('hex');
  const before = createPnrCrypto(keyRingOf([['k0', k0]]));
  const after = createPnrCrypto(keyRingOf([['k0', k0], ['k1', k1]]));
  const clock = manualClock(new Date('2026-12-01T10:00:00Z'));
  let caseId = 0;
  let quarantineId = 0;
  let taskId = 0;

  beforeAll(async () => {
    t = await openTestDb(engine);
    const now = clock.now();
    const [row] = await t.db
      .insert(cases)
      .values({ caseRef: 'FF-2026-7001', routineId: 'ramavtal-bb', routineVersion: 1, status: 'open', clientInitials: 'E.B.', pnrCipher: before.encrypt(PNR), pnrHash: before.lookupHash(PNR), state: {}, createdAt: now, updatedAt: now })
      .returning({ id: cases.id });
    caseId = row!.id;
    const sealed = before.sealBytes(MAIL, QUARANTINE_RAW);
    quarantineId = (await keepQuarantinedBb(t.db, { mailbox: 'bot@kommun.test/INBOX', uidValidity: 1, uid: 1, messageId: null, sha256: 'x', raw: sealed.bytes, rawKeyId: sealed.keyId, fromAddress: 'pia@kommun.test', senderPersonId: 'p-pia', namedCaseRef: 'FF-2026-7999', pnrHash: before.lookupHash(PNR), receivedAt: null, quarantinedAt: now }))!;
    // A reply kept in clear before sealing existed: rotation seals it too.
    taskId = (await insertInboxTask(t.db, { caseRef: 'FF-2026-7001', providerId: 'omsorg', assigneeId: null, messageId: null, reason: 'oklart', body: REPLY, status: 'open', createdAt: now })).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('re-encrypts personnummer, quarantined mail and replies under the newest key, keeps the lookup hash, and audits the run', async () => {
    const counts = await rotateDataKeys({ db: t.db, crypto: after, clock, actor: 'cli:test' });
    expect(counts).toEqual({ personnummer: 1, quarantinedMail: 1, providerReplies: 1 });

    const [c] = await t.db.select().from(cases).where(eq(cases.id, caseId));
    expect(c?.pnrCipher).toMatch(/^v2:k1:/);
    expect(after.decrypt(c!.pnrCipher!)).toBe(PNR);
    expect(c?.pnrHash).toBe(after.lookupHash(PNR));
    // The old key alone can no longer open it: the key id is honoured, not guessed.
    expect(() => before.decrypt(c!.pnrCipher!)).toThrow();

    const [q] = await t.db.select().from(quarantinedBb).where(eq(quarantinedBb.id, quarantineId));
    expect(q?.rawKeyId).toBe('k1');
    expect(q?.raw.includes(Buffer.from(PNR))).toBe(false);
    expect(after.openBytes({ keyId: 'k1', bytes: q!.raw }, QUARANTINE_RAW)).toEqual(MAIL);

    const [task] = await t.db.select().from(providerInboxTasks).where(eq(providerInboxTasks.id, taskId));
    expect(task?.body).toMatch(/^v2:k1:/);
    expect(after.openText(task!.body, PROVIDER_REPLY_BODY)).toBe(REPLY);

    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'keys.rotate'));
    expect(audit).toMatchObject({ actor: 'cli:test', detail: { keyId: 'k1', personnummer: 1, quarantinedMail: 1, providerReplies: 1 } });
  });

  it('touches nothing on a second run', async () => {
    expect(await rotateDataKeys({ db: t.db, crypto: after, clock, actor: 'cli:test' })).toEqual({ personnummer: 0, quarantinedMail: 0, providerReplies: 0 });
  });

  it('refuses to open a sealed value moved to another column', () => {
    const sealed = after.sealText(REPLY, PROVIDER_REPLY_BODY);
    expect(() => after.openText(sealed, QUARANTINE_RAW)).toThrow();
  });
});

describe('files on disk', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'boendelotsen-private-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const othersCanTouch = (p: string): string[] => {
    const found: string[] = [];
    const walk = (q: string) => {
      const st = statSync(q);
      if ((st.mode & 0o077) !== 0) found.push(`${q} ${(st.mode & 0o777).toString(8)}`);
      if (st.isDirectory()) for (const name of readdirSync(q)) walk(path.join(q, name));
    };
    walk(p);
    return found;
  };

  it('creates the data directory, the database files and the local key for the owner only', async () => {
    const dataDir = path.join(root, 'data');
    // A first start on an empty directory runs initdb: slow on a busy machine.
    const app = await startApp({ DATA_DIR: dataDir }, { healthyWithinMs: 150_000 });
    try {
      expect(statSync(path.join(dataDir, 'pnr.key')).mode & 0o777).toBe(0o600);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(othersCanTouch(dataDir)).toEqual([]);
    } finally {
      expect(await app.stop()).toBe(0);
    }
  }, 180_000);

  it('refuses to start when the key file can be read by others, and says how to fix it', async () => {
    const keys = path.join(root, 'keys');
    writeFileSync(keys, `k1 ${randomBytes(32).toString('hex')}\n`);
    chmodSync(keys, 0o644);
    const dataDir = path.join(root, 'data2');
    const app = await startApp({ DATA_DIR: dataDir, ENCRYPTION_KEYS_FILE: keys }, { waitHealthy: false });
    expect(await app.exited).toBe(78);
    expect(app.output()).toContain(`Nyckelfilen ${keys} kan läsas av andra än ägaren (rättigheter 644). Kör: chmod 600 ${keys}`);
    // Refused before the database was opened: nothing was created or written.
    expect(existsSync(path.join(dataDir, 'pglite'))).toBe(false);
  });
});
