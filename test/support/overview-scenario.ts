import type { Db } from '../../db/client.ts';
import { people } from '../../db/schema/index.ts';
import type { PnrCrypto } from '../../lib/pnr-crypto.ts';
import { insertCase, insertEscalation, insertQueuedDecision, insertStep, personnummer } from './overview-fixtures.ts';

/** Staff with their Entra object ids: the tab knows them by the token's oid, as chat does. */
export const TAB_STAFF = {
  vera: { id: 'p-vera', aad: '00000000-0000-4000-8000-00000000000a', email: 'vera.vc@kommun.example', name: 'Vera Verksamhetschef', roles: ['verksamhetschef'], area: 'Väster' },
  sara: { id: 'p-sara', aad: '00000000-0000-4000-8000-00000000000b', email: 'sara.soc@kommun.example', name: 'Sara Socialsekreterare', roles: ['socialsekreterare'], area: 'Väster' },
  pia: { id: 'p-pia', aad: '00000000-0000-4000-8000-00000000000c', email: 'pia.plan@kommun.example', name: 'Pia Planeringsledare', roles: ['planeringsledare'], area: 'Väster' },
  olle: { id: 'p-olle', aad: '00000000-0000-4000-8000-00000000000d', email: 'olle.other@kommun.example', name: 'Olle Obehörig', roles: ['socialsekreterare'], area: 'Norr' },
  erik: { id: 'p-erik', aad: '00000000-0000-4000-8000-00000000000e', email: 'erik.ec@kommun.example', name: 'Erik Enhetschef', roles: ['enhetschef_myndighet'], area: 'Väster' },
} as const;

/** Someone Entra knows and the directory does not. */
export const STRANGER_AAD = '00000000-0000-4000-8000-0000000000ff';

/** "Today" in the scenario: early in 2027K1, when 2026K4 is reported. */
export const SCENARIO_NOW = new Date('2027-01-11T09:00:00+01:00');

/** Built to be in 2026K4's report (Väster unless said). */
export const REPORTABLE = {
  notCarriedOut: 'FF-2026-0801', // ramavtal, decided 2026-08-15, no move-in
  carriedOutLate: 'FF-2026-0802', // extern, AU 2026-06-01, placement started 2026-11-20
  queued: 'KO-2026-0803', // queue, decided 2026-07-01, two offers declined
  interrupted: 'FF-2026-0804', // carried out in time, interrupted 2026-07-01, not resumed
  oster: 'FF-2026-0809', // Öster: in the municipality's report, not in Väster's tab
} as const;

/** Built NOT to be in 2026K4's report. */
export const NOT_REPORTABLE = {
  inTime: 'FF-2026-0805', // decided 2026-08-01, moved in 2026-10-15 (last day 2026-11-01)
  resumedInTime: 'FF-2026-0806', // interrupted 2026-07-15, resumed 2026-09-01
  otherQuarter: 'FF-2026-0807', // decided 2026-10-05: its three months end in 2027K1
  lateBeforeQuarter: 'FF-2026-0808', // decided 2026-03-01, moved in 2026-07-01: reported in 2026K3
  notApproved: 'FF-2026-0810', // AU said no: no gynnande beslut
} as const;

/** Decided 2026-11-01, not carried out: past two months on 2027-01-01, last day 2027-02-01. */
export const APPROACHING = 'FF-2026-0811';

export const SARA_LATE_STEP = 'Ordna kontaktuppgifter till den som ska intervjuas för behovsbedömningen och lämna dem till planeringsledare';

/** Lead times of 'Besluta om köp' in Väster, in days: median 4, p90 10. */
export const LEAD_DAYS = [2, 4, 10];

