import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCase } from '../../db/cases.ts';
import { trackStepReminders } from '../../db/reminders.ts';
import { caseTimers, stepReminders } from '../../db/schema/index.ts';
import { writeCaseTimers } from '../../db/timers.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

/**
 * An event's timer changes, and its reminder changes, are each one statement: two writes in a
 * data-modifying CTE and the insert that follows it. Both must land as two statements in a row
 * would: cancelled keys cancelled (a fired one left alone), set keys pending with the new due
 * time and action (a fired or cancelled one armed again), stopped ladders stopped.
 */
describe.each(ENGINES)('an event’s timer and reminder writes (%s)', (engine) => {
  let db: TestDb;
  let caseId: number;
  const t0 = new Date('2027-01-05T07:00:00Z');
  const t1 = new Date('2027-01-06T07:00:00Z');

  beforeAll(async () => {
    db = await openTestDb(engine);
    const row = await insertCase(db.db, { caseRef: `EW-${engine}`, routineId: 'ramavtal-bb', routineVersion: 1, status: 'open', clientInitials: 'E.W.', state: {}, createdAt: t0, updatedAt: t0 });
    if (!row) throw new Error('case not inserted');
    caseId = row.id;
  });
  afterAll(async () => {
    await db.close();
  });

  const timers = async () =>
    Object.fromEntries(
      (await db.db.select().from(caseTimers).where(eq(caseTimers.caseId, caseId))).map((t) => [t.key, { status: t.status, dueAt: t.dueAt.toISOString(), action: t.action, fired: t.firedAt !== null }]),
    );

  it('cancels and sets timers in one write, as the event left each key', async () => {
    await writeCaseTimers(db.db, caseId, { set: [{ key: 'a', dueAt: t0, action: { type: 'late', step: 'a' } }, { key: 'b', dueAt: t0, action: { type: 'late', step: 'b' } }, { key: 'c', dueAt: t0, action: { type: 'late', step: 'c' } }], cancel: [] });
    await db.db.update(caseTimers).set({ status: 'fired', firedAt: t0 }).where(and(eq(caseTimers.caseId, caseId), eq(caseTimers.key, 'c')));

    // One write: a and the fired c cancelled, b moved to a new time and action, d new.
    await writeCaseTimers(db.db, caseId, { set: [{ key: 'b', dueAt: t1, action: { type: 'late', step: 'b2' } }, { key: 'd', dueAt: t1, action: { type: 'late', step: 'd' } }], cancel: ['a', 'c'] });
    expect(await timers()).toEqual({
      a: { status: 'cancelled', dueAt: t0.toISOString(), action: { type: 'late', step: 'a' }, fired: false },
      b: { status: 'pending', dueAt: t1.toISOString(), action: { type: 'late', step: 'b2' }, fired: false },
      // Fired before the write: a cancel leaves it as the sweep left it.
      c: { status: 'fired', dueAt: t0.toISOString(), action: { type: 'late', step: 'c' }, fired: true },
      d: { status: 'pending', dueAt: t1.toISOString(), action: { type: 'late', step: 'd' }, fired: false },
    });

    // A fired and a cancelled key armed again, with another cancelled in the same write.
    await writeCaseTimers(db.db, caseId, { set: [{ key: 'a', dueAt: t1, action: { type: 'late', step: 'a2' } }, { key: 'c', dueAt: t1, action: { type: 'late', step: 'c2' } }], cancel: ['d'] });
    const after = await timers();
    expect(after.a).toEqual({ status: 'pending', dueAt: t1.toISOString(), action: { type: 'late', step: 'a2' }, fired: false });
    expect(after.c).toEqual({ status: 'pending', dueAt: t1.toISOString(), action: { type: 'late', step: 'c2' }, fired: false });
    expect(after.d?.status).toBe('cancelled');
    expect(after.b?.status).toBe('pending');
  });

  it('refuses a key both set and cancelled in one write', async () => {
    await expect(writeCaseTimers(db.db, caseId, { set: [{ key: 'x', dueAt: t1, action: {} }], cancel: ['x'] })).rejects.toThrow(/both set and cancelled/);
  });

  it('starts and stops reminder ladders in one write', async () => {
    const ladders = async () => Object.fromEntries((await db.db.select().from(stepReminders).where(eq(stepReminders.caseId, caseId))).map((r) => [r.stepKey, r.nextAt?.toISOString() ?? null]));
    await trackStepReminders(db.db, { caseId, active: ['s1', 's2'], inactive: [] }, t0);
    expect(await ladders()).toEqual({ s1: t0.toISOString(), s2: t0.toISOString() });
    await trackStepReminders(db.db, { caseId, active: ['s2', 's3'], inactive: ['s1'] }, t1);
    expect(await ladders()).toEqual({ s1: null, s2: t1.toISOString(), s3: t1.toISOString() });
    await trackStepReminders(db.db, { caseId, active: [], inactive: ['s2', 's3'] }, t1);
    expect(await ladders()).toEqual({ s1: null, s2: null, s3: null });
    await expect(trackStepReminders(db.db, { caseId, active: ['s1'], inactive: ['s1'] }, t1)).rejects.toThrow(/both active and inactive/);
  });
});
