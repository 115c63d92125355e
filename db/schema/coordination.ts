import { bigserial, boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * Boendekoordination (routines 3 and 5): units, their vacancies, the queues and the offers.
 * A queue entry names a case by reference and initials only (DESIGN.md, Privacy).
 */
export const units = pgTable('units', {
  /** Short code used in chat ("Solrosen"). */
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Stadsområde / verksamhetschefs område: an internal move stays inside it. */
  area: text('area').notNull(),
  /** Samhällsbyggnadsförvaltningen or the landlord that administers the leases: told of every vacancy. */
  landlordEmail: text('landlord_email').notNull(),
  /** The unit's enhetschef, by directory e-mail; told of reservations. */
  managerEmail: text('manager_email'),
  /** Hemtjänst, dagverksamhet, växelboende, korttidsboende, Hälsa och sjukvård: told of move-ins. */
  careEmails: text('care_emails').array().notNull().default([]),
});

export const vacancies = pgTable(
  'vacancies',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    unitId: text('unit_id').notNull().references(() => units.id),
    apartment: text('apartment').notNull(),
    housingKind: text('housing_kind').notNull(),
    legalBasis: text('legal_basis').notNull(),
    area: text('area').notNull(),
    freeFrom: text('free_from').notNull(),
    /** domain/coordination VacancyStatus; every write is compare-and-set on it. */
    status: text('status').notNull(),
    version: integer('version').notNull().default(1),
    registeredBy: text('registered_by').notNull(),
    registeredAt: timestamp('registered_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('vacancies_status_idx').on(t.status),
    // One open registration per apartment: registering the same vacancy twice is refused.
    uniqueIndex('vacancies_open_apartment_uq').on(t.unitId, t.apartment).where(sql`status <> 'occupied'`),
  ],
);

export const queueEntries = pgTable(
  'queue_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseRef: text('case_ref').notNull(),
    clientInitials: text('client_initials').notNull(),
    /** 'decision' | 'change_of_home' */
    kind: text('kind').notNull(),
    decisionDate: text('decision_date').notNull(),
    legalBasis: text('legal_basis').notNull(),
    housingKind: text('housing_kind').notNull(),
    areaWishes: text('area_wishes').array().notNull().default([]),
    /** The area whose myndighet holds the decision: only staff of that area see and act on the entry. */
    area: text('area'),
    priority: integer('priority').notNull().default(2),
    needsInvestigation: boolean('needs_investigation').notNull().default(false),
    changeDocumentDate: text('change_document_date'),
    /** 'active' | 'placed' | 'ended'; 'ended' only by myndigheten, never by a decline. */
    status: text('status').notNull(),
    declines: integer('declines').notNull().default(0),
    registeredBy: text('registered_by').notNull(),
    registeredAt: timestamp('registered_at', { withTimezone: true }).notNull(),
    endedBy: text('ended_by'),
    endReason: text('end_reason'),
  },
  (t) => [uniqueIndex('queue_entries_active_uq').on(t.caseRef, t.kind).where(sql`status = 'active'`)],
);

/** Offer statuses: reserved → offered → accepted → moved_in, or declined. */
export const offers = pgTable(
  'offers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    vacancyId: integer('vacancy_id').notNull(),
    queueEntryId: integer('queue_entry_id').notNull(),
    status: text('status').notNull(),
    reservedBy: text('reserved_by').notNull(),
    reservedAt: timestamp('reserved_at', { withTimezone: true }).notNull(),
    offeredBy: text('offered_by'),
    viewingOn: text('viewing_on'),
    answerDeadline: text('answer_deadline'),
    /** When the offerer and myndigheten are reminded that the answer is due; null once sent or answered. */
    answerRemindAt: timestamp('answer_remind_at', { withTimezone: true }),
    declineReason: text('decline_reason'),
    plannedMoveIn: text('planned_move_in'),
    ordersSentAt: timestamp('orders_sent_at', { withTimezone: true }),
    actualMoveIn: text('actual_move_in'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // A second guard beside the vacancy's compare-and-set: one live offer per vacancy and per person.
    uniqueIndex('offers_live_vacancy_uq').on(t.vacancyId).where(sql`status in ('reserved', 'offered', 'accepted')`),
    uniqueIndex('offers_live_entry_uq').on(t.queueEntryId).where(sql`status in ('reserved', 'offered', 'accepted')`),
    index('offers_answer_remind_idx').on(t.answerRemindAt).where(sql`answer_remind_at is not null`),
  ],
);

/** Routine 3: an internal move proposed for a vacancy before it goes to förmedling. */
export const internalMoves = pgTable(
  'internal_moves',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    vacancyId: integer('vacancy_id').notNull(),
    caseRef: text('case_ref').notNull(),
    clientInitials: text('client_initials').notNull(),
    /** Within the area and no bought place: no change document needed. */
    direct: boolean('direct').notNull(),
    changeDocumentDate: text('change_document_date'),
    /** domain/coordination InternalMoveStatus */
    status: text('status').notNull(),
    proposedBy: text('proposed_by').notNull(),
    planeringsledareAnswer: text('planeringsledare_answer'),
    planeringsledareId: text('planeringsledare_id'),
    verksamhetschefDecision: text('verksamhetschef_decision'),
    verksamhetschefId: text('verksamhetschef_id'),
    moveDate: text('move_date'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('internal_moves_open_uq').on(t.vacancyId).where(sql`status in ('awaiting_planeringsledare', 'awaiting_verksamhetschef', 'approved')`)],
);
