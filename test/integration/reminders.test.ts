import { and, eq, like } from 'drizzle-orm';
import { testLogger } from '../support/log-capture.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntriesForCase } from '../../db/audit.ts';
import { addSubstitute } from '../../db/people.ts';
import { outbox, people } from '../../db/schema/index.ts';
import { stockholmDate, stockholmInstant } from '../../domain/calendar/stockholm.ts';
import { isWorkingTime, DEFAULT_WORKING_TIME } from '../../domain/calendar/working-time.ts';
import { sweepReminders } from '../../services/reminders-sweep.ts';
import { snoozeReminders } from '../../services/reminders-snooze.ts';
import { fireDueTimers } from '../../services/timer-sweep.ts';
import { makeCaseService, nextCaseRef, RAMAVTAL_ROLES, seedStaff, STAFF, REMINDER_SETTINGS } from '../support/case-fixtures.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const logger = testLogger();
const SETTINGS = REMINDER_SETTINGS;
const at = (date: string, h: number, m = 0) => stockholmInstant(date, h, m);

describe.each(ENGINES)('reminders on %s', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(engine);
    await seedStaff(t.db);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A ramavtal case whose "kontaktuppgifter" step (Sara) opens 16 Dec 2026, due 23 Dec, the day before julafton. */
  async function caseWithDeadline() {
    const { service, clock } = makeCaseService(t.db, at('2026-12-16', 9));
    const caseRef = nextCaseRef();
    await service.startCase({ routineId: 'ramavtal-bb', phase: 'infor_kop', caseRef, clientInitials: 'E.B.', personnummer: '199104123188', legalBasis: 'LSS 9 § 9', roles: RAMAVTAL_ROLES }, STAFF.sara.id);
    const [first] = (await service.listTasks(STAFF.erik.id)).filter((x) => x.caseRef === caseRef);
    await service.completeStep({ caseRef, stepKey: first!.stepKey, personId: STAFF.erik.id, data: { purchaseDecidedOn: '2026-12-16' } });
    const [task] = (await service.listTasks(STAFF.sara.id)).filter((x) => x.caseRef === caseRef);
    expect(task).toMatchObject({ stepId: 'kontaktuppgifter', due: '2026-12-23' });
    return { service, clock, caseRef, stepKey: task!.stepKey };
  }

  /** Both sweeps, every two hours of Stockholm time, from the clock's time to `until`. */
  async function walk(clock: ReturnType<typeof makeCaseService>['clock'], until: Date) {
    while (clock.now() < until) {
      clock.advance(2 * 3_600_000);
      await sweepReminders({ db: t.db, clock, logger, settings: SETTINGS });
      await fireDueTimers({ db: t.db, engine: makeCaseService(t.db, clock.now()).service.engine, clock, logger });
    }
  }

  const remindersOf = (caseRef: string) =>
    t.db.select().from(outbox).where(and(eq(outbox.caseRef, caseRef), like(outbox.dedupeKey, 'reminder:%'))).orderBy(outbox.id);
  const lateNoticesOf = async (caseRef: string) =>
    (await t.db.select().from(outbox).where(eq(outbox.caseRef, caseRef))).filter((r) => (r.payload as { kind: string }).kind === 'step_late');

  // First in the file: the digest pass of a day runs once, and later tests walk the same days.
  it('sends each handläggare one digest a working day listing their late and this week\'s steps', async () => {
    const { clock, caseRef } = await caseWithDeadline();
    await walk(clock, at('2026-12-21', 12));
    const digests = await t.db.select().from(outbox).where(like(outbox.dedupeKey, 'digest:%:2026-12-21'));
    const sara = digests.filter((r) => r.recipient === STAFF.sara.id);
    expect(sara).toHaveLength(1);
    expect((sara[0]?.payload as { message: string }).message).toContain(`${caseRef} E.B.`);
    expect(digests.every((r) => isWorkingTime(r.createdAt, DEFAULT_WORKING_TIME) && r.createdAt >= at('2026-12-21', 7, 30))).toBe(true);
  });

  it('walks the ladder in order, once each, never on a weekend or julafton, and escalates to the manager', async () => {
    const { clock, caseRef } = await caseWithDeadline();
    await walk(clock, at('2027-01-05', 12));
    const sent = await remindersOf(caseRef);
    expect(sent.map((r) => r.dedupeKey.split(':').at(-1))).toEqual(['heads_up', 'due_day', 'escalation']);
    expect(sent.map((r) => stockholmDate(r.createdAt))).toEqual(['2026-12-21', '2026-12-23', '2026-12-30']);
    expect(sent.map((r) => r.recipient)).toEqual([STAFF.sara.id, STAFF.sara.id, STAFF.erik.id]);
    // The engine's late message is the holder's late rung: once, moved off julafton to Monday 28th.
    const late = await lateNoticesOf(caseRef);
    expect(late.filter((r) => r.recipient === STAFF.sara.id).map((r) => stockholmDate(r.createdAt))).toEqual(['2026-12-28']);
    for (const row of [...sent, ...late]) expect(isWorkingTime(row.createdAt, DEFAULT_WORKING_TIME)).toBe(true);
    expect(JSON.stringify(sent)).not.toContain('199104123188');
  });

  it('moves the next reminder on a snooze, audits it, and keeps the deadline and escalation', async () => {
    const { clock, caseRef, service } = await caseWithDeadline();
    await walk(clock, at('2026-12-21', 9));
    const r = await snoozeReminders({ db: t.db, clock }, { caseRef, until: '2026-12-29', personId: STAFF.sara.id });
    expect(r.ok).toBe(true);
    // Past the deadline: the due-day reminder still comes first, and the reply says so.
    expect(r.ok && r.message).toContain('Sista dagen (2026-12-23) kommer före 2026-12-29, så påminnelsen på sista dagen kommer först.');
    await walk(clock, at('2026-12-31', 12));
    const sent = await remindersOf(caseRef);
    expect(sent.map((x) => `${x.dedupeKey.split(':').slice(-2).join(':')}@${stockholmDate(x.createdAt)}`)).toEqual([
      'kontaktuppgifter:heads_up@2026-12-21',
      'kontaktuppgifter:due_day@2026-12-23',
      'snooze:2026-12-29@2026-12-29',
      'kontaktuppgifter:escalation@2026-12-30',
    ]);
    expect((await auditEntriesForCase(t.db, caseRef)).map((a) => a.action)).toContain('reminder.snooze');
    expect((await service.listTasks(STAFF.sara.id)).find((x) => x.caseRef === caseRef)?.due).toBe('2026-12-23');
  });

  it('sends nothing more once the step is completed', async () => {
    const { clock, caseRef, service, stepKey } = await caseWithDeadline();
    await walk(clock, at('2026-12-21', 9));
    await service.completeStep({ caseRef, stepKey, personId: STAFF.sara.id, data: { interviewSource: 'annan' } });
    await walk(clock, at('2027-01-05', 12));
    expect((await remindersOf(caseRef)).map((r) => r.dedupeKey.split(':').at(-1))).toEqual(['heads_up']);
    expect(await lateNoticesOf(caseRef)).toEqual([]);
  });

  it('closing the case stops its reminders', async () => {
    const { clock, caseRef, service } = await caseWithDeadline();
    await walk(clock, at('2026-12-21', 9));
    expect(await service.closeCase({ caseRef, date: '2026-12-21', reason: 'flyttat', personId: STAFF.sara.id })).toMatchObject({ ok: true });
    await walk(clock, at('2027-01-05', 12));
    expect((await remindersOf(caseRef)).map((r) => r.dedupeKey.split(':').at(-1))).toEqual(['heads_up']);
  });

  it('escalates to the area\'s verksamhetschef when the holder has no manager, and says why', async () => {
    await t.db.insert(people).values({ id: 'p-nora', email: 'nora.soc@kommun.example', name: 'Nora Utanchef', roles: ['socialsekreterare'], area: 'Väster', managerId: null }).onConflictDoNothing();
    const { service, clock } = makeCaseService(t.db, at('2026-12-16', 9));
    const caseRef = nextCaseRef();
    await service.startCase({ routineId: 'ramavtal-bb', phase: 'infor_kop', caseRef, clientInitials: 'N.U.', personnummer: '199104123188', legalBasis: 'LSS 9 § 9', roles: { ...RAMAVTAL_ROLES, socialsekreterare: 'p-nora' } }, STAFF.sara.id);
    const [first] = (await service.listTasks(STAFF.erik.id)).filter((x) => x.caseRef === caseRef);
    await service.completeStep({ caseRef, stepKey: first!.stepKey, personId: STAFF.erik.id, data: { purchaseDecidedOn: '2026-12-16' } });
    await walk(clock, at('2027-01-05', 12));
    const escalation = (await remindersOf(caseRef)).filter((r) => r.dedupeKey.endsWith(':escalation'));
    expect(escalation.map((r) => r.recipient)).toEqual([STAFF.vera.id]);
    expect((escalation[0]?.payload as { message: string }).message).toContain('Du får detta eftersom Nora Utanchef saknar chef i personalkatalogen.');
    expect(isWorkingTime(escalation[0]!.createdAt, DEFAULT_WORKING_TIME)).toBe(true);
  });

  // Last in the file: the absence it records would otherwise redirect the other tests' reminders.
  it('addresses the holder\'s substitute during an absence', async () => {
    const { clock, caseRef } = await caseWithDeadline();
    await addSubstitute(t.db, { personId: STAFF.sara.id, substituteId: STAFF.olle.id, fromDate: '2026-12-21', toDate: '2026-12-22', createdBy: STAFF.sara.id }, clock.now());
    await walk(clock, at('2026-12-23', 12));
    expect((await remindersOf(caseRef)).map((r) => r.recipient)).toEqual([STAFF.olle.id, STAFF.sara.id]);
  });
});
