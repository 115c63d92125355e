import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPeople } from '../../db/people.ts';
import { teamsUser } from '../support/bot-activities.ts';
import { startCoordinationBot } from '../support/bot-coordination.ts';

const sam = teamsUser(61, 'Sam Väster'); // socialsekreterare, Väster
const oskar = teamsUser(62, 'Oskar Öster'); // socialsekreterare, Öster

describe('the queue is per area', () => {
  let b: Awaited<ReturnType<typeof startCoordinationBot>>;

  beforeAll(async () => {
    b = await startCoordinationBot('pglite', new Date('2026-03-02T09:00:00+01:00'));
    await upsertPeople(b.db.db, [
      { id: 'p-sam', aadObjectId: sam.aadObjectId, email: 'sam@kommun.example', name: sam.name, roles: ['socialsekreterare'], area: 'Väster' },
      { id: 'p-oskar', aadObjectId: oskar.aadObjectId, email: 'oskar@kommun.example', name: oskar.name, roles: ['socialsekreterare'], area: 'Öster' },
    ]);
    await b.cases.startCase(
      { routineId: 'boendekoordination', phase: 'intern', caseRef: 'FF-2026-0901', clientInitials: 'A.A.', personnummer: '198001011231', legalBasis: 'LSS 9 § 9', area: 'Väster', roles: { socialsekreterare: 'p-sam' } },
      'p-sam',
    );
    expect((await b.say(sam, 'ställ i kö FF-2026-0902 B.B. 2025-11-01 LSS gruppbostad')).text).toContain('står nu i kön');
  });
  afterAll(() => b.stop());

  it('shows each reader the entries of their own area only', async () => {
    expect((await b.say(sam, 'kö')).text).toContain('FF-2026-0902');
    expect((await b.say(oskar, 'kö')).text).not.toContain('FF-2026-0902');
  });

  it('answers an entry of another area as one that is not in the queue, and changes nothing', async () => {
    expect((await b.say(oskar, 'avsluta kö FF-2026-0902 flyttat')).text).toContain('står inte i någon kö');
    expect((await b.say(sam, 'kö')).text).toContain('FF-2026-0902');
  });

  it('queues a Boendelotsen case only for someone who may see it', async () => {
    expect((await b.say(oskar, 'ställ i kö FF-2026-0901 A.A. 2025-11-01 LSS gruppbostad')).text).toContain('Hittar inget ärende FF-2026-0901 där du har en roll');
    expect((await b.say(sam, 'ställ i kö FF-2026-0901 A.A. 2025-11-01 LSS gruppbostad')).text).toContain('står nu i kön');
  });
});
