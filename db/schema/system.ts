import { integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

/** One row per start of the service: lets /healthz and an operator see restarts. */
export const serviceStarts = pgTable('service_starts', {
  id: serial('id').primaryKey(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  hostname: text('hostname').notNull(),
  pid: integer('pid').notNull(),
  version: text('version').notNull(),
});