export async function seedOverviewScenario(db: Db, crypto: PnrCrypto): Promise<void> {
  await db
    .insert(people)
    .values(Object.values(TAB_STAFF).map((p) => ({ id: p.id, aadObjectId: p.aad, email: p.email, name: p.name, roles: [...p.roles], area: p.area, managerId: p.id === 'p-erik' || p.id === 'p-vera' ? null : 'p-erik' })))
    .onConflictDoNothing();
  const roles = { socialsekreterare: 'p-sara', planeringsledare: 'p-pia', enhetschef_myndighet: 'p-erik' };
  const ramavtal = (caseRef: string, facts: Record<string, string>, extra: Partial<Parameters<typeof insertCase>[2]> = {}) =>
    insertCase(db, crypto, { caseRef, routineId: 'ramavtal-bb', roles, facts, ...extra });

  const a = await ramavtal(REPORTABLE.notCarriedOut, { purchaseDecidedOn: '2026-08-15' }, { initials: 'A.A.', pnr: personnummer('19500314', 12, true) });
  const b = await insertCase(db, crypto, { caseRef: REPORTABLE.carriedOutLate, routineId: 'extern-placering', legalBasis: 'SoL', roles, initials: 'B.B.', pnr: personnummer('19881102', 40, false), facts: { auDecisionOn: '2026-06-01', auApproved: true, placementStart: '2026-11-20' } });
  await insertQueuedDecision(db, {
    caseRef: REPORTABLE.queued, initials: 'C.C.', decisionDate: '2026-07-01', area: 'Väster',
    offers: [
      { reservedAt: new Date('2026-08-10T09:00:00Z'), status: 'declined', declineReason: 'för långt från dagliga verksamheten' },
      { reservedAt: new Date('2026-10-02T09:00:00Z'), status: 'declined', declineReason: 'vill bo nära sin syster' },
    ],
  });
  await insertCase(db, crypto, { caseRef: REPORTABLE.queued, routineId: 'boendekoordination', roles, initials: 'C.C.', pnr: personnummer('19721224', 7, false) });
  await ramavtal(REPORTABLE.interrupted, { purchaseDecidedOn: '2026-01-10', moveInDate: '2026-03-01', interruptedOn: '2026-07-01' }, { initials: 'D.D.', legalBasis: 'LSS 9 § 8', pnr: personnummer('20100505', 3, true) });
  const oster = await ramavtal(REPORTABLE.oster, { purchaseDecidedOn: '2026-06-01' }, { area: 'Öster', roles: {} });

  await ramavtal(NOT_REPORTABLE.inTime, { purchaseDecidedOn: '2026-08-01', moveInDate: '2026-10-15' });
  await ramavtal(NOT_REPORTABLE.resumedInTime, { purchaseDecidedOn: '2026-01-10', moveInDate: '2026-02-01', interruptedOn: '2026-07-15', resumedOn: '2026-09-01' });
  await ramavtal(NOT_REPORTABLE.otherQuarter, { purchaseDecidedOn: '2026-10-05' });
  await ramavtal(NOT_REPORTABLE.lateBeforeQuarter, { purchaseDecidedOn: '2026-03-01', moveInDate: '2026-07-01' });
  await insertCase(db, crypto, { caseRef: NOT_REPORTABLE.notApproved, routineId: 'extern-placering', roles, facts: { auDecisionOn: '2026-05-01', auApproved: false } });
  await ramavtal(APPROACHING, { purchaseDecidedOn: '2026-11-01' }, { initials: 'K.K.' });

  // Steps: one late (escalated to the manager), one coming, one late in Öster that Väster does not see.
  await insertStep(db, { caseId: a, stepId: 'kontaktuppgifter', title: SARA_LATE_STEP, role: 'socialsekreterare', due: '2027-01-05', openedAt: new Date('2026-12-20T09:00:00Z'), seq: 2 });
  await insertEscalation(db, a, 'kontaktuppgifter', 'p-erik', new Date('2027-01-08T08:00:00Z'));
  await insertStep(db, { caseId: b, stepId: 'registrering', title: 'Registrera placeringen och skicka beställningen', role: 'planeringsledare', due: '2027-01-15', openedAt: new Date('2027-01-02T09:00:00Z'), seq: 2 });
  await insertStep(db, { caseId: oster, stepId: 'kontaktuppgifter', title: 'Steg i Öster', role: 'socialsekreterare', due: '2027-01-04', openedAt: new Date('2026-12-20T09:00:00Z'), seq: 2 });
  // Lead times: 'Besluta om köp' done after 2, 4 and 10 days; the last one after its deadline (December).
  for (const [i, days] of LEAD_DAYS.entries()) {
    const opened = new Date(Date.UTC(2026, 11, 1, 9));
    await insertStep(db, { caseId: a, key: `beslut_kop#${i}`, stepId: 'beslut_kop', title: 'Besluta om köp av ramavtalsplats', role: 'enhetschef_myndighet', status: 'done', due: '2026-12-08', openedAt: opened, completedAt: new Date(opened.getTime() + days * 86_400_000), seq: 1 });
  }
}
