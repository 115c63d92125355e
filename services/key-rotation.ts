import { appendAudit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { PROVIDER_REPLY_BODY } from '../db/providers.ts';
import { QUARANTINE_RAW } from '../db/quarantine.ts';
import {
  pnrCiphersNotUnder, quarantinedRawNotUnder, replacePnrCipher, replaceQuarantinedRaw, replaceReplyBody, replyBodiesNotUnder,
} from '../db/sealed-values.ts';
import type { Clock } from '../lib/clock.ts';
import type { PnrCrypto } from '../lib/pnr-crypto.ts';

export type RotationCounts = { personnummer: number; quarantinedMail: number; providerReplies: number };

/**
 * Re-encrypts every sealed value under the current key (the last one in the ring), in batches of
 * small transactions so the app keeps running; values still in clear from before sealing are
 * sealed too. The lookup hash is left alone: it is keyed by the base key, which stays in the ring.
 * Safe to run again: only values not yet under the current key are touched.
 */
export async function rotateDataKeys(deps: { db: Db; crypto: PnrCrypto; clock: Clock; actor: string; batchSize?: number }): Promise<RotationCounts> {
  const { db, crypto } = deps;
  const limit = deps.batchSize ?? 200;
  const current = crypto.currentKeyId;
  const counts: RotationCounts = { personnummer: 0, quarantinedMail: 0, providerReplies: 0 };

  for (let after = 0; ; ) {
    const rows = await pnrCiphersNotUnder(db, current, after, limit);
    if (rows.length === 0) break;
    for (const r of rows) if (await replacePnrCipher(db, { id: r.id, from: r.value, to: crypto.encrypt(crypto.decrypt(r.value)) })) counts.personnummer += 1;
    after = rows[rows.length - 1]?.id ?? after;
  }
  for (let after = 0; ; ) {
    const rows = await replyBodiesNotUnder(db, current, after, limit);
    if (rows.length === 0) break;
    for (const r of rows) {
      const plain = crypto.keyIdOfText(r.value) === undefined ? r.value : crypto.openText(r.value, PROVIDER_REPLY_BODY);
      if (await replaceReplyBody(db, { id: r.id, from: r.value, to: crypto.sealText(plain, PROVIDER_REPLY_BODY) })) counts.providerReplies += 1;
    }
    after = rows[rows.length - 1]?.id ?? after;
  }
  for (let after = 0; ; ) {
    const rows = await quarantinedRawNotUnder(db, current, after, Math.min(limit, 20));
    if (rows.length === 0) break;
    for (const r of rows) {
      const plain = r.keyId === null ? r.raw : crypto.openBytes({ keyId: r.keyId, bytes: r.raw }, QUARANTINE_RAW);
      if (await replaceQuarantinedRaw(db, { id: r.id, fromKeyId: r.keyId, to: crypto.sealBytes(plain, QUARANTINE_RAW) })) counts.quarantinedMail += 1;
    }
    after = rows[rows.length - 1]?.id ?? after;
  }
  await db.transaction((tx) => appendAudit(tx, { actor: deps.actor, action: 'keys.rotate', detail: { keyId: current, ...counts } }, deps.clock.now()));
  return counts;
}
