import { sql } from 'drizzle-orm';
import { appendAuditWithListSql, auditListValues, type AuditListValues } from './audit.ts';
import { keptStatement } from './kept-statement.ts';
import { rowsOf, type Db } from './client.ts';
import { openStepsHeldByQuery } from './case-steps.ts';
import { openInboxTaskRefsQuery } from './providers.ts';

/** An open step as "mina uppgifter" lists it (openStepsHeldBy's row). */
export type OpenStepRow = Awaited<ReturnType<typeof openStepsHeldByQuery>>[number];
/** An open provider reply as the list names it: no reply text. */
export type InboxTaskRef = { id: number; caseRef: string; createdAt: Date };

/** The rows as json_agg writes them: the table's column names, timestamps as text. */
type StepJson = {
  case_ref: string;
  client_initials: string;
  routine_id: string;
  routine_version: number;
  step_key: string;
  step_id: string;
  title: string;
  role: string;
  due: string | null;
  opened_at: string;
  person_id: string;
};
type ReplyJson = { id: number; case_ref: string; created_at: string };

/** The statement, kept: it is on the path of every "mina uppgifter". */
const taskListStatement = keptStatement<keyof AuditListValues | 'personId' | 'date'>((p, db) => {
  const audit = appendAuditWithListSql(
    { chain: p('chain'), at: p('at'), actor: p('actor'), action: p('action'), caseRef: p('caseRef'), detail: p('detail'), bodyBefore: p('bodyBefore'), bodyAfter: p('bodyAfter') },
    'caseRefs',
    sql`shown`,
  );
  return sql`
    with t as (${openStepsHeldByQuery(db, p('personId'), p('date'))}),
      r as (${openInboxTaskRefsQuery(db, p('personId'))}),
      shown as (select case_ref as v from t union select case_ref from r)
    select
      -- The order of openStepsHeldBy: undated last, then by due date and opening.
      (select coalesce(json_agg(t order by t.due is null, t.due, t.opened_at), '[]'::json) from t) as steps,
      (select coalesce(json_agg(r order by r.id), '[]'::json) from r) as replies,
      ${audit} as audited`;
});

/**
 * A person's task list, audited, in one statement (one round trip): the open steps they or the
 * people they stand in for on `date` hold (openStepsHeldBy, by due date: undated last, then by
 * opening) and their open provider replies (oldest first), and the audit entry of the read, whose
 * detail names every case the list shows (`caseRefs`). The entry is written by audit_append
 * inside the statement, so there is no list without its entry.
 */
export async function readTaskListAudited(db: Db, params: { personId: string; date: string; action: string; now: Date }): Promise<{ steps: OpenStepRow[]; replies: InboxTaskRef[] }> {
  const audit = auditListValues({ actor: params.personId, action: params.action }, 'caseRefs', params.now);
  const rows = rowsOf<{ steps: StepJson[]; replies: ReplyJson[] }>(await db.execute(taskListStatement(db, { ...audit, personId: params.personId, date: params.date })));
  const [row] = rows;
  if (!row) throw new Error('the task list statement returned no row');
  return {
    steps: row.steps.map((s) => ({
      caseRef: s.case_ref,
      clientInitials: s.client_initials,
      routineId: s.routine_id,
      routineVersion: s.routine_version,
      stepKey: s.step_key,
      stepId: s.step_id,
      title: s.title,
      role: s.role,
      due: s.due,
      openedAt: new Date(s.opened_at),
      holder: s.person_id,
    })),
    replies: row.replies.map((r) => ({ id: r.id, caseRef: r.case_ref, createdAt: new Date(r.created_at) })),
  };
}
