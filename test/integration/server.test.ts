import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { inject } from 'vitest';
import { ROOT, startApp } from '../support/app-process.ts';
import { freePort, waitFor } from '../support/services/system.ts';
import { createPostgresDatabase } from '../support/test-db.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'boendelotsen-data-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Starting a whole app process (a PGlite directory created, migrations run) takes seconds, more on a busy machine. */
const APP_TIMEOUT = 240_000;

type Health = { status: string; database: string; migration: string; starts: number };

describe('the service as a user starts it', () => {
  it('starts on PGlite, answers /healthz, stops cleanly on SIGTERM and keeps its data for the next start', async () => {
    const first = await startApp({ DATA_DIR: dataDir });
    const h1 = (await (await fetch(`${first.baseUrl}/healthz`)).json()) as Health;
    expect(h1).toMatchObject({ status: 'ok', database: 'pglite', starts: 1 });
    expect(h1.migration).toMatch(/^\d{4}_/);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.output()).toContain('"msg":"stopped"');

    const second = await startApp({ DATA_DIR: dataDir });
    const h2 = (await (await fetch(`${second.baseUrl}/healthz`)).json()) as Health;
    expect(h2.starts).toBe(2);
    expect(await second.stop('SIGINT')).toBe(0);
  }, APP_TIMEOUT);

  it('answers 503 on /healthz when the database goes away', async () => {
    const url = await createPostgresDatabase();
    const app = await startApp({ DATABASE_URL: url });
    const ok = (await (await fetch(`${app.baseUrl}/healthz`)).json()) as Health;
    expect(ok).toMatchObject({ status: 'ok', database: 'postgres' });

    const admin = postgres(inject('pgAdminUrl'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database ${url.split('/').pop()} with (force)`);
    await admin.end();

    const res = await fetch(`${app.baseUrl}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unavailable' });
    expect(await app.stop()).toBe(0);
  }, APP_TIMEOUT);

  it('refuses to start on a routine folder broken after it once passed, before the database is touched', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'boendelotsen-routines-'));
    try {
      const routines = path.join(base, 'routines');
      cpSync(path.join(ROOT, 'routines'), routines, { recursive: true });
      // A start on the folder as shipped passes the checks (and the build records that it did).
      const good = await startApp({ DATA_DIR: path.join(base, 'data-1'), ROUTINES_DIR: routines });
      expect(await good.stop('SIGTERM')).toBe(0);

      const file = path.join(routines, 'ramavtal-bb.json');
      const routine = JSON.parse(readFileSync(file, 'utf8')) as { steps: Array<{ role?: string }> };
      routine.steps[0]!.role = 'ingen_sadan_roll';
      writeFileSync(file, JSON.stringify(routine));
      const untouched = path.join(base, 'data-2');
      const bad = await startApp({ DATA_DIR: untouched, ROUTINES_DIR: routines }, { waitHealthy: false });
      expect(await bad.exited).toBe(78);
      expect(bad.output()).toContain(`Rutinfilerna i ${routines}`);
      expect(bad.output()).toContain('ramavtal-bb.json');
      expect(existsSync(untouched)).toBe(false);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  }, APP_TIMEOUT);

  it('refuses to start with a bad setting and names it', async () => {
    const app = await startApp({ DATA_DIR: dataDir, PORT: 'inte-en-port' }, { waitHealthy: false });
    expect(await app.exited).toBe(78);
    expect(app.output()).toMatch(/PORT \("inte-en-port"\)/);
  });
});

/** True when nothing listens on the port any more: we can bind it ourselves. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('the process a supervisor starts with `npm start`', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('drains and exits on %s sent to the npm process, and the port is free', async (signal) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'boendelotsen-npm-start-'));
    try {
      const app = await startApp({ DATA_DIR: dir }, { command: 'npm-start' });
      const port = Number(new URL(app.baseUrl).port);
      expect(await portIsFree(port)).toBe(false);
      // The signal goes to npm itself (app.child), as systemd or a container runtime sends it.
      expect(await app.stop(signal)).toBe(0);
      expect(app.output()).toContain('"msg":"stopped"');
      expect(await portIsFree(port)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, APP_TIMEOUT);
});

describe('`npm run playground`', () => {
  it('stops the app and the Agents Playground when npm is told to stop', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'boendelotsen-playground-'));
    const [appPort, playgroundPort] = [await freePort(), await freePort()];
    const npm = spawn('npm', ['run', 'playground', '--silent'], {
      cwd: ROOT,
      // No xdg-open on PATH's usual places is needed: the script brings a stand-in when there is none.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LOG_FORMAT: 'json', DATA_DIR: dir, PORT: String(appPort), PLAYGROUND_PORT: String(playgroundPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, only so a failed run can be cleaned up; the signal below goes to npm alone.
      detached: true,
    });
    let out = '';
    npm.stdout.on('data', (b: Buffer) => (out += b.toString()));
    npm.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | string>((resolve) => npm.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
    try {
      await waitFor('appen och Playground lyssnar', async () => {
        if (npm.exitCode !== null) throw new Error(`npm run playground avslutades:\n${out}`);
        return !(await portIsFree(appPort)) && !(await portIsFree(playgroundPort));
      }, 180_000);
      // The signal goes to npm only, as a terminal's Ctrl+C or a supervisor sends it.
      npm.kill('SIGTERM');
      await exited;
      await waitFor('båda portarna är lediga', async () => (await portIsFree(appPort)) && (await portIsFree(playgroundPort)), 30_000);
    } finally {
      try {
        if (npm.pid !== undefined) process.kill(-npm.pid, 'SIGKILL');
      } catch {
        // The group is gone: nothing was left behind.
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, APP_TIMEOUT);
});

describe('the command line', () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [path.join(ROOT, 'bin', 'boendelotsen.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });

  it('answers `hjälp` with every command and opens no database', () => {
    const dir = path.join(tmpdir(), `boendelotsen-never-${process.pid}`);
    const res = run(['hjälp'], { DATA_DIR: dir });
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('routine show ID');
    expect(res.stdout).toContain('audit verify');
    expect(existsSync(dir)).toBe(false);
  });

  it('runs a routine command without reading settings or opening the database', () => {
    const dir = path.join(tmpdir(), `boendelotsen-never-${process.pid}`);
    // A bad setting would stop any command that reads the configuration.
    const res = run(['routine', 'show', 'extern-placering'], { DATA_DIR: dir, PORT: 'inte-en-port' });
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('socialsekreterare');
    expect(existsSync(dir)).toBe(false);
  });

  it('names an unknown option in Swedish and exits 64', () => {
    const res = run(['routine', 'show', 'ramavtal-bb', '--bogus']);
    expect(res.status).toBe(64);
    expect(res.stderr).toContain('Okänt val: --bogus');
  });

  it('names an unknown command and exits 64', () => {
    const res = run(['flyga']);
    expect(res.status).toBe(64);
    expect(res.stderr).toContain('Okänt kommando: flyga');
  });
});
