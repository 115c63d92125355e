import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { ensureDebianPackages, freePort, waitFor } from './system.ts';

export type RunningPostgres = { adminUrl: string; pid: () => number; stop: () => void };

function findBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

/**
 * A throwaway PostgreSQL server on loopback: Debian's server package (installed when missing),
 * a fresh data directory made by initdb, run as the postgres user (it refuses to run as root).
 * `statementStats` loads pg_stat_statements, so a bench counts the statements the server ran
 * without postgres.js's debug hook in the measured process (it captures a stack trace for every
 * statement, which production does not pay).
 */
export async function startPostgres(options: { statementStats?: boolean } = {}): Promise<RunningPostgres> {
  ensureDebianPackages('PostgreSQL-servern', ['postgresql'], () => findBinDir() !== undefined);
  const bin = findBinDir();
  if (!bin) throw new Error('PostgreSQL-servern hittades inte efter installation');

  const dir = mkdtempSync(path.join(tmpdir(), 'boendelotsen-pg-'));
  chmodSync(dir, 0o755);
  const dataDir = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const uid = asRoot ? Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()) : undefined;
  const gid = asRoot ? Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()) : undefined;
  if (uid !== undefined && gid !== undefined) chownSync(dir, uid, gid);

  const asPostgres = (cmd: string, args: string[]) => {
    const full = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const : [cmd, args] as const;
    const result = spawnSync(full[0], [...full[1]], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (result.status !== 0) throw new Error(`${cmd} misslyckades: ${result.stderr}${result.stdout}`);
  };

  asPostgres(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  const port = await freePort();
  const stats = options.statementStats ? ' -c shared_preload_libraries=pg_stat_statements' : '';
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300${stats}`;
  // pg_ctl detaches the server; its log goes to a file so no pipe of ours is held open.
  asPostgres(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-l', path.join(dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);

  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitFor('PostgreSQL svarar', async () => {
    const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      await sql`select 1`;
      return true;
    } catch {
      return false;
    } finally {
      await sql.end({ timeout: 1 });
    }
  }, 30_000);

  return {
    adminUrl,
    /** The server's main process (postmaster.pid's first line): benches add up its tree's CPU time. */
    pid: () => Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]),
    stop: () => {
      try {
        asPostgres(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
