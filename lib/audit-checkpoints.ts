import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readPrivateFile } from './private-files.ts';

/**
 * Signed checkpoints of the audit chain's head, kept outside the database. Whoever owns the
 * audit table can switch its append-only trigger off, rewrite the tail and recompute every hash:
 * the chain then verifies. A checkpoint signed with a key the database never sees pins the hash
 * of an entry; a rewrite of anything up to the newest checkpoint no longer matches it.
 */
export type Checkpoint = { id: number; hash: string; at: string; keyId: string; sig: string };

export type SigningKey = { privateKey: KeyObject; publicKey: KeyObject; keyId: string };

/** Ed25519 private key in PEM (`openssl genpkey -algorithm ed25519`), from an owner-only file. */
export function loadSigningKey(file: string): SigningKey {
  const privateKey = createPrivateKey(readPrivateFile(file, 'Signeringsnyckeln för granskningsloggen'));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('AUDIT_SIGNING_KEY_FILE ska vara en Ed25519-nyckel (openssl genpkey -algorithm ed25519)');
  const publicKey = createPublicKey(privateKey);
  const keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
  return { privateKey, publicKey, keyId };
}

const signedText = (c: Pick<Checkpoint, 'id' | 'hash' | 'at' | 'keyId'>) => Buffer.from(`boendelotsen audit checkpoint v1\n${c.id}\n${c.hash}\n${c.at}\n${c.keyId}`);

export function signCheckpoint(key: SigningKey, head: { id: number; hash: string }, now: Date): Checkpoint {
  const body = { id: head.id, hash: head.hash, at: now.toISOString(), keyId: key.keyId };
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
      if (typeof c.id === 'number' && typeof c.hash === 'string' && typeof c.at === 'string' && typeof c.keyId === 'string' && typeof c.sig === 'string') {
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
