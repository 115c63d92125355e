import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../db/audit.ts';
import { enqueue } from '../../db/outbox.ts';
import { insertInboxTask } from '../../db/providers.ts';
import { keepQuarantinedBb } from '../../db/quarantine.ts';
import { auditLog, cases, outbox, providerInboxTasks, quarantinedBb } from '../../db/schema/index.ts';
import { manualClock } from '../../lib/clock.ts';
import { createPnrCrypto, singleKeyRing } from '../../lib/pnr-crypto.ts';
import { previewGallring, runGallring } from '../../services/gallring.ts';
import { runCommand } from '../support/cli-run.ts';
import { testLogger } from '../support/log-capture.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-01-10T10:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const retention = { mailContentDays: 30, quarantineDays: 30, closedCaseDays: 1825 };
const crypto = createPnrCrypto(singleKeyRing('11'.repeat(32)));
const PNR = '199104123188';

describe.each(ENGINES)('gallring on %s', (engine) => {
  let t: TestDb;
  const clock = manualClock(T0);
  const logger = testLogger();

  async function addCase(caseRef: string, status: 'open' | 'closed', updatedAt: Date) {
    await t.db.insert(cases).values({ caseRef, routineId: 'ramavtal-bb', routineVersion: 1, status, clientInitials: 'E.B.', pnrCipher: crypto.encrypt(PNR), pnrHash: crypto.lookupHash(PNR), state: {}, createdAt: T0, updatedAt });
  }
  async function addMail(key: string, status: 'pending' | 'sent', sentAt: Date | null) {
    await enqueue(t.db, { channel: 'mail', dedupeKey: key, messageId: `<${key}@k>`, recipient: 'sara@kommun.test', caseRef: 'FF-2026-8001', payload: { to: ['sara@kommun.test'], subject: 'Boendelotsen: BB – FF-2026-8001', text: 'Elsa Berg, BB bifogad', html: '<p>Elsa Berg</p>' } }, T0);
    await t.db.update(outbox).set({ status, sentAt }).where(eq(outbox.dedupeKey, key));
  }
  async function addQuarantine(uid: number, linkedAt: Date | null) {
    const sealed = crypto.sealBytes(Buffer.from('mail'), 'quarantined_bb.raw');
    const id = await keepQuarantinedBb(t.db, { mailbox: 'bot/INBOX', uidValidity: 1, uid, messageId: null, sha256: 'x', raw: sealed.bytes, rawKeyId: sealed.keyId, fromAddress: 'pia@kommun.test', senderPersonId: 'p-pia', namedCaseRef: 'FF-2026-8999', pnrHash: 'h', receivedAt: null, quarantinedAt: T0 });
    if (linkedAt) await t.db.update(quarantinedBb).set({ status: 'linked', linkedCaseRef: 'FF-2026-8002', linkedAt }).where(eq(quarantinedBb.id, id!));
  }
  async function addTask(done: Date | null) {
    const task = await insertInboxTask(t.db, { caseRef: 'FF-2026-8001', providerId: 'omsorg', assigneeId: null, messageId: null, reason: 'oklart', body: crypto.sealText('Elsa har varit sjuk', 'provider_inbox_tasks.body'), status: done ? 'done' : 'open', createdAt: T0 });
    if (done) await t.db.update(providerInboxTasks).set({ doneAt: done }).where(eq(providerInboxTasks.id, task.id));
    return task.id;
  }

  beforeAll(async () => {
    t = await openTestDb(engine);
    await addCase('FF-2026-8001', 'open', T0);
    await addCase('FF-2026-8002', 'closed', T0);
    await addCase('FF-2026-8003', 'closed', at(40));
    await addMail('old-sent', 'sent', T0);
    await addMail('recent-sent', 'sent', at(25));
    await addMail('still-pending', 'pending', null);
    await addQuarantine(1, T0);
    await addQuarantine(2, null);
    await addTask(T0);
    await addTask(null);
  });
  afterAll(async () => {
    await t.close();
  });

  it('previews what is due by kind and count, without names or references', async () => {
    clock.set(at(31));
    expect(await previewGallring({ db: t.db, clock, retention })).toEqual({ mailContent: 1, providerReplies: 1, quarantinedMail: 1, closedCases: 0 });
    const out = await runCommand('gallring', ['--preview'], t);
    expect(out.code).toBe(0);
    expect(out.out).toMatch(/text i skickade mejl\s+\d+/);
    expect(out.out).not.toMatch(/FF-2026|Elsa/);
  });

  it('removes exactly what is due 31 days on, audited, and nothing twice', async () => {
    clock.set(at(31));
    expect(await runGallring({ db: t.db, clock, logger, retention, batchSize: 1 })).toEqual({ mailContent: 1, providerReplies: 1, quarantinedMail: 1, closedCases: 0 });

    const mails = await t.db.select().from(outbox).orderBy(outbox.id);
    const byKey = Object.fromEntries(mails.map((m) => [m.dedupeKey, m.payload as Record<string, unknown>]));
    expect(byKey['old-sent']).toEqual({ gallrad: true, subject: 'Boendelotsen: BB – FF-2026-8001', to: ['sara@kommun.test'] });
    expect(byKey['recent-sent']).toMatchObject({ text: 'Elsa Berg, BB bifogad' });
    expect(byKey['still-pending']).toMatchObject({ text: 'Elsa Berg, BB bifogad' });
    expect((await t.db.select().from(quarantinedBb)).map((q) => q.uid)).toEqual([2]);
    expect((await t.db.select().from(providerInboxTasks).orderBy(providerInboxTasks.id)).map((p) => p.body === '')).toEqual([true, false]);

    const audited = await t.db.select().from(auditLog).orderBy(auditLog.id);
    expect(audited.map((a) => a.action)).toEqual(['gallring.mail_content', 'gallring.provider_replies', 'gallring.quarantined_mail']);
    expect(await runGallring({ db: t.db, clock, logger, retention })).toEqual({ mailContent: 0, providerReplies: 0, quarantinedMail: 0, closedCases: 0 });
  });

  it('forgets the person in a case closed longer than the municipality’s period, keeping the keyed hash in the audit', async () => {
    clock.set(at(1826));
    const counts = await runGallring({ db: t.db, clock, logger, retention });
    expect(counts.closedCases).toBe(1);
    const rows = Object.fromEntries((await t.db.select().from(cases)).map((c) => [c.caseRef, c]));
    expect(rows['FF-2026-8002']).toMatchObject({ pnrCipher: null, pnrHash: null, clientInitials: '' });
    expect(rows['FF-2026-8003']?.pnrCipher).not.toBeNull();
    expect(rows['FF-2026-8001']?.pnrCipher).not.toBeNull();
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'gallring.case'));
    expect(entry).toMatchObject({ caseRef: 'FF-2026-8002', detail: { pnrHash: crypto.lookupHash(PNR) } });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });
});
