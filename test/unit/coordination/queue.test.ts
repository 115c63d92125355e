import { describe, expect, it } from 'vitest';
import { orderQueue, recordDecline } from '../../../domain/coordination/queue.ts';
import type { QueueEntry } from '../../../domain/coordination/types.ts';

const entry = (id: number, priority: number, decisionDate: string, extra: Partial<QueueEntry> = {}): QueueEntry => ({
  id, kind: 'decision', status: 'active', priority, decisionDate, declines: 0, needsInvestigation: false, changeDocumentDate: null, ...extra,
});

describe('the queue', () => {
  it('orders by priority, then the oldest decision, then who came first', () => {
    const q = orderQueue([entry(1, 2, '2026-01-10'), entry(2, 1, '2026-02-01'), entry(3, 2, '2025-12-01'), entry(4, 2, '2025-12-01')]);
    expect(q.map((e) => e.id)).toEqual([2, 3, 4, 1]);
  });

  it('keeps a person who declined in the queue, at the same place', () => {
    const before = [entry(1, 2, '2025-11-01'), entry(2, 2, '2025-12-01')];
    const after = [recordDecline(recordDecline(before[0] as QueueEntry)), before[1] as QueueEntry];
    expect(orderQueue(after).map((e) => [e.id, e.declines])).toEqual([[1, 2], [2, 0]]);
  });

  it('leaves out entries myndigheten ended and people who have moved in', () => {
    const q = orderQueue([entry(1, 1, '2025-01-01', { status: 'ended' }), entry(2, 1, '2025-01-01', { status: 'placed' }), entry(3, 3, '2026-01-01')]);
    expect(q.map((e) => e.id)).toEqual([3]);
  });
});
