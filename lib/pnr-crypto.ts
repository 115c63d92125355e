import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The keys personal data at rest is encrypted under (DESIGN.md, Privacy). Every value carries the
 * id of the key that sealed it, so a newer key can be added and old values re-encrypted under it
 * (`npx boendelotsen keys rotate`) while older keys still open what has not been rotated yet.
 */
export type KeyRing = {
  /** Key id → 32-byte master key, in the order configured. */
  keys: ReadonlyMap<string, Buffer>;
  /** Seals every new value: the last key configured. */
  currentId: string;
  /**
   * The first key configured. It keys the personnummer lookup hash, which must stay the same for
   * the life of the data (cases, quarantined mail and the audit trail hold it), and opens the
   * values written before key ids existed ('v1:').
   */
  baseId: string;
};

/** A sealed byte value and the key it was sealed under (stored in a column beside it). */
export type Sealed = { keyId: string; bytes: Buffer };

/**
 * Personnummer at rest: AES-256-GCM for the value, HMAC-SHA256 under a derived key for lookup.
 * The same keys seal other personal data kept for a while (raw BB mails, provider reply texts):
 * `purpose` is bound into the authentication tag, so a value cannot be moved to another column.
 * Neither plain text nor key is ever logged.
 */
export type PnrCrypto = {
  encrypt: (pnr: string) => string;
  decrypt: (cipher: string) => string;
  /** Deterministic keyed hash: equal personnummer give equal hashes, nothing else can be read. */
  lookupHash: (pnr: string) => string;
  /** Id of the key new values are sealed under. */
  currentKeyId: string;
  sealBytes: (plain: Buffer, purpose: string) => Sealed;
  openBytes: (sealed: Sealed, purpose: string) => Buffer;
  /** Text sealed into one self-describing string: `v2:<key id>:<base64>`. */
  sealText: (plain: string, purpose: string) => string;
  openText: (cipher: string, purpose: string) => string;
  /** The key id a sealed text names (undefined for an unknown format). */
  keyIdOfText: (cipher: string) => string | undefined;
};

const KEY_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;

function isKeyId(id: string): boolean {
  return KEY_ID.test(id);
}

/** A ring of one key (tests, and an installation that has never rotated). */
export function singleKeyRing(keyHex: string, id = 'k0'): KeyRing {
  return { keys: new Map([[id, masterKey(keyHex)]]), currentId: id, baseId: id };
}

function masterKey(keyHex: string): Buffer {
  const master = Buffer.from(keyHex, 'hex');
  if (master.length !== 32 || !/^[0-9a-fA-F]{64}$/.test(keyHex)) throw new Error('a data key must be 64 hex characters (32 bytes)');
  return master;
}

/** Builds a ring from (id, hex) pairs in configured order; the last seals, the first is the base. */
export function keyRingOf(entries: readonly (readonly [string, string])[]): KeyRing {
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (!first || !last) throw new Error('the key ring is empty');
  const keys = new Map<string, Buffer>();
  for (const [id, hex] of entries) {
    if (!isKeyId(id)) throw new Error(`key id "${id}" must be 1–32 of a-z 0-9 _ -`);
    if (keys.has(id)) throw new Error(`key id "${id}" appears twice`);
    keys.set(id, masterKey(hex));
  }
  return { keys, currentId: last[0], baseId: first[0] };
}

const derive = (master: Buffer, info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));

export function createPnrCrypto(keys: string | KeyRing): PnrCrypto {
  const ring = typeof keys === 'string' ? singleKeyRing(keys) : keys;
  const pnrKeys = new Map<string, Buffer>();
  const dataKeys = new Map<string, Buffer>();
  for (const [id, master] of ring.keys) {
    pnrKeys.set(id, derive(master, 'boendelotsen pnr encryption'));
    dataKeys.set(id, derive(master, 'boendelotsen data encryption'));
  }
  const base = ring.keys.get(ring.baseId);
  if (!base || !ring.keys.has(ring.currentId)) throw new Error('the key ring does not hold its base and current key');
  const macKey = derive(base, 'boendelotsen pnr lookup');

  const keyFor = (map: Map<string, Buffer>, id: string): Buffer => {
    const key = map.get(id);
    if (!key) throw new Error(`no data key with id "${id}" is configured`);
    return key;
  };

  function seal(key: Buffer, plain: Buffer, aad: string | undefined): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  function open(key: Buffer, raw: Buffer, aad: string | undefined): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  }

  /** `v2:<id>:<base64>`; a 'v1:' value (before key ids) was sealed under the base key. */
  function splitText(value: string): { id: string; raw: Buffer } {
    if (value.startsWith('v1:')) return { id: ring.baseId, raw: Buffer.from(value.slice(3), 'base64') };
    const m = /^v2:([a-z0-9_-]{1,32}):([A-Za-z0-9+/=]+)$/.exec(value);
    if (!m?.[1] || m[2] === undefined) throw new Error('unknown cipher text format');
    return { id: m[1], raw: Buffer.from(m[2], 'base64') };
  }

  return {
    currentKeyId: ring.currentId,
    encrypt: (pnr) => `v2:${ring.currentId}:${seal(keyFor(pnrKeys, ring.currentId), Buffer.from(pnr, 'utf8'), undefined).toString('base64')}`,
    decrypt: (value) => {
      const { id, raw } = splitText(value);
      return open(keyFor(pnrKeys, id), raw, undefined).toString('utf8');
    },
    lookupHash: (pnr) => createHmac('sha256', macKey).update(pnr).digest('hex'),
    sealBytes: (plain, purpose) => ({ keyId: ring.currentId, bytes: seal(keyFor(dataKeys, ring.currentId), plain, purpose) }),
    openBytes: (sealed, purpose) => open(keyFor(dataKeys, sealed.keyId), sealed.bytes, purpose),
    sealText: (plain, purpose) => `v2:${ring.currentId}:${seal(keyFor(dataKeys, ring.currentId), Buffer.from(plain, 'utf8'), purpose).toString('base64')}`,
    openText: (value, purpose) => {
      const { id, raw } = splitText(value);
      return open(keyFor(dataKeys, id), raw, purpose).toString('utf8');
    },
    keyIdOfText: (value) => {
      try {
        return splitText(value).id;
      } catch {
        return undefined;
      }
    },
  };
}
