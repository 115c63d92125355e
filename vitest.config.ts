import { defineConfig } from 'vitest/config';

// Three tiers (DESIGN.md, "Test tiers"): unit tests are pure and instant; integration tests use
// real parts (PGlite, a PostgreSQL server, Dovecot + SMTP, HTTP) that the global setup starts.
export default defineConfig({
  test: {
    // Vitest's default on a 2-core machine is one file at a time; the integration files mostly
    // wait (on servers, app processes, mail), and each keeps to its own mailboxes and databases.
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        test: {
          // The whole app as a user starts it, the Agents Playground as the Teams client in headless chromium.
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/e2e-setup.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          pool: 'forks',
        },
      },
    ],
  },
});
