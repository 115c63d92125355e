import type { Logger } from './logger.ts';

/** A periodic job that never overlaps itself and can be awaited on shutdown. */
export function createIntervalTask(name: string, everyMs: number, run: () => Promise<unknown>, logger: Logger) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  const tick = () => {
    running = run()
      .catch((err: unknown) => logger.error({ code: 'TASK_FAILED', task: name, err }, 'periodic task failed'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, everyMs);
      });
  };
  return {
    start: () => {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(tick, Math.min(everyMs, 1_000));
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
