import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Files that hold personal data or keys are the owner's alone: the data directory 0700, every
 * file in it 0600. PGlite writes its files world-readable and world-writable whatever the umask
 * says, so the tree is tightened after the database opens as well as guarded by the directory.
 */
export class PrivateFileError extends Error {
  override readonly name = 'PrivateFileError';
}

/** Creates the directory owner-only, or tightens an existing one the process owns. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, 0o700);
}

/** chmod go-rwx on a tree the process owns; files it does not own are left as they are. */
export function tightenTree(root: string, maxEntries = 100_000): void {
  let seen = 0;
  const walk = (p: string) => {
    if (seen++ > maxEntries) return;
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      tighten(p, 0o700);
      for (const name of readdirSync(p)) walk(path.join(p, name));
    } else {
      tighten(p, 0o600);
    }
  };
  if (existsSync(root)) walk(root);
}

function tighten(p: string, mode: number): void {
  const st = statSync(p);
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return;
  if ((st.mode & 0o077) !== 0) chmodSync(p, st.mode & mode & 0o7777);
}

/**
 * Refuses a key file others can read or write (the start stops with this message): a key that
 * leaks to another account on the machine opens every encrypted value.
 */
function assertPrivateFile(file: string, what: string): void {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new PrivateFileError(`${what} ${file} finns inte eller kan inte läsas.`);
  }
  if (!st.isFile()) throw new PrivateFileError(`${what} ${file} är inte en vanlig fil.`);
  if ((st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(3, '0');
    throw new PrivateFileError(`${what} ${file} kan läsas av andra än ägaren (rättigheter ${mode}). Kör: chmod 600 ${file}`);
  }
}

/** Reads a key file after checking that only its owner can read it. */
export function readPrivateFile(file: string, what: string, maxBytes = 64 * 1024): string {
  assertPrivateFile(file, what);
  if (statSync(file).size > maxBytes) throw new PrivateFileError(`${what} ${file} är större än ${maxBytes} byte.`);
  return readFileSync(file, 'utf8');
}
