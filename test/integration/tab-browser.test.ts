import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROACHING, REPORTABLE, SCENARIO_NOW, seedOverviewScenario, TAB_STAFF } from '../support/overview-scenario.ts';
import { ensureDebianPackages } from '../support/services/system.ts';
import { startTabHarness, type TabHarness } from '../support/tab-harness.ts';
import { CHROMIUM } from '../support/teams-client.ts';

const SHOTS = path.resolve('test-results', 'tab');

/** Polls an expression in the page (the tab's CSP forbids waitForFunction's eval, as it should). */
async function until(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(`!!(${expression})`))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The tab as a person meets it: Debian's chromium loads /tab, the page asks "Teams" for a token
 * (the Teams host is the one part played here: its library is answered with a stand-in that hands
 * over a token signed by the test's key set), and the server renders what that person may see.
 */
describe('the overview tab in headless chromium', () => {
  let t: TabHarness;
  let context: BrowserContext;

  beforeAll(async () => {
    ensureDebianPackages('Chromium (webbläsaren för flikens test)', ['chromium'], () => existsSync(CHROMIUM));
    t = await startTabHarness({ engine: 'pglite', now: SCENARIO_NOW });
    await seedOverviewScenario(t.db.db, t.crypto);
    context = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'tab-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
  });
  afterAll(async () => {
    await context?.close();
    await t?.stop();
  });

  async function openAs(who: string, hash: string): Promise<Page> {
    const token = await t.issuer.sign({ oid: who });
    const page = await context.newPage();
    await page.route('**/tab/static/teams.js', (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: `window.microsoftTeams = { app: { initialize: function () { return Promise.resolve(); } }, authentication: { getAuthToken: function () { return Promise.resolve(${JSON.stringify(token)}); } } };`,
      }),
    );
    await page.goto(`${t.baseUrl}/tab${hash}`);
    await page.waitForSelector('main[aria-busy="false"] h2', { timeout: 20_000 });
    return page;
  }

  it('shows a verksamhetschef her area, and someone without a role nothing', async () => {
    const vera = await openAs(TAB_STAFF.vera.aad, '#omrade');
    const text = await vera.locator('main').innerText();
    expect(text).toContain(REPORTABLE.notCarriedOut);
    expect(text).toContain(APPROACHING);
    expect(text).not.toContain(REPORTABLE.oster);
    mkdirSync(SHOTS, { recursive: true });
    await vera.screenshot({ path: path.join(SHOTS, 'oversikt.png'), fullPage: true });
    // The skip link moves focus to the content and is no view of its own.
    await vera.focus('a.skip');
    await vera.keyboard.press('Enter');
    await until(vera, `document.activeElement && document.activeElement.id === 'innehall'`);
    expect(await vera.locator('main').innerText()).toContain(REPORTABLE.notCarriedOut);
    // A row opens the case's timeline.
    await vera.getByRole('link', { name: `${REPORTABLE.notCarriedOut} A.A.` }).first().click();
    await until(vera, `(document.querySelector('main h2') || {}).textContent?.includes('Ramavtal')`);
    expect(await vera.locator('main h2').innerText()).toContain(REPORTABLE.notCarriedOut);
    await vera.close();

    const olle = await openAs(TAB_STAFF.olle.aad, '#omrade');
    expect(await olle.locator('main').innerText()).not.toMatch(/FF-2026|KO-2026/);
    await olle.close();
  });

  it('draws charts that agree with the tables beside them', async () => {
    const page = await openAs(TAB_STAFF.vera.aad, '#ledtider');
    // Browser-side code as text: this project type-checks for Node, not the DOM.
    const pairs = await page.evaluate<Array<{ label: string; bar: string; cell: string | null }>>(`(() =>
      [...document.querySelectorAll('.pair')].flatMap((pair) => {
        const table = pair.querySelector('table');
        const head = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
        const rows = new Map([...table.querySelectorAll('tbody tr')].map((tr) => [tr.children[0].textContent, [...tr.children].map((td) => td.textContent)]));
        return [...pair.querySelectorAll('rect[data-label]')].map((rect) => {
          const series = rect.getAttribute('data-series');
          const col = series === 'median' ? head.indexOf('Median') : series === '90:e percentil' ? head.indexOf('90:e percentil') : head.indexOf('Efter sista dag');
          return { label: rect.getAttribute('data-label'), bar: rect.getAttribute('data-value'), cell: (rows.get(rect.getAttribute('data-label')) || [])[col] ?? null };
        });
      }))()`);
    expect(pairs.length).toBeGreaterThan(12);
    for (const p of pairs) expect(p.cell, String(p.label)).toBe(p.bar);
    await page.close();
  });

  it('reaches every link, field and button with the keyboard, in order, with focus visible', async () => {
    const page = await openAs(TAB_STAFF.vera.aad, '#ej-verkstallda');
    const controls = await page.evaluate<number>(`[...document.querySelectorAll('a[href], button, select, input')].length`);
    await page.evaluate(`document.activeElement && document.activeElement.blur()`);
    const seen = new Set<string>();
    for (let i = 0; i < controls + 5; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate<{ key: string; outline: boolean } | null>(`(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        return { key: el.tagName + ':' + (el.getAttribute('href') || el.id || '') + ':' + (el.textContent || '').trim().slice(0, 40), outline: style.outlineStyle !== 'none' || el.classList.contains('skip') };
      })()`);
      if (!focused) continue;
      expect(focused.outline, focused.key).toBe(true);
      seen.add(focused.key);
    }
    expect(seen.size).toBe(controls);
    // The quarter is chosen with the keyboard too.
    await page.focus('#kvartal');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await until(page, `location.hash.includes('kvartal=') && document.querySelector('main').getAttribute('aria-busy') === 'false'`);
    await page.close();
  });
});
