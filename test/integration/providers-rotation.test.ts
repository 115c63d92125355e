import { randomBytes } from 'node:crypto';
import { testLogger } from '../support/log-capture.ts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPeopleDirectory } from '../../db/people.ts';
import { auditLog, people, providerRotation } from '../../db/schema/index.ts';
import { manualClock } from '../../lib/clock.ts';
import { createPnrCrypto } from '../../lib/pnr-crypto.ts';
import { createCaseService } from '../../services/cases.ts';
import { providerMailHooks } from '../../services/provider-mail.ts';
import { createProviderTokens } from '../../services/provider-tokens.ts';
import { createProviderService, importProviders } from '../../services/providers.ts';
import { readProvidersFile } from '../../services/providers-file.ts';
import { fireDueTimers } from '../../services/timer-sweep.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';
import { shippedRoutines } from '../support/routines.ts';

describe.each(ENGINES)('ickeval rotation used by several handläggare at once (%s)', (engine) => {
  let db: TestDb;
  const clock = manualClock(new Date('2026-11-23T08:00:00Z'));
  const logger = testLogger();
  const staff = ['p-h1', 'p-h2', 'p-h3', 'p-h4'];
  let cases: ReturnType<typeof createCaseService>;
  let providers: ReturnType<typeof createProviderService>;

  beforeAll(async () => {
    db = await openTestDb(engine);
    for (const id of staff) await db.db.insert(people).values({ id, email: `${id}@kommun.test`, name: id, roles: ['socialsekreterare'] });
    const tokens = createProviderTokens(randomBytes(32), { clock });
    cases = createCaseService({ routines: shippedRoutines, db: db.db, directory: createPeopleDirectory, pnr: createPnrCrypto(randomBytes(32).toString('hex')), clock, logger, mailDomain: 'kommun.test', ...providerMailHooks(tokens) });
    providers = createProviderService({ db: db.db, engine: cases.engine, tokens, clock, mailFrom: 'boendelotsen@kommun.test' });
    const file = readProvidersFile(
      JSON.stringify([
        { id: 'alfa', namn: 'Alfa Omsorg', tjänster: 'LOV boendestöd', 'e-post': 'order@alfa.test' },
        { id: 'beta', namn: 'Beta Stöd', tjänster: ['boendestod_lov'], 'e-post': 'order@beta.test', 'tar emot nya': 'nej' },
        { id: 'gamma', namn: 'Gamma Vård', tjänster: 'boendestod_lov|bmss_ramavtal', 'e-post': 'order@gamma.test' },
      ]),
      'leverantorer.json',
    );
    if (!file.ok) throw new Error(JSON.stringify(file.problems));
    await importProviders(db.db, file.providers, 'test', clock.now());
  });
  afterAll(() => db.close());

  async function caseInIckeval(personId: string): Promise<string> {
    const caseRef = `FF-2026-${randomBytes(3).toString('hex').toUpperCase()}`;
    await cases.startCase({ routineId: 'boendestod-lov', phase: 'nytt_arende', caseRef, clientInitials: 'A.B.', personnummer: '198001012387', legalBasis: 'SoL', roles: { socialsekreterare: personId } }, personId);
    await cases.completeStep({ caseRef, stepKey: 'beslut', personId, data: { decisionDate: '2026-09-01' } });
    await fireDueTimers({ db: db.db, engine: cases.engine, clock, logger });
    return caseRef;
  }

  it('gives four handläggare asking at once the providers in turn, skipping one that takes no new customers, once per case', async () => {
    const refs = await Promise.all(staff.map((p) => caseInIckeval(p)));
    // Each handläggare asks twice at the same moment (a double click): the second sees the same proposal.
    const results = await Promise.all(refs.flatMap((ref, i) => [providers.proposeIckeval(ref, staff[i] ?? ''), providers.proposeIckeval(ref, staff[i] ?? '')]));
    const byCase = new Map<string, Set<string>>();
    results.forEach((r, i) => {
      if (!r.ok) throw new Error(r.message);
      const ref = refs[Math.floor(i / 2)] ?? '';
      byCase.set(ref, (byCase.get(ref) ?? new Set()).add(r.provider.id));
    });
    expect([...byCase.values()].every((s) => s.size === 1)).toBe(true);
    const chosen = [...byCase.values()].map((s) => [...s][0]).sort();
    expect(chosen).toEqual(['alfa', 'alfa', 'gamma', 'gamma']);
    const [rotation] = await db.db.select().from(providerRotation).where(eq(providerRotation.service, 'boendestod_lov'));
    expect(rotation?.version).toBe(4);
    const audits = await db.db.select().from(auditLog).where(eq(auditLog.action, 'provider.ickeval.propose'));
    expect(audits).toHaveLength(4);
  });

  it('refuses a proposal to someone with no role on the case, with the answer an unknown case gets', async () => {
    const ref = await caseInIckeval('p-h1');
    const refused = await providers.proposeIckeval(ref, 'p-h2');
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining(`Hittar inget ärende ${ref}`) as unknown });
  });
});
