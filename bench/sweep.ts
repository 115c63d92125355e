/**
 * `npm run bench:sweep`: one reminder sweep over 100 000 and over 1 000 000 open steps with a
 * deadline, 1 000 of them due each time. The target: the sweep's time follows the due steps, not
 * all steps (the two runs within 2× of each other), because the due query reads the partial
 * index on step_reminders.next_at. Prints the timings and the due query's plan.
 */
import { sql } from 'drizzle-orm';
import { createDb, type DbHandle } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { stockholmInstant } from '../domain/calendar/stockholm.ts';
import { DEFAULT_WORKING_TIME } from '../domain/calendar/working-time.ts';
import { manualClock } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import { sendDueReminders } from '../services/reminders.ts';
import { startPostgres } from '../test/support/services/postgres.ts';

const DUE = 1_000;
const STEPS_PER_CASE = 10;
// A Tuesday morning: the due steps get their due-day reminder.
const NOW = stockholmInstant('2027-03-02', 9);
const settings = { headsUpWorkingDays: 2, escalateAfterWorkingDays: 3, escalationFallback: { role: 'verksamhetschef' as const }, digestTime: { hour: 7, minute: 30 }, hours: DEFAULT_WORKING_TIME };
const logger = createLogger({ level: 'silent', format: 'json' });

async function seed(h: DbHandle, total: number): Promise<void> {
  await h.query(sql`truncate step_reminders, reminders_sent, case_steps, case_roles, outbox, cases restart identity cascade`);
  await h.query(sql.raw(`insert into people (id, email, name, roles) values ('p-bench', 'bench@kommun.example', 'Bench Handläggare', '{socialsekreterare}') on conflict do nothing`));
  await h.query(sql.raw(`
    insert into cases (case_ref, routine_id, routine_version, status, client_initials, state, created_at, updated_at)
    select 'BENCH-' || g, 'ramavtal-bb', 1, 'open', 'A.B.', '{}'::jsonb, now(), now() from generate_series(1, ${total / STEPS_PER_CASE}) g`));
  // Step n of case c; the first DUE steps are due today, the rest weeks to a year ahead.
  await h.query(sql.raw(`
    insert into case_steps (case_id, step_key, step_id, title, role, assignee_id, status, seq, due, opened_at)
    select c, 's' || s, 'steg', 'Bänksteg', 'socialsekreterare', 'p-bench', 'open', s,
           case when (c - 1) * ${STEPS_PER_CASE} + s <= ${DUE} then '2027-03-02' else to_char(date '2027-04-01' + ((c * 7 + s) % 300), 'YYYY-MM-DD') end,
           timestamptz '2027-02-01 08:00+01'
    from generate_series(1, ${total / STEPS_PER_CASE}) c, generate_series(1, ${STEPS_PER_CASE}) s`));
  await h.query(sql.raw(`
    insert into step_reminders (case_id, step_key, next_at, updated_at)
    select case_id, step_key,
           case when due = '2027-03-02' then timestamptz '2027-03-02 07:00+01' else (due::date - 3)::timestamptz end, now()
    from case_steps`));
  await h.query(sql.raw('analyze'));
}

async function explainDue(h: DbHandle): Promise<string> {
  const rows = await h.query<{ 'QUERY PLAN': string }>(sql`
    explain (analyze, buffers, costs off)
    select sr.case_id, sr.step_key, sr.snooze_until, cs.status, cs.due, cs.opened_at, cs.title, cs.role,
           coalesce(cr.person_id, cs.assignee_id), c.case_ref, c.client_initials, c.status
    from step_reminders sr
    join case_steps cs on cs.case_id = sr.case_id and cs.step_key = sr.step_key
    join cases c on c.id = sr.case_id
    left join case_roles cr on cr.case_id = cs.case_id and cr.role = cs.role
    where sr.next_at is not null and sr.next_at <= ${NOW.toISOString()}
    order by sr.next_at limit 100
    for update of sr skip locked`);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

async function run(h: DbHandle, total: number): Promise<number> {
  const t0 = performance.now();
  await seed(h, total);
  process.stdout.write(`\n== ${total.toLocaleString('sv-SE')} öppna steg, ${DUE} förfallna (seed ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  process.stdout.write(`${await explainDue(h)}\n`);
  const start = performance.now();
  const sent = await sendDueReminders({ db: h.db, clock: manualClock(NOW), logger, settings });
  const ms = performance.now() - start;
  process.stdout.write(`svep: ${sent} påminnelser köade på ${ms.toFixed(0)} ms\n`);
  if (sent !== DUE) throw new Error(`expected ${DUE} reminders, got ${sent}`);
  return ms;
}

const pg = await startPostgres();
try {
  const h = await createDb({ url: pg.adminUrl, poolSize: 4 });
  await migrate(h);
  const small = await run(h, 100_000);
  const large = await run(h, 1_000_000);
  const ratio = large / small;
  process.stdout.write(`\n100k: ${small.toFixed(0)} ms, 1M: ${large.toFixed(0)} ms, kvot ${ratio.toFixed(2)} (mål < 2)\n`);
  await h.close();
  if (ratio >= 2) process.exitCode = 1;
} finally {
  pg.stop();
}
