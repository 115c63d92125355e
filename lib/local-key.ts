import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The personnummer key for local use when PNR_ENCRYPTION_KEY is not set (never in production,
 * config.ts refuses that): made once and kept beside the embedded database, readable by the owner
 * only, so a restart can still read what it stored.
 */
export function localPnrKey(dataDir: string): string {
  const file = path.resolve(dataDir, 'pnr.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
