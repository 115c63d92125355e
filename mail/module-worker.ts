import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on a module beside the caller, named without its extension. Built to
 * JavaScript the thread runs the .js file itself; from the TypeScript sources (tsx: tests,
 * benches) it first registers tsx's loader in its own thread, then imports the .ts file.
 */
export function startModuleWorker(callerUrl: string, baseName: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const fromSources = callerUrl.endsWith('.ts');
  const url = new URL(`./${baseName}${fromSources ? '.ts' : '.js'}`, callerUrl);
  if (!fromSources) return new Worker(url, options);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`, { ...options, eval: true });
}
