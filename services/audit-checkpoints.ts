import { auditHashesAt, auditSealHashesAt, auditSealHead, countUnsealed, sealAudit, verifyAuditChain, type AuditVerification } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { appendCheckpoint, checkpointSignatureValid, readCheckpoints, signCheckpoint, type Checkpoint, type SigningKey } from '../lib/audit-checkpoints.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { enqueueMail } from '../db/outbox-mail.ts';

export type CheckpointArchive = { to: string; from: string };

export type CheckpointDeps = { db: Db; key: SigningKey; file: string; clock: Clock; logger?: Logger; archive?: CheckpointArchive | undefined };

/**
 * Seals what has finished, signs the newest seal and appends it to the checkpoint file; when an
 * archive mailbox is set, the same line is mailed there (through the outbox), a copy neither the
 * database nor this machine's disk can take back. Nothing new since the last checkpoint: nothing
 * written.
 */
export async function writeAuditCheckpoint(deps: CheckpointDeps): Promise<Checkpoint | undefined> {
  await sealAudit(deps.db, deps.clock.now());
  const head = await auditSealHead(deps.db);
  if (!head) return undefined;
  const last = readCheckpoints(deps.file).checkpoints.at(-1);
  if (last?.of === 'seal' && last.id === head.id && last.hash === head.hash) return undefined;
  const checkpoint = signCheckpoint(deps.key, head, deps.clock.now());
  appendCheckpoint(deps.file, checkpoint);
  const archive = deps.archive;
  if (archive) {
    const line = JSON.stringify(checkpoint);
    await deps.db.transaction((tx) =>
      enqueueMail(tx, { key: `audit-checkpoint:${checkpoint.id}:${checkpoint.hash}`, to: [archive.to], subject: `Boendelotsen: kontrollpunkt för granskningsloggen (post ${checkpoint.id})`, text: `${line}\n`, html: `<pre>${line}</pre>` }, { from: archive.from, now: deps.clock.now() }),
    );
  }
  deps.logger?.info({ code: 'AUDIT_CHECKPOINT', id: checkpoint.id }, 'audit checkpoint signed');
  return checkpoint;
}

/**
 * One round of the background sealer: every instance runs it, one at a time seals (a try-lock).
 * Audited writes chain per case and never wait for it.
 */
export async function sealAuditTrail(deps: { db: Db; clock: Clock }): Promise<void> {
  await sealAudit(deps.db, deps.clock.now());
}

export type CheckpointFailure = { checkpointId: number; of: 'seal' | 'entry'; reason: 'signature_invalid' | 'entry_missing' | 'hash_differs' };

export type TrailVerification = {
  chain: AuditVerification;
  /** Entries not yet in a seal: protected by their chain only until the sealer's next round. */
  unsealed: number;
  /** Undefined when no signing key is configured: only the chain could be checked. */
  checkpoints?: { checked: number; /** The newest sealed checkpoint's seal id. */ newestId: number | null; failures: CheckpointFailure[]; unreadableLines: number[] };
};

/**
 * The chains and seals walked from the start, then each checkpoint: signed by our key, and the
 * seal (or, for a checkpoint from before seals, the entry) it names still carries the hash it
 * pinned. Entries rewritten with recomputed hashes and seals pass the walk but not the
 * checkpoints of seals at or after the first rewritten entry.
 */
export async function verifyAuditTrail(deps: { db: Db; key: SigningKey | undefined; file: string }): Promise<TrailVerification> {
  const chain = await verifyAuditChain(deps.db);
  const unsealed = await countUnsealed(deps.db);
  if (!deps.key) return { chain, unsealed };
  const { checkpoints, badLines } = readCheckpoints(deps.file);
  const seals = await auditSealHashesAt(deps.db, [...new Set(checkpoints.filter((c) => c.of === 'seal').map((c) => c.id))]);
  const entries = await auditHashesAt(deps.db, [...new Set(checkpoints.filter((c) => c.of === undefined).map((c) => c.id))]);
  const failures: CheckpointFailure[] = [];
  for (const c of checkpoints) {
    const stored = c.of === 'seal' ? seals : entries;
    if (!checkpointSignatureValid(deps.key, c)) failures.push({ checkpointId: c.id, of: c.of ?? 'entry', reason: 'signature_invalid' });
    else if (!stored.has(c.id)) failures.push({ checkpointId: c.id, of: c.of ?? 'entry', reason: 'entry_missing' });
    else if (stored.get(c.id) !== c.hash) failures.push({ checkpointId: c.id, of: c.of ?? 'entry', reason: 'hash_differs' });
  }
  const newestId = checkpoints.filter((c) => c.of === 'seal').reduce<number | null>((max, c) => (max === null || c.id > max ? c.id : max), null);
  return { chain, unsealed, checkpoints: { checked: checkpoints.length, newestId, failures, unreadableLines: badLines } };
}
