import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { keyRingOf, type KeyRing } from './pnr-crypto.ts';
import { ensurePrivateDir, PrivateFileError, readPrivateFile } from './private-files.ts';

/**
 * The personnummer key for local use when PNR_ENCRYPTION_KEY is not set (never in production,
 * config.ts refuses that): made once and kept beside the embedded database, readable by the owner
 * only, so a restart can still read what it stored.
 */
export function localPnrKey(dataDir: string): string {
  const file = path.resolve(dataDir, 'pnr.key');
  if (existsSync(file)) return readPrivateFile(file, 'Nyckelfilen').trim();
  ensurePrivateDir(path.dirname(file));
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

export type KeySettings = { pnrKeyHex: string | undefined; keysFile: string | undefined; dataDir: string };

/**
 * The data key ring from the settings: PNR_ENCRYPTION_KEY (id `k0`) first when set, then the
 * lines of ENCRYPTION_KEYS_FILE in order; with neither, the local key in the data directory.
 * The last key seals new values; the first keys the personnummer lookup hash and must stay.
 */
export function loadKeyRing(settings: KeySettings): { ring: KeyRing; baseKeyHex: string } {
  const entries: [string, string][] = [];
  if (settings.pnrKeyHex !== undefined) entries.push(['k0', settings.pnrKeyHex.toLowerCase()]);
  if (settings.keysFile !== undefined) entries.push(...parseKeysFile(readPrivateFile(settings.keysFile, 'Nyckelfilen'), settings.keysFile));
  if (entries.length === 0) entries.push(['k0', localPnrKey(settings.dataDir)]);
  try {
    return { ring: keyRingOf(entries), baseKeyHex: entries[0]?.[1] ?? '' };
  } catch (err) {
    throw new PrivateFileError(`Nycklarna kan inte användas: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** `ID HEX` per line (64 hex characters); blank lines and `#` comments are skipped. */
function parseKeysFile(text: string, file: string): [string, string][] {
  const out: [string, string][] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S{1,32})\s+([0-9a-fA-F]{64})$/.exec(line);
    if (!m?.[1] || !m[2]) throw new PrivateFileError(`Nyckelfilen ${file}, rad ${i + 1}: ska vara "ID NYCKEL" (NYCKEL 64 hexadecimala tecken).`);
    out.push([m[1], m[2].toLowerCase()]);
  });
  if (out.length === 0) throw new PrivateFileError(`Nyckelfilen ${file} innehåller ingen nyckel.`);
  return out;
}
