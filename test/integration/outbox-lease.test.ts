import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDue, enqueue, extendLeases, type OutboxChannel } from '../../db/outbox.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

/**
 * Outbox claims between instances whose clocks differ. Two app instances on one database each
 * have their own clock: hosts out of step, or (in a training environment) CLOCK_START started
 * at different moments, which puts the second instance's clock behind by however long the
 * first one's start took. A claim must hold until its lease has run out by the database's
 * clock, whatever the other instance's clock says; bench:two found Teams messages sent twice
 * when leases were timed by the claimer's clock.
 */
describe.each(ENGINES)('outbox leases across instances (%s)', (engine) => {
  let db: TestDb;
  const channel: OutboxChannel = 'teams';
  const early = new Date('2027-01-05T07:00:00Z');
  /** The other instance, an hour ahead: far more than a lease. */
  const later = new Date(early.getTime() + 60 * 60_000);

  beforeAll(async () => {
    db = await openTestDb(engine);
  });
  afterAll(async () => {
    await db.close();
  });

  const queue = async (key: string) => {
    expect(await enqueue(db.db, { channel, dedupeKey: key, messageId: key, recipient: 'person-1', payload: { kind: 'info', message: 'Hej' } }, early)).toBe(true);
  };

  it('does not let an instance whose clock runs ahead take rows another instance is sending', async () => {
    await queue('lease-ahead-1');
    const [claimed, ...rest] = await claimDue(db.db, { channel, now: early, limit: 10, leaseMs: 10_000 });
    expect(rest).toEqual([]);
    expect(claimed).toMatchObject({ dedupeKey: 'lease-ahead-1', status: 'sending', attempts: 1 });
    // The instance an hour ahead finds nothing to claim: the first one's lease has not run out.
    expect(await claimDue(db.db, { channel, now: later, limit: 10, leaseMs: 10_000 })).toEqual([]);
    // Nor after the first one renews its claim.
    if (claimed) await extendLeases(db.db, [claimed], 10_000);
    expect(await claimDue(db.db, { channel, now: later, limit: 10, leaseMs: 10_000 })).toEqual([]);
  });

  it('still hands a dead instance’s rows to another once the lease has run out', async () => {
    await queue('lease-expired-1');
    // A short lease, but long enough that a loaded machine cannot let it run out before the next line.
    const [claimed] = await claimDue(db.db, { channel, now: early, limit: 10, leaseMs: 2_000 });
    expect(claimed?.dedupeKey).toBe('lease-expired-1');
    // The claimer dies here. Its own clock would say the lease ran out long ago; the
    // database's clock has not reached the end yet.
    expect(await claimDue(db.db, { channel, now: later, limit: 10, leaseMs: 10_000 })).toEqual([]);
    await new Promise((r) => setTimeout(r, 2_500));
    // Even an instance whose clock is behind takes the row now: its lease is over by the database's clock.
    const again = await claimDue(db.db, { channel, now: early, limit: 10, leaseMs: 10_000 });
    expect(again.map((r) => [r.dedupeKey, r.attempts])).toEqual([['lease-expired-1', 2]]);
  });
});
