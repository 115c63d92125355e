import { spawn } from 'node:child_process';
import { testLogger } from '../support/log-capture.ts';
import { eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../db/client.ts';
import { outbox, remindersSent } from '../../db/schema/index.ts';
import { stockholmInstant } from '../../domain/calendar/stockholm.ts';
import { manualClock } from '../../lib/clock.ts';
import { sweepReminders } from '../../services/reminders-sweep.ts';
import { makeCaseService, nextCaseRef, RAMAVTAL_ROLES, seedStaff, STAFF, REMINDER_SETTINGS } from '../support/case-fixtures.ts';
import { waitFor } from '../support/services/system.ts';
import { openTestDb, type TestDb } from '../support/test-db.ts';

const logger = testLogger();
const SETTINGS = REMINDER_SETTINGS;
const at = (date: string, h: number, m = 0) => stockholmInstant(date, h, m);

/** The claim a sweeper makes, then it hangs (waiting to be killed) with the transaction open. */
const DYING_SWEEPER = `
import postgres from 'postgres';
const [url, now] = process.argv.slice(1);
const sql = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'dying-sweeper' } });
await sql.begin(async (tx) => {
  const rows = await tx\`select case_id, step_key from step_reminders where next_at is not null and next_at <= \${now} order by next_at for update skip locked\`;
  for (const r of rows) await tx\`insert into reminders_sent (case_id, step_key, level, recipient, sent_at) values (\${r.case_id}, \${r.step_key}, 'heads_up', null, \${now}) on conflict do nothing\`;
  process.stdout.write('claimed ' + rows.length + '\\n');
  await new Promise(() => {});
});
`;

/** Cases whose Sara step is due 2026-12-23 (see reminders.test.ts). */
async function seedCases(t: TestDb, n: number): Promise<string[]> {
  const refs: string[] = [];
  for (let i = 0; i < n; i++) {
    const { service } = makeCaseService(t.db, at('2026-12-16', 9));
    const caseRef = nextCaseRef();
    await service.startCase({ routineId: 'ramavtal-bb', phase: 'infor_kop', caseRef, clientInitials: 'A.B.', personnummer: '199104123188', legalBasis: 'LSS 9 § 9', roles: RAMAVTAL_ROLES }, STAFF.sara.id);
    const [first] = (await service.listTasks(STAFF.erik.id)).filter((x) => x.caseRef === caseRef);
    await service.completeStep({ caseRef, stepKey: first!.stepKey, personId: STAFF.erik.id, data: { purchaseDecidedOn: '2026-12-16' } });
    refs.push(caseRef);
  }
  return refs;
}

describe('reminder sweepers on one PostgreSQL', () => {
  let t: TestDb;
  let other: DbHandle;
  beforeAll(async () => {
    t = await openTestDb('postgres');
    other = await createDb({ url: t.url, poolSize: 5 });
    await seedStaff(t.db);
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  it('sends each reminder exactly once when two sweepers run at the same time, round after round', async () => {
    const refs = await seedCases(t, 25);
    const clockA = manualClock(at('2026-12-16', 10));
    const clockB = manualClock(at('2026-12-16', 10));
    for (let now = at('2026-12-16', 10); now < at('2027-01-05', 12); now = new Date(now.getTime() + 3 * 3_600_000)) {
      clockA.set(now);
      clockB.set(now);
      await Promise.all([
        sweepReminders({ db: t.db, clock: clockA, logger, settings: SETTINGS }),
        sweepReminders({ db: other.db, clock: clockB, logger, settings: SETTINGS }),
      ]);
    }
    const queued = await t.db.select().from(outbox).where(like(outbox.dedupeKey, 'reminder:%'));
    const mine = queued.filter((r) => refs.includes(r.caseRef ?? ''));
    expect(mine).toHaveLength(refs.length * 3);
    for (const ref of refs) {
      expect(mine.filter((r) => r.caseRef === ref).map((r) => r.dedupeKey.split(':').at(-1)).sort()).toEqual(['due_day', 'escalation', 'heads_up']);
    }
    const [sent] = await t.db.select({ n: sql<number>`count(*)::int` }).from(remindersSent);
    expect(Number(sent?.n)).toBe(queued.length);
  });

  it('loses nothing when a sweeper dies mid-run: the next sweep sends what was due', async () => {
    const refs = await seedCases(t, 5);
    const headsUpTime = at('2026-12-21', 8);
    // A real sweeper process that claims the due rows, records the rungs, and is SIGKILLed before
    // it commits: PostgreSQL rolls its transaction back when the connection drops.
    const child = spawn(process.execPath, ['--input-type=module', '-e', DYING_SWEEPER, t.url ?? '', headsUpTime.toISOString()], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => (chunk.toString().includes('claimed') ? resolve() : undefined));
      child.on('exit', (code) => reject(new Error(`sweeper exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    // The server notices the dropped connection a moment later; until its backend ends, the rows
    // stay locked and a SKIP LOCKED sweep would pass them by.
    await waitFor('den dödade sveparens anslutning är borta', async () => {
      const [row] = await t.query<{ n: number }>(sql`select count(*)::int as n from pg_stat_activity where application_name = 'dying-sweeper'`);
      return Number(row?.n ?? 1) === 0;
    }, 10_000);
    await sweepReminders({ db: t.db, clock: manualClock(headsUpTime), logger, settings: SETTINGS });
    for (const ref of refs) {
      const rows = await t.db.select().from(outbox).where(eq(outbox.caseRef, ref));
      expect(rows.filter((r) => r.dedupeKey.endsWith(':heads_up'))).toHaveLength(1);
    }
  });
});
