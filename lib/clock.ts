/** The shell's source of time; tests inject a fixed or stepping clock (domain/ takes `now` as a parameter). */
export type Clock = { now: () => Date };

export const systemClock: Clock = { now: () => new Date() };

/**
 * The service's clock from its settings: the system's, shifted by `offsetMs`, or started at
 * `start` (the shift is fixed when the clock is made) and running on at normal speed. Training and
 * demo environments use it to show a whole reminder ladder in a day; config.ts refuses it in production.
 */
export function configuredClock(setting: { offsetMs: number; start: Date | undefined }, base: Clock = systemClock): Clock {
  const offset = setting.start ? setting.start.getTime() - base.now().getTime() : setting.offsetMs;
  if (offset === 0) return base;
  return { now: () => new Date(base.now().getTime() + offset) };
}

/** A clock tests can set and advance. */
export function manualClock(start: Date): Clock & { set: (d: Date) => void; advance: (ms: number) => void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (d) => (current = new Date(d)),
    advance: (ms) => (current = new Date(current.getTime() + ms)),
  };
}
