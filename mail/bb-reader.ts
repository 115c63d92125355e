import type { Worker } from 'node:worker_threads';
import type { Logger } from '../lib/logger.ts';
import { ExtractError } from './extract/limits.ts';
import { startModuleWorker } from './module-worker.ts';
import type { ParseReply, ParseRequest } from './parse-worker.ts';
import type { BbIntake } from './read-behovsbedomning.ts';

export type BbReader = {
  /**
   * Reads the BB in a whole mail; throws ExtractError for an unreadable mail, BbReadTimeout past
   * the deadline. A mail already handed to prefetch is not read again: its reading is returned.
   */
  read: (raw: Buffer) => Promise<BbIntake>;
  /**
   * Starts reading a mail ahead of its transaction (the mailbox pipeline), so the transaction
   * does not wait for the parser. The reading is kept for the read() of the same Buffer.
   */
  prefetch: (raw: Buffer) => Promise<BbIntake>;
  close: () => Promise<void>;
};

/** Parsing took longer than its deadline: the worker was stopped. The mail is tried again later, then quarantined. */
export class BbReadTimeout extends Error {
  constructor(ms: number) {
    super(`parsing took longer than ${ms} ms`);
    this.name = 'BbReadTimeout';
  }
}

type Slot = { worker: Worker | undefined; queue: Promise<unknown>; busy: number };

/**
 * Reads BB mails in a small pool of worker threads, one mail at a time per worker, each with a
 * deadline. A mail past its deadline costs its worker (terminated, a fresh one starts for that
 * worker's next mail), never the main event loop.
 */
export function createBbReader(deps: { timeoutMs: number; logger: Logger; workers?: number }): BbReader {
  const slots: Slot[] = Array.from({ length: Math.max(1, deps.workers ?? 1) }, () => ({ worker: undefined, queue: Promise.resolve(), busy: 0 }));
  const ahead = new WeakMap<Buffer, Promise<BbIntake>>();
  let nextId = 1;

  function start(slot: Slot): Worker {
    const w = startModuleWorker(import.meta.url, 'parse-worker');
    w.unref();
    w.on('error', (err) => deps.logger.error({ code: 'BB_WORKER_ERROR', err: { message: err.message } }, 'BB parse worker failed'));
    w.on('exit', () => {
      if (slot.worker === w) slot.worker = undefined;
    });
    return w;
  }

  function readOne(slot: Slot, raw: Buffer): Promise<BbIntake> {
    slot.worker ??= start(slot);
    const w = slot.worker;
    const id = nextId++;
    return new Promise<BbIntake>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('exit', onExit);
      };
      const timer = setTimeout(() => {
        cleanup();
        deps.logger.warn({ code: 'BB_PARSE_TIMEOUT', timeoutMs: deps.timeoutMs, sizeBytes: raw.length }, 'BB parsing passed its deadline; worker stopped');
        if (slot.worker === w) slot.worker = undefined;
        void w.terminate();
        reject(new BbReadTimeout(deps.timeoutMs));
      }, deps.timeoutMs);
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`BB parse worker exited (${code})`));
      };
      const onMessage = (reply: ParseReply) => {
        if (reply.id !== id) return;
        cleanup();
        if (reply.ok) resolve(revive(reply.intake));
        else reject(reply.extractError ? new ExtractError(reply.extractError.code, reply.extractError.message) : new Error(reply.message));
      };
      w.on('message', onMessage);
      w.on('exit', onExit);
      // A copy of the mail's bytes, handed over rather than cloned again: the caller keeps its Buffer.
      const bytes = new Uint8Array(raw);
      w.postMessage({ id, raw: bytes } satisfies ParseRequest, [bytes.buffer]);
    });
  }

  /** Queues on the least busy worker; the deadline starts when the worker takes the mail. */
  function enqueue(raw: Buffer): Promise<BbIntake> {
    const slot = slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy += 1;
    const result = slot.queue.then(() => readOne(slot, raw));
    slot.queue = result.catch(() => undefined).finally(() => (slot.busy -= 1));
    return result;
  }

  return {
    read: (raw) => {
      const early = ahead.get(raw);
      if (early) {
        ahead.delete(raw);
        return early;
      }
      return enqueue(raw);
    },
    prefetch: (raw) => {
      const reading = ahead.get(raw) ?? enqueue(raw);
      // A mail read ahead may never be asked for (a provider reply): its failure must not go unhandled.
      reading.catch(() => undefined);
      ahead.set(raw, reading);
      return reading;
    },
    close: async () => {
      await Promise.all(
        slots.map(async (slot) => {
          const w = slot.worker;
          slot.worker = undefined;
          if (w) await w.terminate();
        }),
      );
    },
  };
}

/** A Buffer crosses the thread boundary as a plain Uint8Array: make it a Buffer again. */
function revive(intake: BbIntake): BbIntake {
  const buffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  return {
    ...intake,
    ...(intake.part ? { part: { ...intake.part, content: buffer(intake.part.content) } } : {}),
    ...(intake.copy ? { copy: { ...intake.copy, pdf: buffer(intake.copy.pdf) } } : {}),
  };
}
