import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Ports this process has handed out. The kernel may give a just-closed port again, and the
 * integration and end-to-end tiers start their servers at the same time in one process: without
 * this, Dovecot got the same port for IMAP and LMTP ("duplicate listener").
 */
const handedOut = new Set<number>();

/** A free TCP port on loopback, chosen by the kernel, never one this process handed out before. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await kernelPort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

let aptUpdated = false;

/**
 * Installs Debian packages when they are missing. The suite never skips a tier for a missing
 * part: it installs it (as root) or fails loudly saying what is missing.
 */
export function ensureDebianPackages(what: string, packages: string[], isPresent: () => boolean): void {
  if (isPresent()) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${what} saknas och testerna kör inte som root, så det kan inte installeras automatiskt. ` +
        `Installera: apt-get install -y ${packages.join(' ')}`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    run('apt-get', ['update', '-q'], env);
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], env);
  if (!isPresent()) throw new Error(`${what} kunde inte installeras (${packages.join(' ')}).`);
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} misslyckades (${result.status}):\n${result.stderr}\n${result.stdout}`);
  }
}

export function commandExists(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: väntade ${timeoutMs} ms utan resultat`);
}
