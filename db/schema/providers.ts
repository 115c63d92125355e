import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The register of providers (leverantörer, utförare): LOV boendestöd and ramavtal housing. They
 * answer only by e-mail: the functional mailbox gets our mail, and a reply is believed only from
 * the provider's own mail domain (together with the case token).
 */
export const providers = pgTable('providers', {
  /** A short stable id ('omsorg-ab'): it is part of every case token's MAC. */
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** ProviderService values (domain/providers/services.ts). */
  services: text('services').array().notNull(),
  /** Lower-case; where orders and acknowledgements go. */
  mailbox: text('mailbox').notNull(),
  /** Lower-case; a reply must come from this domain (or a subdomain of it). */
  mailDomain: text('mail_domain').notNull(),
  takesNewCustomers: boolean('takes_new_customers').notNull(),
  active: boolean('active').notNull(),
  /** The provider's place in the ickeval rotation (the register's order). */
  position: integer('position').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: text('updated_by').notNull(),
});

/**
 * One row per service: the last provider given a case by ickeval. Taken FOR UPDATE while the next
 * one is chosen, so two handläggare asking at once are served one after the other.
 */
export const providerRotation = pgTable('provider_rotation', {
  service: text('service').primaryKey(),
  lastProviderId: text('last_provider_id'),
  /** Bumped on every advance: the compare-and-set guard behind the row lock. */
  version: integer('version').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** Which provider a case was given (ickeval proposal, confirmed, or the person's own choice). */
export const providerAssignments = pgTable(
  'provider_assignments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseRef: text('case_ref').notNull(),
    service: text('service').notNull(),
    providerId: text('provider_id').notNull(),
    /** 'ickeval' | 'val' */
    kind: text('kind').notNull(),
    /** 'proposed' | 'confirmed' */
    status: text('status').notNull(),
    proposedBy: text('proposed_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  },
  // One ickeval proposal per case: asking twice shows the same provider, it does not advance twice.
  (t) => [uniqueIndex('provider_assignments_case_kind_uq').on(t.caseRef, t.kind)],
);

/**
 * A provider reply the system could not act on by itself: a task for the handläggare, who reads
 * the mail (forwarded to their internal address) and closes the task. Never lost.
 */
export const providerInboxTasks = pgTable(
  'provider_inbox_tasks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseRef: text('case_ref').notNull(),
    providerId: text('provider_id').notNull(),
    /** The handläggare (socialsekreterare) on the case when the reply came. */
    assigneeId: text('assignee_id'),
    messageId: text('message_id'),
    /** Codes, not mail text: why a person must read it. */
    reason: text('reason').notNull(),
    /** The reply's own text (quoted original removed), sealed: `v2:<key id>:<base64>` (lib/pnr-crypto.ts). */
    body: text('body').notNull(),
    /** 'open' | 'done' */
    status: text('status').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
    doneBy: text('done_by'),
  },
  (t) => [index('provider_inbox_tasks_open_idx').on(t.assigneeId).where(sql`status = 'open'`)],
);

/**
 * A provider's engagement on a case: what a case token is bound to. Opened when the first mail
 * with a token goes to the provider; ended when the case is ordered from another provider, so a
 * token of an ended order is refused even if the case comes back to the same provider.
 */
export const providerOrders = pgTable(
  'provider_orders',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseRef: text('case_ref').notNull(),
    providerId: text('provider_id').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  // One open order per case: two mails rendered at once share it instead of opening two.
  (t) => [uniqueIndex('provider_orders_open_uq').on(t.caseRef).where(sql`ended_at is null`)],
);
