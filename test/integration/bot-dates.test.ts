import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPeople } from '../../db/people.ts';
import { teamsUser } from '../support/bot-activities.ts';
import { chatAs } from '../support/bot-chat.ts';
import { startBotHarness, type BotHarness } from '../support/bot-harness.ts';

const hanna = teamsUser(31, 'Hanna Handläggare');

describe('dates and names in chat lines, read by the one Swedish date reader', () => {
  let h: BotHarness;
  let chat: ReturnType<typeof chatAs>;

  beforeAll(async () => {
    h = await startBotHarness({ engine: 'pglite', now: new Date('2026-11-02T09:00:00+01:00') });
    chat = chatAs(h);
    await upsertPeople(h.db.db, [
      { id: 'p-hanna', aadObjectId: hanna.aadObjectId, email: 'hanna@kommun.se', name: 'Hanna Handläggare', roles: ['socialsekreterare'] },
      { id: 'p-megan', aadObjectId: null, email: 'megan.bowen@kommun.se', name: 'Megan Bowen', roles: ['socialsekreterare'] },
    ]);
  });
  afterAll(() => h.stop());

  it('says a date that does not exist does not exist, instead of that there is no date', async () => {
    const reply = await chat.say(hanna, 'påminn mig FF-2026-0777 2026-02-30');
    expect(reply.text).toContain('Datumet 2026-02-30 finns inte i kalendern');
    expect(reply.text).not.toContain('hittade inget datum');
  });

  it('still says how to write a date when there is none', async () => {
    expect((await chat.say(hanna, 'påminn mig FF-2026-0777 snart')).text).toContain('Jag hittade inget datum');
  });

  it('finds a substitute named in words before a period written with “till”', async () => {
    const reply = await chat.say(hanna, 'ersättare Megan Bowen 1/12 till 5/12');
    expect(reply.text).toContain('Megan Bowen är din ersättare 2026-12-01–2026-12-05');
  });

  it('reads a move-in date with a word in front of it', async () => {
    const reply = await chat.say(hanna, 'inflytt FF-2026-0777 troligen 1 december');
    expect(reply.text).not.toContain('hittade inget datum');
  });
});
