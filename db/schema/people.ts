import { bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The directory of staff (DESIGN.md, Roles). Loaded from a file by `users import`; a person's id is
 * their Entra object id when known, otherwise a uuid. Staff names are fine to show; clients' never.
 */
export const people = pgTable(
  'people',
  {
    id: text('id').primaryKey(),
    aadObjectId: text('aad_object_id').unique(),
    /** Always lower-case: Teams and mail spell addresses in mixed case. */
    email: text('email').notNull().unique(),
    name: text('name').notNull(),
    /** RoleId values the person holds in the organisation. */
    roles: text('roles').array().notNull().default([]),
    /** Stadsområde / verksamhetsområde. */
    area: text('area'),
    managerId: text('manager_id'),
  },
  (t) => [index('people_manager_idx').on(t.managerId)],
);

/** Where the bot can reach a person proactively; stored when the app is installed or they first write. */
export const conversationRefs = pgTable('conversation_refs', {
  personId: text('person_id')
    .primaryKey()
    .references(() => people.id),
  reference: jsonb('reference').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** Absence: `substituteId` receives `personId`'s tasks and reminders from_date–to_date (inclusive, Stockholm days). */
export const substitutes = pgTable(
  'substitutes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    substituteId: text('substitute_id')
      .notNull()
      .references(() => people.id),
    fromDate: text('from_date').notNull(),
    toDate: text('to_date').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('substitutes_person_idx').on(t.personId, t.fromDate),
    index('substitutes_substitute_idx').on(t.substituteId, t.fromDate),
    uniqueIndex('substitutes_period_uq').on(t.personId, t.substituteId, t.fromDate, t.toDate),
  ],
);
