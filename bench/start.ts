/**
 * `npm run bench:start`: how fast the app and its command line start, against their floors.
 *
 * - First start on an empty data directory, until /healthz answers 200, against a bare process
 *   that only creates a PGlite directory (target: within 1.5×).
 * - Start on an existing directory against a bare process that only opens it (target: within 3×).
 * - Each command-line tool against `node -e 0` (target: within 5×).
 *
 * Every figure is the median of several runs of a fresh process, wall time from spawn.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'boendelotsen.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LOG_LEVEL: 'warn', LOG_FORMAT: 'json' };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function timeCommand(args: string[], env: Record<string, string> = {}): number {
  const start = performance.now();
  const res = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...ENV, ...env }, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (res.status !== 0) throw new Error(`${args.join(' ')} avslutades med ${res.status}: ${res.stderr}`);
  return ms;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Spawns the app as `npm start` runs it and waits for /healthz 200; returns ms, then stops it. */
async function timeAppStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const start = performance.now();
  const child = spawn(process.execPath, [BIN], { cwd: ROOT, env: { ...ENV, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' }, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.status === 200) return performance.now() - start;
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null) throw new Error('appen avslutades under start');
      if (performance.now() - start > 120_000) throw new Error('appen blev inte frisk inom 120 s');
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const PGLITE_ONLY = `
import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create(process.argv[2]);
await db.query('select 1');
await db.close();
`;

async function main(): Promise<void> {
  const built = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'ensure-build.js'), '--if-stale'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('bygget misslyckades');
  const work = mkdtempSync(path.join(tmpdir(), 'bench-start-'));
  const pgliteScript = path.join(ROOT, 'node_modules', '.bench-pglite-only.mjs');
  writeFileSync(pgliteScript, PGLITE_ONLY);
  try {
    const createFloor: number[] = [];
    const openFloor: number[] = [];
    const firstStart: number[] = [];
    const laterStart: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const bare = path.join(work, `bare-${i}`);
      createFloor.push(timeCommand([pgliteScript, bare]));
      openFloor.push(timeCommand([pgliteScript, bare]));
      const app = path.join(work, `app-${i}`);
      firstStart.push(await timeAppStart(app));
      laterStart.push(await timeAppStart(app));
    }

    const example = path.join(ROOT, 'domain', 'routines', 'examples', 'boendekoordination.json');
    const bbText = path.join(work, 'bb.txt');
    writeFileSync(bbText, 'Behovsbedömning\nÄrende: FF-2026-0142\nPersonnummer: 19121212-1212\nBoendepris: 2 450,50 kr\nBB-poäng: 2,5\nDygnspris: 6 126,25 kr\n');
    const cli: Array<[string, string[]]> = [
      ['hjälp', ['hjälp']],
      ['routines', ['routines']],
      ['routine show', ['routine', 'show', 'ramavtal-bb']],
      ['simulate', ['simulate', 'boendekoordination', '--events', example]],
      ['parse-bb (text)', ['parse-bb', bbText]],
    ];
    const bareNode = median(Array.from({ length: RUNS }, () => timeCommand(['-e', '0'])));
    const cliFigures = cli.map(([name, args]) => {
      const ms = median(Array.from({ length: RUNS }, () => {
        const start = performance.now();
        const res = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...ENV, DATA_DIR: path.join(work, 'never') }, encoding: 'utf8' });
        if (res.status !== 0 && res.status !== 2) throw new Error(`${name}: ${res.stderr}`);
        return performance.now() - start;
      }));
      return { name, ms };
    });

    const row = (what: string, ms: number, floorName: string, floor: number, target: number) => {
      const ratio = ms / floor;
      console.log(`${what.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms   ${floorName.padEnd(24)} ${floor.toFixed(0).padStart(6)} ms   ratio ${ratio.toFixed(2)} (mål ≤ ${target})  ${ratio <= target ? 'OK' : 'ÖVER MÅLET'}`);
    };
    console.log(`bench:start — medianer av ${RUNS} körningar, node ${process.version}\n`);
    row('första start, tom katalog', median(firstStart), 'PGlite skapar katalogen', median(createFloor), 1.5);
    row('start på befintlig katalog', median(laterStart), 'PGlite öppnar katalogen', median(openFloor), 3);
    for (const f of cliFigures) row(`boendelotsen ${f.name}`, f.ms, 'node -e 0', bareNode, 5);
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(pgliteScript, { force: true });
  }
}

await main();
