import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countServiceStarts, pingDb, recordServiceStart } from '../../db/system.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

describe.each(ENGINES)('system repository on %s', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  it('records service starts and counts them', async () => {
    const before = await countServiceStarts(t.db);
    await recordServiceStart(t.db, { startedAt: new Date('2026-11-22T08:00:00Z'), hostname: 'h', pid: 1, version: '0.1.0' });
    await recordServiceStart(t.db, { startedAt: new Date('2026-11-22T09:00:00Z'), hostname: 'h', pid: 2, version: '0.1.0' });
    expect(await countServiceStarts(t.db)).toBe(before + 2);
  });

  it('answers a ping on an open database', async () => {
    await expect(pingDb(t.db)).resolves.toBeUndefined();
  });
});
