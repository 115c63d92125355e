import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readPrivateFile } from './private-files.ts';

/**
 * Signed checkpoints of the audit trail, kept outside the database. Whoever owns the audit tables
 * can switch their append-only triggers off, rewrite entries and recompute every hash and seal:
 * the chains then verify. A checkpoint signed with a key the database never sees pins the hash of
 * a seal (`of: 'seal'`; older checkpoints pinned an entry of the former single chain); a rewrite
 * of anything up to the newest checkpoint no longer matches it.
 */
export type Checkpoint = { id: number; hash: string; at: string; keyId: string; sig: string; of?: 'seal' };

export type SigningKey = { privateKey: KeyObject; publicKey: KeyObject; keyId: string };

/** Ed25519 private key in PEM (`openssl genpkey -algorithm ed25519`), from an owner-only file. */
export function loadSigningKey(file: string): SigningKey {
  const privateKey = createPrivateKey(readPrivateFile(file, 'Signeringsnyckeln för granskningsloggen'));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('AUDIT_SIGNING_KEY_FILE ska vara en Ed25519-nyckel (openssl genpkey -algorithm ed25519)');
  const publicKey = createPublicKey(privateKey);
  const keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
  return { privateKey, publicKey, keyId };
}

// v2 names what is pinned, so a signature over an entry can never pass for one over a seal.
const signedText = (c: Pick<Checkpoint, 'id' | 'hash' | 'at' | 'keyId' | 'of'>) =>
  Buffer.from(c.of === 'seal' ? `boendelotsen audit checkpoint v2 seal\n${c.id}\n${c.hash}\n${c.at}\n${c.keyId}` : `boendelotsen audit checkpoint v1\n${c.id}\n${c.hash}\n${c.at}\n${c.keyId}`);

/** Signs a seal of the trail (db/audit.ts sealAudit). */
export function signCheckpoint(key: SigningKey, seal: { id: number; hash: string }, now: Date): Checkpoint {
  const body = { id: seal.id, hash: seal.hash, at: now.toISOString(), keyId: key.keyId, of: 'seal' as const };
  return { ...body, sig: sign(null, signedText(body), key.privateKey).toString('base64') };
}

export function checkpointSignatureValid(key: SigningKey, c: Checkpoint): boolean {
  return c.keyId === key.keyId && verify(null, signedText(c), key.publicKey, Buffer.from(c.sig, 'base64'));
}

/** One JSON line per checkpoint, appended (the file is created owner-only). */
export function appendCheckpoint(file: string, c: Checkpoint): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(file, `${JSON.stringify(c)}\n`, { mode: 0o600 });
}

export type ReadCheckpoints = { checkpoints: Checkpoint[]; badLines: number[] };

export function readCheckpoints(file: string): ReadCheckpoints {
  if (!existsSync(file)) return { checkpoints: [], badLines: [] };
  const checkpoints: Checkpoint[] = [];
  const badLines: number[] = [];
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const c = JSON.parse(line) as Partial<Checkpoint>;
      if (typeof c.id === 'number' && typeof c.hash === 'string' && typeof c.at === 'string' && typeof c.keyId === 'string' && typeof c.sig === 'string' && (c.of === undefined || c.of === 'seal')) {
        checkpoints.push(c as Checkpoint);
        return;
      }
    } catch {
      // counted below
    }
    badLines.push(i + 1);
  });
  return { checkpoints, badLines };
}
