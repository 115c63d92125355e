import { shippedRoutines } from '../support/routines.ts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema/index.ts';
import { stockholmInstant } from '../../domain/calendar/stockholm.ts';
import { createLogger } from '../../lib/logger.ts';
import { previewReminders } from '../../services/reminders-preview.ts';
import { sweepReminders } from '../../services/reminders-sweep.ts';
import { fireDueTimers } from '../../services/timer-sweep.ts';
import { makeCaseService, nextCaseRef, RAMAVTAL_ROLES, seedStaff, STAFF, REMINDER_SETTINGS } from '../support/case-fixtures.ts';
import { runCommand } from '../support/cli-run.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const logger = createLogger({ level: 'silent', format: 'json' });
const SETTINGS = REMINDER_SETTINGS;
const at = (date: string, h: number, m = 0) => stockholmInstant(date, h, m);

describe.each(ENGINES)('reminders preview on %s', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(engine);
    await seedStaff(t.db);
  });
  afterAll(() => t.close());

  /** Sara's "kontaktuppgifter" step, open 16 Dec, due 23 Dec. */
  async function caseWithDeadline() {
    const { service, clock } = makeCaseService(t.db, at('2026-12-16', 9));
    const caseRef = nextCaseRef();
    await service.startCase({ routineId: 'ramavtal-bb', phase: 'infor_kop', caseRef, clientInitials: 'E.B.', personnummer: '199104123188', legalBasis: 'LSS 9 § 9', roles: RAMAVTAL_ROLES }, STAFF.sara.id);
    const [first] = (await service.listTasks(STAFF.erik.id)).filter((x) => x.caseRef === caseRef);
    await service.completeStep({ caseRef, stepKey: first!.stepKey, personId: STAFF.erik.id, data: { purchaseDecidedOn: '2026-12-16' } });
    return { service, clock, caseRef };
  }

  /** What the sweeps actually queued for the case: reminders and the engine's late message. */
  const sentFor = async (caseRef: string) =>
    (await t.db.select().from(outbox).where(eq(outbox.caseRef, caseRef)))
      .filter((r) => r.dedupeKey.startsWith('reminder:') || (r.payload as { kind: string }).kind === 'step_late')
      .map((r) => `${r.dedupeKey.startsWith('reminder:') ? r.dedupeKey.split(':').at(-1) : 'late'}→${r.recipient}`);

  it('lists at each instant exactly what the sweeps then send, to whom, given what was already sent', async () => {
    const { service, clock, caseRef } = await caseWithDeadline();
    const level = { påminnelse: '', eskalering: 'escalation', försenat: 'late' } as const;
    const previewed: string[] = [];
    while (clock.now() < at('2027-01-05', 12)) {
      clock.advance(2 * 3_600_000);
      const lines = (await previewReminders(t.db, SETTINGS, clock.now(), shippedRoutines.find)).filter((l) => l.caseRef === caseRef && l.type in level);
      for (const l of lines) {
        const rung = l.type === 'påminnelse' ? (l.what.includes('förvarning') ? 'heads_up' : 'due_day') : level[l.type as 'eskalering' | 'försenat'];
        previewed.push(`${rung}→${/\(([^)]+)\)$/.exec(l.to ?? '')?.[1] ?? 'ingen'}`);
      }
      await sweepReminders({ db: t.db, clock, logger, settings: SETTINGS });
      await fireDueTimers({ db: t.db, engine: service.engine, clock, logger });
      // Nothing the preview promised is missing, and nothing was sent that it did not show.
      expect(previewed.sort(), clock.now().toISOString()).toEqual((await sentFor(caseRef)).sort());
    }
    expect(previewed.sort()).toEqual([`due_day→${STAFF.sara.id}`, `escalation→${STAFF.erik.id}`, `heads_up→${STAFF.sara.id}`, `late→${STAFF.sara.id}`]);
  });

  // After the walk above: that case has had everything, so this case's due-day reminder is the one line.
  it('speaks Swedish, names every recipient and counts "1 rad"', async () => {
    await caseWithDeadline();
    const { out } = await runCommand('reminders preview', ['--at', '2026-12-23 08:00'], t);
    expect(out).toContain(`S.S. (${STAFF.sara.id})`);
    expect(out).toContain('sista dagen, senast 2026-12-23');
    expect(out).toContain('\n1 rad.\n');
    expect(out).not.toMatch(/heads_up|due_day|escalation/);
    const late = (await previewReminders(t.db, SETTINGS, at('2026-12-28', 8), shippedRoutines.find)).filter((l) => l.type === 'försenat');
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((l) => l.to === `S.S. (${STAFF.sara.id})`)).toBe(true);
  });
});
