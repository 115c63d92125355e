import { and, eq } from 'drizzle-orm';
import { testLogger } from '../support/log-capture.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../db/audit.ts';
import { outbox } from '../../db/schema/index.ts';
import { auditLog, cases, caseTimers } from '../../db/schema/index.ts';
import { sql } from '../../db/client.ts';
import type { BbSummary } from '../../domain/engine/types.ts';
import { fireDueTimers } from '../../services/timer-sweep.ts';
import { makeCaseService, nextCaseRef, RAMAVTAL_ROLES, seedStaff, STAFF } from '../support/case-fixtures.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const BB: BbSummary = { kind: 'infor_kop', assessedOn: '2026-11-18', dailyPrice: 4966.5, statedDailyPrice: 4966.5, priceCheck: 'ok', exception: null };

describe.each(ENGINES)('case service on %s', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(engine);
    await seedStaff(t.db);
  });
  afterAll(async () => {
    await t.close();
  });

  async function startRamavtal() {
    const { service, clock } = makeCaseService(t.db);
    const caseRef = nextCaseRef();
    const started = await service.startCase(
      { routineId: 'ramavtal-bb', phase: 'infor_kop', caseRef, clientInitials: 'E.B.', personnummer: '199104123188', legalBasis: 'LSS 9 § 9', roles: RAMAVTAL_ROLES },
      STAFF.sara.id,
    );
    expect(started).toEqual({ ok: true, caseRef });
    return { service, clock, caseRef };
  }

  it('starts a case, stores the personnummer only encrypted and gives the first task to its holder', async () => {
    const { service, caseRef } = await startRamavtal();
    const [row] = await t.db.select().from(cases).where(eq(cases.caseRef, caseRef));
    expect(row?.pnrCipher).toMatch(/^v2:k0:/);
    expect(JSON.stringify(row)).not.toContain('199104123188');
    const tasks = await service.listTasks(STAFF.erik.id);
    expect(tasks.filter((x) => x.caseRef === caseRef).map((x) => x.stepId)).toEqual(['beslut_kop']);
    const notes = await t.db.select().from(outbox).where(and(eq(outbox.caseRef, caseRef), eq(outbox.channel, 'teams')));
    expect(notes.map((n) => n.recipient)).toContain(STAFF.erik.id);
    expect(JSON.stringify(notes)).not.toContain('199104123188');
  });

  it('refuses a step to a role holder without the step\'s role and says who can', async () => {
    const { service, caseRef } = await startRamavtal();
    const [task] = (await service.listTasks(STAFF.erik.id)).filter((x) => x.caseRef === caseRef);
    const refused = await service.completeStep({ caseRef, stepKey: task!.stepKey, personId: STAFF.sara.id, data: { purchaseDecidedOn: '2026-11-20' } });
    expect(refused).toMatchObject({ ok: false, code: 'wrong_role' });
    if (!refused.ok) expect(refused.message).toMatch(/enhetschef/i);
  });

  it('answers someone without any role on the case as if the case did not exist', async () => {
    const { service, caseRef } = await startRamavtal();
    const [task] = (await service.listTasks(STAFF.erik.id)).filter((x) => x.caseRef === caseRef);
    const refused = await service.completeStep({ caseRef, stepKey: task!.stepKey, personId: STAFF.olle.id, data: { purchaseDecidedOn: '2026-11-20' } });
    expect(refused).toEqual({ ok: false, code: 'not_found', message: `Hittar inget ärende ${caseRef} där du har en roll. Kontrollera referensen.` });
  });

  it('gives one completion and one clear "already done" when two people confirm at once', async () => {
    const { service, caseRef } = await startRamavtal();
    // Both Erik and a substitute-free second click by Erik race on the same step.
    const [task] = (await service.listTasks(STAFF.erik.id)).filter((x) => x.caseRef === caseRef);
    const attempt = () => service.completeStep({ caseRef, stepKey: task!.stepKey, personId: STAFF.erik.id, data: { purchaseDecidedOn: '2026-11-20' } });
    const results = await Promise.all([attempt(), attempt(), attempt()]);
    const wins = results.filter((r) => r.ok);
    const losses = results.filter((r) => !r.ok);
    expect(wins).toHaveLength(1);
    expect(losses).toHaveLength(2);
    for (const l of losses) if (!l.ok) expect(l.message).toMatch(/^Redan klart/);
    expect((await service.listTasks(STAFF.sara.id)).filter((x) => x.caseRef === caseRef).map((x) => x.stepId)).toEqual(['kontaktuppgifter']);
  });

  it('walks inför köp from decision to the BB, move-in and the follow-up timer', async () => {
    const { service, clock, caseRef } = await startRamavtal();
    const done = async (personId: string, stepId: string, data: Record<string, string | number | boolean>) => {
      const task = (await service.listTasks(personId)).find((x) => x.caseRef === caseRef && x.stepId === stepId);
      expect(task, `${stepId} should be open for ${personId}`).toBeDefined();
      const r = await service.completeStep({ caseRef, stepKey: task!.stepKey, personId, data });
      expect(r.ok, JSON.stringify(r)).toBe(true);
    };
    await done(STAFF.erik.id, 'beslut_kop', { purchaseDecidedOn: '2026-11-20' });
    await done(STAFF.sara.id, 'kontaktuppgifter', { interviewSource: 'korttidsboende' });
    const bb = await service.engine.apply(caseRef, () => Promise.resolve({ type: 'document', kind: 'behovsbedomning', bb: BB }), { actor: 'mail', action: 'bb.received' });
    expect(bb.ok).toBe(true);
    expect((await service.listTasks(STAFF.adam.id)).filter((x) => x.caseRef === caseRef).map((x) => x.stepId)).toContain('kontrollrakning');

    const moved = await service.reportMoveIn({ caseRef, date: '2026-12-01', personId: STAFF.sara.id });
    expect(moved).toMatchObject({ ok: true });
    const timers = await t.db.select().from(caseTimers).innerJoin(cases, eq(cases.id, caseTimers.caseId)).where(and(eq(cases.caseRef, caseRef), eq(caseTimers.status, 'pending')));
    expect(timers.length).toBeGreaterThan(0);

    const view = await service.viewCase(caseRef, STAFF.sara.id);
    expect(view.ok).toBe(true);
    if (view.ok) {
      expect(view.view.timeline.find((s) => s.stepId === 'inflyttningsdatum')).toMatchObject({ status: 'done', completedByName: STAFF.sara.name });
      expect(JSON.stringify(view.view)).not.toContain('199104123188');
    }
    // Three months on, the sweep opens the uppföljande BB for the planeringsledare, once.
    clock.set(new Date('2027-03-02T07:00:00Z'));
    const log = testLogger();
    const fired = await Promise.all([1, 2].map(() => fireDueTimers({ db: t.db, engine: service.engine, clock, logger: log })));
    expect(fired.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const plTasks = (await service.listTasks(STAFF.pia.id)).filter((x) => x.caseRef === caseRef);
    expect(plTasks.map((x) => x.stepId).filter((s) => s === 'bb_uppf')).toHaveLength(1);
  });

  it('tells of a step a timer opens on a Saturday at the start of the next working day', async () => {
    const { service, clock, caseRef } = await startRamavtal();
    for (const [personId, stepId, data] of [
      [STAFF.erik.id, 'beslut_kop', { purchaseDecidedOn: '2026-11-20' }],
      [STAFF.sara.id, 'kontaktuppgifter', { interviewSource: 'korttidsboende' }],
    ] as const) {
      const task = (await service.listTasks(personId)).find((x) => x.caseRef === caseRef && x.stepId === stepId);
      expect((await service.completeStep({ caseRef, stepKey: task!.stepKey, personId, data })).ok).toBe(true);
    }
    expect((await service.engine.apply(caseRef, () => Promise.resolve({ type: 'document', kind: 'behovsbedomning', bb: BB }), { actor: 'mail', action: 'bb.received' })).ok).toBe(true);
    expect(await service.reportMoveIn({ caseRef, date: '2026-12-01', personId: STAFF.sara.id })).toMatchObject({ ok: true });
    // Saturday 2027-03-06 08:00 in Stockholm: the follow-up BB opens, but nobody is told until Monday 07:00.
    clock.set(new Date('2027-03-06T07:00:00Z'));
    await fireDueTimers({ db: t.db, engine: service.engine, clock, logger: testLogger() });
    const opened = (await t.db.select().from(outbox).where(and(eq(outbox.caseRef, caseRef), eq(outbox.channel, 'teams'), eq(outbox.recipient, STAFF.pia.id))))
      .filter((r) => (r.payload as { stepKey: string | null }).stepKey === 'bb_uppf');
    expect(opened).toHaveLength(1);
    expect(opened[0]?.nextAttemptAt.toISOString()).toBe('2027-03-08T06:00:00.000Z');
  });

  it('audits views, refusals and writes, and the chain detects an edited row', async () => {
    const { service, caseRef } = await startRamavtal();
    await service.viewCase(caseRef, STAFF.olle.id);
    const entries = await t.db.select().from(auditLog).where(eq(auditLog.caseRef, caseRef)).orderBy(auditLog.id);
    expect(entries.map((e) => e.action)).toEqual(['case.start', 'case.view.refused']);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });

    const victim = entries[0]!;
    // The database refuses to change or remove an entry …
    await expect(t.db.execute(sql`update audit_log set actor = 'someone-else' where id = ${victim.id}`)).rejects.toThrow();
    await expect(t.db.execute(sql`delete from audit_log where id = ${victim.id}`)).rejects.toThrow();
    // … and when someone with the owner's rights switches that guard off, the chain names the entry.
    await t.db.execute(sql`alter table audit_log disable trigger audit_log_append_only_rows`);
    try {
      await t.db.execute(sql`update audit_log set actor = 'someone-else' where id = ${victim.id}`);
      const verdict = await verifyAuditChain(t.db);
      expect(verdict).toMatchObject({ ok: false, firstBrokenId: victim.id, reason: 'content_changed' });
      await t.db.execute(sql`update audit_log set actor = ${victim.actor} where id = ${victim.id}`);
    } finally {
      await t.db.execute(sql`alter table audit_log enable trigger audit_log_append_only_rows`);
    }
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });
});
