import type { ImapFlow } from 'imapflow';
import type { Logger } from '../lib/logger.ts';

/** Where the mailbox pass spends its time, for the operator and the bench. */
export type PipelineStage = 'fetch' | 'prepare' | 'commit' | 'move';
export type PipelineTimings = (stage: PipelineStage, ms: number, mails: number) => void;

/** UIDs per MOVE command: a long UID set is one line the server must accept. */
const MOVE_CHUNK = 200;

/**
 * Moves handled mail out of the inbox in as few commands as possible: UIDs are collected per
 * folder and moved as one UID set. Only mails whose ledger row has committed are added, so a move
 * never runs ahead of its commit; a crash before the flush leaves recorded mails that the next
 * pass only moves.
 */
export function createMoveBatch(c: ImapFlow, log: Logger, onTimings?: PipelineTimings) {
  const byFolder = new Map<string, number[]>();
  return {
    add: (uid: number, folder: string) => {
      const uids = byFolder.get(folder) ?? [];
      uids.push(uid);
      byFolder.set(folder, uids);
    },
    flush: async () => {
      const started = performance.now();
      let moved = 0;
      for (const [folder, uids] of byFolder) {
        byFolder.delete(folder);
        for (let i = 0; i < uids.length; i += MOVE_CHUNK) {
          const chunk = uids.slice(i, i + MOVE_CHUNK);
          if (!c.usable) return;
          const ok = await c.messageMove(chunk.join(','), folder, { uid: true });
          moved += chunk.length;
          // Recorded, so nothing is acted on twice; but mail left in the inbox must not go unnoticed.
          if (!ok) log.error({ code: 'MAIL_MOVE_FAILED', uids: chunk.length, folder }, 'mail handled but not moved out of the inbox');
        }
      }
      if (moved > 0) onTimings?.('move', performance.now() - started, moved);
    },
  };
}

/**
 * Runs `commit` for each prepared item, several at a time, in the items' order within a lane:
 * two mails about the same case (the lane) commit one after the other, in UID order, as a single
 * reader would; mails about different cases commit side by side. Items are awaited in order, so
 * a mail is never committed before an earlier one has been prepared.
 */
export async function commitInLanes<T extends { lane: string }>(items: Array<Promise<T | undefined>>, concurrency: number, commit: (item: T) => Promise<void>): Promise<void> {
  const lanes = new Map<string, Promise<void>>();
  const running = new Set<Promise<void>>();
  for (const pending of items) {
    const item = await pending;
    if (item === undefined) continue;
    while (running.size >= concurrency) await Promise.race(running);
    const task = (lanes.get(item.lane) ?? Promise.resolve()).then(() => commit(item));
    const settled = task.catch(() => undefined);
    lanes.set(item.lane, settled);
    running.add(settled);
    void settled.finally(() => {
      running.delete(settled);
      if (lanes.get(item.lane) === settled) lanes.delete(item.lane);
    });
  }
  await Promise.all(running);
}
