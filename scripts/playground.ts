/**
 * `npm run playground`: the app in anonymous mode and the Microsoft 365 Agents Playground in front
 * of it, for trying Boendelotsen in a browser without a tenant. Works on a headless machine: the
 * Playground opens a browser with `xdg-open`, which servers lack, so a stand-in that prints the
 * address is put first on PATH when there is none. Stopping either stops both.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const appPort = process.env.PORT ?? '3978';
const playgroundPort = process.env.PLAYGROUND_PORT ?? '56150';
const playgroundCli = path.join(root, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** A directory with an `xdg-open` that only prints the address, for machines without a desktop. */
function xdgOpenShim(): string | undefined {
  if (hasCommand('xdg-open')) return undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'boendelotsen-playground-'));
  const shim = path.join(dir, 'xdg-open');
  writeFileSync(shim, '#!/bin/sh\necho "Öppna $1 i en webbläsare." >&2\nexit 0\n');
  chmodSync(shim, 0o755);
  return dir;
}

const shimDir = xdgOpenShim();
const env = { ...process.env, PATH: shimDir ? `${shimDir}${path.delimiter}${process.env.PATH ?? ''}` : (process.env.PATH ?? '') };

// Each child leads its own process group, so stopping it stops what it started (npm → node).
const spawnGroup = (command: string, args: string[], extraEnv: Record<string, string> = {}): ChildProcess =>
  spawn(command, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: 'inherit', detached: true });

const app = spawnGroup('npm', ['start'], { BOT_ALLOW_ANONYMOUS: 'true', PORT: appPort });
const playground = spawnGroup(process.execPath, [
  playgroundCli,
  '-e', `http://localhost:${appPort}/api/messages`,
  '-c', 'msteams',
  '-p', playgroundPort,
  '--disable-telemetry',
]);
process.stderr.write(
  `\nBoendelotsen på port ${appPort}; Agents Playground på http://localhost:${playgroundPort} (chattar som Alex Wilber, alexw@example.com).\n` +
    'Har du inte läst in demodata: npx boendelotsen demo. Stoppa med Ctrl+C.\n\n',
);

let stopping = false;
function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of [playground, app]) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  }
  if (shimDir) rmSync(shimDir, { recursive: true, force: true });
  process.exitCode = code;
}

playground.once('exit', (code) => stopAll(code ?? 0));
app.once('exit', (code) => {
  if (!stopping) process.stderr.write(`Boendelotsen avslutades (kod ${code ?? 'signal'}); stoppar Playground.\n`);
  stopAll(code ?? 1);
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => stopAll(0));
