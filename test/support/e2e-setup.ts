import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import setupServers from './global-setup.ts';
import { ensureDebianPackages } from './services/system.ts';
import { CHROMIUM } from './teams-client.ts';

/**
 * The end-to-end tier's parts: the integration tier's PostgreSQL, Dovecot and SMTP relay, and
 * Debian's chromium as the Teams client's browser (installed when missing, as the other parts are).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureDebianPackages('Chromium (webbläsaren för Agents Playground)', ['chromium'], () => existsSync(CHROMIUM));
  return setupServers(project);
}
