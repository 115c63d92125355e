import { Worker } from 'node:worker_threads';
import type { Logger } from '../lib/logger.ts';
import { ExtractError } from './extract/limits.ts';
import type { ParseReply, ParseRequest } from './parse-worker.ts';
import type { BbIntake } from './read-behovsbedomning.ts';

export type BbReader = {
  /** Reads the BB in a whole mail; throws ExtractError for an unreadable mail, BbReadTimeout past the deadline. */
  read: (raw: Buffer) => Promise<BbIntake>;
  close: () => Promise<void>;
};

/** Parsing took longer than its deadline: the worker was stopped. The mail is tried again later, then quarantined. */
export class BbReadTimeout extends Error {
  constructor(ms: number) {
    super(`parsing took longer than ${ms} ms`);
    this.name = 'BbReadTimeout';
  }
}

// Built to JavaScript the worker is parse-worker.js beside this file; under tsx it is the .ts.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './parse-worker.ts' : './parse-worker.js', import.meta.url);

/**
 * Reads BB mails in one worker thread, one mail at a time, each with a deadline. A mail past its
 * deadline costs the worker (terminated, a fresh one starts for the next mail), never the main
 * event loop.
 */
export function createBbReader(deps: { timeoutMs: number; logger: Logger }): BbReader {
  let worker: Worker | undefined;
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();

  function start(): Worker {
    // Built JS starts the worker file itself. From TypeScript sources (tsx, tests) the worker
    // first registers tsx's loader in its own thread, then imports the .ts file.
    const w = WORKER_URL.pathname.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`, { eval: true })
      : new Worker(WORKER_URL);
    w.unref();
    w.on('error', (err) => deps.logger.error({ code: 'BB_WORKER_ERROR', err: { message: err.message } }, 'BB parse worker failed'));
    w.on('exit', () => {
      if (worker === w) worker = undefined;
    });
    return w;
  }

  function readOne(raw: Buffer): Promise<BbIntake> {
    worker ??= start();
    const w = worker;
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
        if (worker === w) worker = undefined;
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
      w.postMessage({ id, raw: new Uint8Array(raw) } satisfies ParseRequest);
    });
  }

  return {
    read: (raw) => {
      const result = queue.then(() => readOne(raw));
      queue = result.catch(() => undefined);
      return result;
    },
    close: async () => {
      const w = worker;
      worker = undefined;
      if (w) await w.terminate();
    },
  };
}

/** A Buffer crosses the thread boundary as a plain Uint8Array: make it a Buffer again. */
function revive(intake: BbIntake): BbIntake {
  if (!intake.part) return intake;
  const c = intake.part.content as Uint8Array;
  return { ...intake, part: { ...intake.part, content: Buffer.from(c.buffer, c.byteOffset, c.byteLength) } };
}
