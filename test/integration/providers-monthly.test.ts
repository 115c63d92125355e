import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLedger } from '../../db/mail-ledger.ts';
import { findOpenProviderOrder } from '../../db/providers.ts';
import { cases, outbox, people } from '../../db/schema/index.ts';
import type { CaseState } from '../../domain/engine/types.ts';
import { manualClock } from '../../lib/clock.ts';
import { createCaseService } from '../../services/cases.ts';
import { createProviderTokens } from '../../services/provider-tokens.ts';
import { fireDueTimers } from '../../services/timer-sweep.ts';
import { createTestSender, readMessages, sharedMailServices, testLogger, uniqueAddress, waitFor, type MailStack } from '../support/mailbox.ts';
import { startProviderStack } from '../support/provider-stack.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const services = sharedMailServices();

describe.each(ENGINES)('routine 2: monthly reports from the external provider (%s)', (engine) => {
  let db: TestDb;
  let stack: MailStack;
  const sender = createTestSender(services.smtpPort);
  const clock = manualClock(new Date('2026-11-16T08:00:00Z'));
  const tokens = createProviderTokens(randomBytes(32), { clock });
  const logger = testLogger();
  const suffix = randomBytes(3).toString('hex');
  const providerDomain = `hvb-${suffix}.test`;
  const hl = { id: `p-hl-${suffix}`, email: uniqueAddress('handlaggare') };
  const chef = { id: `p-chef-${suffix}`, email: uniqueAddress('chef') };
  const sam = { id: `p-sam-${suffix}`, email: uniqueAddress('samordnare') };
  const bot = uniqueAddress('boendelotsen');
  let caseService: ReturnType<typeof createCaseService>;

  beforeAll(async () => {
    db = await openTestDb(engine);
    await db.db.insert(people).values([
      { id: hl.id, email: hl.email, name: 'Hanna Handläggare', roles: ['socialsekreterare'] },
      { id: chef.id, email: chef.email, name: 'Vera Verksamhetschef', roles: ['verksamhetschef', 'boendesamordnare', 'avgiftshandlaggare', 'ekonomicontroller'] },
      { id: sam.id, email: sam.email, name: 'Sam Samordnare', roles: ['samordnare_lss_sol'] },
    ]);
    ({ caseService, stack } = await startProviderStack({
      handle: db,
      services,
      bot,
      clock,
      tokens,
      register: ['id;namn;tjänster;e-post;tar emot nya', `hvb-norr;HVB Norr AB;extern placering;order@${providerDomain};ja`],
    }));
  });
  afterAll(async () => {
    await stack.stop();
    sender.close();
    await db.close();
  });

  const stateOf = async (caseRef: string) => (await db.db.select().from(cases).where(eq(cases.caseRef, caseRef)))[0]?.state as CaseState;
  const sweepAt = async (iso: string) => {
    clock.set(new Date(iso));
    await fireDueTimers({ db: db.db, engine: caseService.engine, clock, logger });
  };
  const teamsTo = async (caseRef: string, personId: string) =>
    (await db.db.select().from(outbox).where(and(eq(outbox.caseRef, caseRef), eq(outbox.recipient, personId)))).map((r) => r.payload as { kind: string; message: string; stepKey: string | null });

  /** A placement with HVB Norr AB as the case's provider, carried through the AU to the person's arrival on 2026-11-16. */
  async function runningPlacement(): Promise<string> {
    const caseRef = `OS-2026-${randomBytes(3).toString('hex')}`;
    const started = await caseService.startCase(
      {
        routineId: 'extern-placering', phase: 'placering', caseRef, clientInitials: 'K.L.', personnummer: '198805052381', legalBasis: 'SoL', provider: 'hvb-norr',
        roles: { socialsekreterare: hl.id, verksamhetschef: chef.id, boendesamordnare: chef.id, avgiftshandlaggare: chef.id, ekonomicontroller: chef.id, samordnare_lss_sol: sam.id },
      },
      hl.id,
    );
    expect(started).toMatchObject({ ok: true });
    const steps: Array<[string, string, Record<string, unknown>]> = [
      ['underlag', hl.id, {}],
      ['beslut_regi', chef.id, { regime: 'extern' }],
      ['matchning', chef.id, { proposedDailyPrice: 3200 }],
      ['besok', hl.id, { visitedOn: '2026-11-02' }],
      ['tjansteutlatande', hl.id, {}],
      ['au_beslut', hl.id, { auDecisionOn: '2026-11-09', auApproved: true }],
      ['information_extern_placering', hl.id, {}],
      ['registrering', chef.id, {}],
      ['avtal', chef.id, {}],
      ['verkstallighet', hl.id, { placementStart: '2026-11-16' }],
    ];
    for (const [stepKey, personId, data] of steps) {
      const done = await caseService.completeStep({ caseRef, stepKey, personId, data: data as Record<string, string> });
      expect(done, stepKey).toMatchObject({ ok: true });
    }
    return caseRef;
  }

  it('opens the month’s report step, closes it on the provider’s mailed report and tells the handläggare; the next missing one goes late to handläggare and samordnare LSS/SoL', async () => {
    const caseRef = await runningPlacement();
    expect(Object.values((await stateOf(caseRef)).steps).some((s) => s.stepId === 'manadsrapport')).toBe(false);

    // The report for November is due by 10 December; the step opens on the 1st.
    await sweepAt('2026-12-01T08:30:00Z');
    let state = await stateOf(caseRef);
    expect(state.steps['manadsrapport:2026-12']).toMatchObject({ status: 'open', due: '2026-12-10' });

    const messageId = await sender.send({
      from: `rapport@${providerDomain}`, to: bot, subject: `Månadsrapport november ${tokens.tokenFor({ caseRef, providerId: 'hvb-norr', orderId: (await findOpenProviderOrder(db.db, caseRef))?.id ?? 0 })}`, text: 'Hej, här kommer månadsrapporten för november.',
      attachments: [{ filename: 'Manadsrapport-november.pdf', content: Buffer.from('%PDF-1.4 rapport') }],
    });
    await waitFor('svaret behandlat', async () => (await listLedger(db.db, { mailbox: `${bot}/INBOX` })).some((r) => r.messageId === messageId), 20_000);
    const [entry] = (await listLedger(db.db, { mailbox: `${bot}/INBOX` })).filter((r) => r.messageId === messageId);
    expect(entry).toMatchObject({ outcome: 'processed', reason: 'provider_reply', caseRef });
    state = await stateOf(caseRef);
    expect(state.steps['manadsrapport:2026-12']?.status).toBe('done');
    expect(await teamsTo(caseRef, hl.id)).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('har skickat månadsrapporten') as unknown })]));
    // The report itself goes to the handläggare's internal address, never into Teams.
    await waitFor('rapporten vidarebefordrad', async () => (await readMessages(services, hl.email)).some((m) => m.attachments.some((a) => a.filename === 'Manadsrapport-november.pdf')), 20_000);

    // December's report never comes: due Monday 11 January 2027 (the 10th is a Sunday), late the next working day.
    await sweepAt('2027-01-01T08:30:00Z');
    expect((await stateOf(caseRef)).steps['manadsrapport:2027-01']).toMatchObject({ status: 'open', due: '2027-01-11' });
    await sweepAt('2027-01-11T16:00:00Z');
    expect((await teamsTo(caseRef, sam.id)).filter((p) => p.kind === 'step_late')).toEqual([]);
    await sweepAt('2027-01-12T08:30:00Z');
    await sweepAt('2027-01-12T09:30:00Z');
    for (const personId of [hl.id, sam.id]) {
      const late = (await teamsTo(caseRef, personId)).filter((p) => p.kind === 'step_late' && p.stepKey === 'manadsrapport:2027-01');
      expect(late, personId).toHaveLength(1);
      expect(late[0]?.message).toContain(caseRef);
      expect(late[0]?.message).not.toMatch(/198805|2383/);
    }
    expect((await stateOf(caseRef)).steps['manadsrapport:2026-12']?.status).toBe('done');
  });
});
