// The drizzle schema, one file per area. drizzle-kit reads this folder (drizzle.config.ts).
export * from './system.ts';
export * from './outbox.ts';
export * from './cases.ts';
export * from './people.ts';
export * from './mail.ts';
export * from './coordination.ts';
export * from './reminders.ts';
export * from './providers.ts';
export * from './quarantine.ts';
