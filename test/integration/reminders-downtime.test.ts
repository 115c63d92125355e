import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema/index.ts';
import { stockholmInstant } from '../../domain/calendar/stockholm.ts';
import { DEFAULT_WORKING_TIME, isWorkingTime } from '../../domain/calendar/working-time.ts';
import { createLogger } from '../../lib/logger.ts';
import { fireDueTimers } from '../../services/timer-sweep.ts';
import { makeCaseService, nextCaseRef, RAMAVTAL_ROLES, seedStaff, STAFF } from '../support/case-fixtures.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const logger = createLogger({ level: 'silent', format: 'json' });
const at = (date: string, h: number, m = 0) => stockholmInstant(date, h, m);

/**
 * The service was down when a step's "late" timer came due. Whatever the hour or day it comes
 * back, the late message waits for working hours on a working day.
 */
describe.each(ENGINES)('a late message after downtime on %s', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(engine);
    await seedStaff(t.db);
  });
  afterAll(() => t.close());

  /** Sara's "kontaktuppgifter" step opens Tuesday 15 Dec, due 22 Dec: its late timer is Wednesday 23 Dec 07:00. */
  async function caseDue22December() {
    const { service, clock } = makeCaseService(t.db, at('2026-12-15', 9));
    const caseRef = nextCaseRef();
    await service.startCase({ routineId: 'ramavtal-bb', phase: 'infor_kop', caseRef, clientInitials: 'E.B.', personnummer: '199104123188', legalBasis: 'LSS 9 § 9', roles: RAMAVTAL_ROLES }, STAFF.sara.id);
    const [first] = (await service.listTasks(STAFF.erik.id)).filter((x) => x.caseRef === caseRef);
    await service.completeStep({ caseRef, stepKey: first!.stepKey, personId: STAFF.erik.id, data: { purchaseDecidedOn: '2026-12-15' } });
    expect((await service.listTasks(STAFF.sara.id)).find((x) => x.caseRef === caseRef)?.due).toBe('2026-12-22');
    return { service, clock, caseRef };
  }

  const lateNotice = async (caseRef: string) =>
    (await t.db.select().from(outbox).where(eq(outbox.caseRef, caseRef))).filter((r) => (r.payload as { kind: string }).kind === 'step_late' && r.recipient === STAFF.sara.id);

  for (const [what, back, leaves] of [
    ['at 06:30 on a working day', at('2026-12-28', 6, 30), at('2026-12-28', 7)],
    ['on julafton', at('2026-12-24', 10), at('2026-12-28', 7)],
    ['on juldagen', at('2026-12-25', 12), at('2026-12-28', 7)],
  ] as const) {
    it(`waits for working hours when the service comes back ${what}`, async () => {
      const { service, clock, caseRef } = await caseDue22December();
      clock.set(back);
      await fireDueTimers({ db: t.db, engine: service.engine, clock, logger });
      const [late] = await lateNotice(caseRef);
      expect(late, 'the late timer fired at restart').toBeDefined();
      expect(late!.nextAttemptAt).toEqual(leaves);
      expect(isWorkingTime(late!.nextAttemptAt, DEFAULT_WORKING_TIME)).toBe(true);
    });
  }
});
