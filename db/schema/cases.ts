import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * A running case: the engine's CaseState kept whole as jsonb (the routine engine is the only
 * writer of its shape), plus the columns the app queries by. The personnummer is stored only
 * encrypted, with a keyed hash for lookup (DESIGN.md, Privacy).
 */
export const cases = pgTable(
  'cases',
  {
    id: serial('id').primaryKey(),
    caseRef: text('case_ref').notNull().unique(),
    routineId: text('routine_id').notNull(),
    routineVersion: integer('routine_version').notNull(),
    /** 'open' | 'closed' */
    status: text('status').notNull(),
    clientInitials: text('client_initials').notNull(),
    pnrCipher: text('pnr_cipher'),
    pnrHash: text('pnr_hash'),
    legalBasis: text('legal_basis'),
    provider: text('provider'),
    unit: text('unit'),
    area: text('area'),
    state: jsonb('state').notNull(),
    /** Bumped on every write: the compare-and-set guard against lost updates. */
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('cases_pnr_hash_idx').on(t.pnrHash)],
);

/** Who holds each role on a case (a person id from the directory). */
export const caseRoles = pgTable(
  'case_roles',
  {
    caseId: integer('case_id').notNull().references(() => cases.id),
    role: text('role').notNull(),
    personId: text('person_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.role] }), index('case_roles_person_idx').on(t.personId)],
);

/** A projection of the case's steps for the queries the bot and the sweep make. */
export const caseSteps = pgTable(
  'case_steps',
  {
    caseId: integer('case_id').notNull().references(() => cases.id),
    stepKey: text('step_key').notNull(),
    stepId: text('step_id').notNull(),
    title: text('title').notNull(),
    role: text('role').notNull(),
    /** The person holding the role when the step opened (substitutes are resolved on delivery). */
    assigneeId: text('assignee_id'),
    /** 'open' | 'done' | 'skipped' | 'cancelled' */
    status: text('status').notNull(),
    seq: integer('seq').notNull(),
    /** The deadline as a Stockholm calendar day, already moved to a working day. */
    due: text('due'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completedBy: text('completed_by'),
    completedByRole: text('completed_by_role'),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.stepKey] }),
    index('case_steps_open_assignee_idx').on(t.assigneeId).where(sql`status = 'open'`),
    // "mina uppgifter" joins each case the person holds a role on to its open step of that role:
    // without it every step of the case is read from the heap and filtered (about ten per case).
    index('case_steps_open_case_role_idx').on(t.caseId, t.role).where(sql`status = 'open'`),
    index('case_steps_open_due_idx').on(t.due).where(sql`status = 'open' and due is not null`),
  ],
);

/** Timers are rows (DESIGN.md): the sweep fires those due, once each. */
export const caseTimers = pgTable(
  'case_timers',
  {
    caseId: integer('case_id').notNull().references(() => cases.id),
    key: text('key').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    action: jsonb('action').notNull(),
    /** 'pending' | 'fired' | 'cancelled' */
    status: text('status').notNull(),
    firedAt: timestamp('fired_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.key] }),
    index('case_timers_due_idx').on(t.dueAt).where(sql`status = 'pending'`),
  ],
);

/**
 * Append-only, hash-chained audit trail of every read and write of case data. Entries are chained
 * per `chain` (the case, or for entries without a case the actor), so writers on different cases
 * never wait for each other; each entry's hash covers its content and the previous entry of its
 * chain, so an edited or removed row breaks that chain. `xid` is the writing transaction's id:
 * the sealer folds every finished transaction's entries into `audit_seals`, one global chain that
 * also catches a removed last entry of a chain, and that the signed checkpoints pin. Rows written
 * before chains existed form the chain '*' in id order (the former single chain).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** Person id, 'system', 'mail:<address hash>' … never a client's name. */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    caseRef: text('case_ref'),
    detail: jsonb('detail').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    chain: text('chain').notNull().default('*'),
    xid: bigint('xid', { mode: 'number' }).notNull().default(sql`(pg_current_xact_id()::text)::bigint`),
  },
  (t) => [index('audit_log_case_idx').on(t.caseRef), index('audit_log_chain_idx').on(t.chain, t.id), index('audit_log_xid_idx').on(t.xid)],
);

/**
 * Seals of the audit trail, append-only like it: seal n covers every entry whose transaction id
 * lies in [seal n-1's xidBelow, xidBelow), all of them finished when it was made. `digest` hashes
 * the covered entries' ids and hashes in id order; `hash` chains the seals. A checkpoint signs a
 * seal, so a removed or rewritten entry anywhere before it shows.
 */
export const auditSeals = pgTable('audit_seals', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  xidFrom: bigint('xid_from', { mode: 'number' }).notNull(),
  xidBelow: bigint('xid_below', { mode: 'number' }).notNull().unique(),
  entries: integer('entries').notNull(),
  lastEntryId: bigint('last_entry_id', { mode: 'number' }),
  digest: text('digest').notNull(),
  prevHash: text('prev_hash').notNull().unique(),
  hash: text('hash').notNull(),
});
