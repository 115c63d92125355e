import { compareDates } from '../calendar/local-date.ts';
import type { QueueEntry } from './types.ts';

/**
 * Queue order: myndigheten's priority first, then the oldest decision, then who was registered
 * first. Declines are not part of the order: "vill stå kvar i kö" is always ticked (routine 5,
 * step 4), so a person who said no keeps their place.
 */
export function orderQueue<T extends QueueEntry>(entries: readonly T[]): T[] {
  return entries
    .filter((e) => e.status === 'active')
    .sort((a, b) => a.priority - b.priority || compareDates(a.decisionDate, b.decisionDate) || a.id - b.id);
}

/** A decline is recorded on the entry and nothing else: only myndigheten ends a decision. */
export function recordDecline<T extends QueueEntry>(entry: T): T {
  return { ...entry, declines: entry.declines + 1 };
}

export const PRIORITY_TEXT: Record<number, string> = { 1: 'förtur', 2: 'normal', 3: 'låg' };
