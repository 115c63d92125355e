// Keeps dist/ in step with the TypeScript sources, so a fresh clone needs only `npm start` and a
// developer's edit is never run stale. Production runs the compiled JavaScript with plain `node`
// (a TypeScript loader in between swallowed the supervisor's SIGTERM). The check is a stat of the
// source files (size and mtime) against a digest written after a successful build: a few
// milliseconds.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, cpSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.build-stamp');
const SOURCE_DIRS = ['bot', 'tab', 'cli', 'db', 'domain', 'lib', 'mail', 'services', 'routines'];
const SOURCE_FILES = ['main.ts', 'config.ts', 'config-env.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

// The linter's probe files (test/integration/lint-layers.test.ts) come and go in the source
// folders while other tests start the app: they are not sources, and must not trigger a build.
const NOT_SOURCE = /^lint-probe-/;

/** Every source file with its size and mtime, in a stable order. */
function listSources(entry, rel, out) {
  let st;
  try {
    st = statSync(entry);
  } catch {
    return out;
  }
  if (!st.isDirectory()) {
    out.push(`${rel}\t${st.size}\t${st.mtimeMs}`);
    return out;
  }
  for (const name of readdirSync(entry).sort()) {
    if (!NOT_SOURCE.test(name)) listSources(path.join(entry, name), `${rel}/${name}`, out);
  }
  return out;
}

/** A digest of what the build is made from: a changed, added or removed source changes it. */
function sourceDigest() {
  const lines = [...SOURCE_DIRS, ...SOURCE_FILES].flatMap((p) => listSources(path.join(ROOT, p), p, []));
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** True when dist/ is missing or was built from other sources than those on disk now. */
export function isStale() {
  if (!existsSync(STAMP)) return true;
  // Deployed without sources (dist/ only): nothing to compare against.
  if (!existsSync(path.join(ROOT, 'main.ts'))) return false;
  return readFileSync(STAMP, 'utf8').trim() !== sourceDigest();
}

/** Compiles with tsc into dist/ and copies what the code reads at run time (migrations). */
export function build({ quiet = false } = {}) {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    throw new Error('TypeScript saknas (node_modules/typescript): kör `npm install` först, eller bygg med `npm run build` innan node_modules rensas.');
  }
  if (!quiet) process.stderr.write('Bygger Boendelotsen (tsc → dist/) …\n');
  // The sources as they were when the build began: an edit during the build leaves it stale.
  const digest = sourceDigest();
  const res = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`Bygget misslyckades (tsc avslutades med ${res.status ?? res.signal}).`);
  const migrations = path.join(DIST, 'db', 'migrations');
  rmSync(migrations, { recursive: true, force: true });
  cpSync(path.join(ROOT, 'db', 'migrations'), migrations, { recursive: true });
  for (const folder of ['routines']) {
    if (!existsSync(path.join(ROOT, folder))) continue;
    rmSync(path.join(DIST, folder), { recursive: true, force: true });
    mkdirSync(path.join(DIST, folder), { recursive: true });
    cpSync(path.join(ROOT, folder), path.join(DIST, folder), { recursive: true });
  }
  writeFileSync(STAMP, `${digest}\n`);
}

export function ensureBuilt(opts) {
  if (isStale()) build(opts);
}

// `node bin/ensure-build.js` (npm run build) builds; with --if-stale only when sources changed.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--if-stale')) ensureBuilt();
    else build();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
