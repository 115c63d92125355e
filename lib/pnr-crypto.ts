import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Personnummer at rest: AES-256-GCM for the value, HMAC-SHA256 under a derived key for lookup
 * (DESIGN.md, Privacy). Neither is ever logged.
 */
export type PnrCrypto = {
  encrypt: (pnr: string) => string;
  decrypt: (cipher: string) => string;
  /** Deterministic keyed hash: equal personnummer give equal hashes, nothing else can be read. */
  lookupHash: (pnr: string) => string;
};

export function createPnrCrypto(keyHex: string): PnrCrypto {
  const master = Buffer.from(keyHex, 'hex');
  if (master.length !== 32) throw new Error('the personnummer key must be 32 bytes');
  const encKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'boendelotsen pnr encryption', 32));
  const macKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'boendelotsen pnr lookup', 32));
  return {
    encrypt: (pnr) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(pnr, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt: (value) => {
      if (!value.startsWith('v1:')) throw new Error('unknown personnummer cipher version');
      const raw = Buffer.from(value.slice(3), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    lookupHash: (pnr) => createHmac('sha256', macKey).update(pnr).digest('hex'),
  };
}
