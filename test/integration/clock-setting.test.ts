import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs `npx boendelotsen ARGS` as a user would: the compiled entry and the real composition root. */
function runMain(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'boendelotsen.js'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

describe('CLOCK_START and CLOCK_OFFSET through main.ts', () => {
  it('runs the tools on the set clock and says so in the log', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'clock-'));
    const r = await runMain(['reminders', 'preview'], { DATA_DIR: dataDir, CLOCK_START: '2026-12-21 06:55' });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('2026-12-21 06:55');
    expect(r.err).toContain('"code":"CLOCK_SHIFTED"');
  }, 180_000);

  it('refuses to start in production with a shifted clock', async () => {
    const r = await runMain(['reminders', 'preview'], { NODE_ENV: 'production', PNR_ENCRYPTION_KEY: 'a'.repeat(64), CLOCK_OFFSET: '+3d' });
    expect(r.code).toBe(78);
    expect(r.err).toContain('CLOCK_OFFSET: endast för övnings- och demomiljöer');
  }, 180_000);
});
