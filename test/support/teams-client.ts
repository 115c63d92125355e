import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { freePort, waitFor } from './services/system.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
/** Where a failed step's screenshot goes; CI keeps test-results/. */
const SCREENSHOTS = path.join(ROOT, 'test-results', 'e2e');

export type Playground = { url: string; stop: () => Promise<void>; output: () => string };

/**
 * The Microsoft 365 Agents Playground (the pinned devDependency, nothing downloaded) in front of the
 * app, as `npm run playground` starts it: msteams channel, telemetry off, and an xdg-open that does
 * nothing, since the Playground tries to open a browser and the test drives its own.
 */
export async function startPlayground(appUrl: string): Promise<Playground> {
  const port = await freePort();
  const shimDir = mkdtempSync(path.join(tmpdir(), 'e2e-xdg-'));
  writeFileSync(path.join(shimDir, 'xdg-open'), '#!/bin/sh\nexit 0\n');
  chmodSync(path.join(shimDir, 'xdg-open'), 0o755);
  const cli = path.join(ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
  const child: ChildProcess = spawn(process.execPath, [cli, '-e', `${appUrl}/api/messages`, '-c', 'msteams', '-p', String(port), '--disable-telemetry'], {
    cwd: ROOT,
    env: { PATH: `${shimDir}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '/root' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('Agents Playground lyssnar', () => {
    if (child.exitCode !== null) throw new Error(`Agents Playground avslutades:\n${out}`);
    return out.includes('Listening on');
  }, 60_000);
  return {
    url,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(shimDir, { recursive: true, force: true });
    },
  };
}

export type TeamsClient = {
  page: Page;
  /** Runs one named step; on failure saves a screenshot and fails naming the step. */
  step: <T>(name: string, run: () => Promise<T>) => Promise<T>;
  say: (text: string) => Promise<void>;
  /** The newest Adaptive Card whose text contains `text`, once it has arrived. */
  card: (text: string | RegExp, timeoutMs?: number) => Promise<Locator>;
  /** The newest bot message (text or card) containing `text`, once it has arrived. */
  reply: (text: string | RegExp, timeoutMs?: number) => Promise<Locator>;
  /** Fills a card's date input (Input.Date) with `date` (today's, for the calendar fallback). */
  fillDate: (card: Locator, date: string) => Promise<void>;
  /** Picks an option of a card's choice input by its title. */
  selectChoice: (card: Locator, option: string) => Promise<void>;
  /** Types into a card's people picker (found by its label) and picks the person whose entry matches. */
  pickPerson: (card: Locator, label: string, typed: string, person: RegExp) => Promise<void>;
  close: () => Promise<void>;
};

/** Headless Debian chromium with a fresh profile, on the Playground's page, in the personal chat. */
export async function openTeamsClient(playgroundUrl: string, journey: string): Promise<TeamsClient> {
  const profile = mkdtempSync(path.join(tmpdir(), 'e2e-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(playgroundUrl, { waitUntil: 'networkidle', timeout: 60_000 });
  let n = 0;

  const step: TeamsClient['step'] = async (name, run) => {
    n += 1;
    try {
      return await run();
    } catch (err) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const file = path.join(SCREENSHOTS, `${journey}-${String(n).padStart(2, '0')}-${name.replace(/[^\p{L}\d]+/gu, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      throw new Error(`Steg ${n} ”${name}” misslyckades (skärmbild: ${file}): ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  const say: TeamsClient['say'] = async (text) => {
    // The compose box, not a card's text input (cards have their own).
    const box = page.getByRole('textbox').and(page.locator(':not(.ac-adaptiveCard *)')).first();
    await box.click();
    await box.fill(text);
    await page.keyboard.press('Enter');
  };

  const card: TeamsClient['card'] = async (text, timeoutMs = 30_000) => {
    const found = page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();
    await found.waitFor({ state: 'visible', timeout: timeoutMs });
    return found;
  };

  const reply: TeamsClient['reply'] = async (text, timeoutMs = 30_000) => {
    const found = page.getByText(text).last();
    await found.waitFor({ state: 'visible', timeout: timeoutMs });
    return found;
  };

  const fillDate: TeamsClient['fillDate'] = async (inCard, date) => {
    // The Playground renders Input.Date as a Fluent date picker: typed text where it allows it,
    // else the day picked in its calendar (the journeys use today's date).
    const input = inCard.getByPlaceholder(/Select a date/).first();
    await input.click();
    const typed = await input
      .fill(date, { timeout: 2_000 })
      .then(async () => {
        await input.press('Enter');
        return true;
      })
      .catch(() => false);
    if (typed && (await input.inputValue().catch(() => '')) !== '') return;
    const today = page.locator('[aria-current="date"], [class*="dayIsToday"] button, button[class*="dayIsToday"]').first();
    await today.click({ timeout: 5_000 });
  };

  const selectChoice: TeamsClient['selectChoice'] = async (inCard, option) => {
    // A compact Input.ChoiceSet is a Fluent dropdown in the Playground; its options open in a layer outside the card.
    await inCard.getByRole('combobox').first().click();
    await page.getByRole('option', { name: option, exact: true }).first().click();
  };

  const pickPerson: TeamsClient['pickPerson'] = async (inCard, label, typed, person) => {
    // A filtered Input.ChoiceSet is a combobox labelled by the input's label; its options open in a layer outside the card.
    const box = inCard.getByRole('combobox', { name: label, exact: true });
    await box.click();
    await box.pressSequentially(typed, { delay: 50 });
    await page.getByRole('option', { name: person }).first().click();
  };

  return {
    page,
    step,
    say,
    fillDate,
    selectChoice,
    pickPerson,
    card,
    reply,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
