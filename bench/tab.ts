/**
 * `npm run bench:tab`: 10 000 cases on PGlite (bulk inserted), then the overview tab's pages for
 * a verksamhetschef whose area holds half of them, fetched over HTTP with a Teams SSO token as the
 * tab fetches them. Prints each page's time (median of 5 after one warm-up) and its ratio to the
 * 1 s target; the manager's area page is the headline figure.
 */
import { people } from '../db/schema/index.ts';
import { createLogger } from '../lib/logger.ts';
import { insertManyCases } from '../test/support/overview-fixtures.ts';
import { SCENARIO_NOW, TAB_STAFF } from '../test/support/overview-scenario.ts';
import { startTabHarness } from '../test/support/tab-harness.ts';

const CASES = 10_000;
const TARGET_MS = 1_000;
const RUNS = 5;

const t = await startTabHarness({ engine: 'pglite', now: SCENARIO_NOW, logger: createLogger({ level: 'silent', format: 'json' }) });
try {
  const vera = TAB_STAFF.vera;
  await t.db.db.insert(people).values(Object.values(TAB_STAFF).map((p) => ({ id: p.id, aadObjectId: p.aad, email: p.email, name: p.name, roles: [...p.roles], area: p.area })));
  const seeded = performance.now();
  await insertManyCases(t.db.db, t.crypto, CASES, { holders: [TAB_STAFF.sara.id, TAB_STAFF.pia.id, TAB_STAFF.olle.id], areas: ['Väster', 'Öster'], today: '2027-01-11' });
  process.stdout.write(`${CASES} ärenden inlagda på ${Math.round(performance.now() - seeded)} ms (PGlite)\n`);
  const token = await t.issuer.sign({ oid: vera.aad });
  const pages = ['omrade', 'uppgifter', 'ko', 'ledtider', 'ej-verkstallda'];
  let headline = 0;
  for (const view of pages) {
    const times: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const start = performance.now();
      const res = await t.get(`/tab/api/vy/${view}`, token);
      const body = await res.text();
      if (res.status !== 200 || body.length < 50) throw new Error(`${view} answered ${res.status}`);
      if (i > 0) times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    if (view === 'omrade') headline = median;
    process.stdout.write(`${view.padEnd(15)} ${median.toFixed(0).padStart(6)} ms   ${(median / TARGET_MS).toFixed(2)}× målet 1 s\n`);
  }
  process.stdout.write(`\nChefens områdessida med ${CASES} ärenden: ${headline.toFixed(0)} ms, ${(headline / TARGET_MS).toFixed(2)}× målet (${headline <= TARGET_MS ? 'inom' : 'ÖVER'} målet)\n`);
} finally {
  await t.stop();
}
