import type { RoutineCatalog } from '../domain/routines/registry.ts';
import type { Db } from '../db/client.ts';
import { upsertUnits } from '../db/coordination.ts';
import { createPeopleDirectory, findByEmail } from '../db/people.ts';
import { findCaseBrief } from '../db/case-roles.ts';
import { luhnCheckDigit } from '../domain/behovsbedomning/personnummer.ts';
import { addDays, type LocalDate } from '../domain/calendar/local-date.ts';
import type { QueueKind } from '../domain/coordination/types.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { MAIL_ONLY_ROLES, ROLE_IDS, type RoleId } from '../domain/roles.ts';
import { manualClock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { PnrCrypto } from '../lib/pnr-crypto.ts';
import { createCaseService } from './cases.ts';
import { createCoordinationService } from './coordination.ts';
import { importPeople } from './people-import.ts';
import { providerMailHooks } from './provider-mail.ts';
import type { ProviderTokens } from './provider-tokens.ts';
import { importProviders } from './providers.ts';
import { readProvidersFile } from './providers-file.ts';
import { fireDueTimers } from './timer-sweep.ts';
import type { StartCaseInput } from './types.ts';

/**
 * Fictional data for trying Boendelotsen out: the Agents Playground's default user (Alex Wilber,
 * who holds every Teams role so every routine reaches them) and colleagues from Microsoft's demo
 * tenant, providers, units, vacancies and a dozen cases in telling states. Every name, address and
 * personnummer here is invented; the personnummer are valid in form so a BB mail can match them.
 */
export const DEMO_DOMAIN = 'example.com';
const AREA = 'Centrum';

/** The Playground chats as this user unless told otherwise (its default identity). */
export const PLAYGROUND_USER = { name: 'Alex Wilber', email: 'alexw@example.com', aadObjectId: '00000000-0000-0000-0000-0000000000020' } as const;

const TEAMS_ROLES = ROLE_IDS.filter((r) => !MAIL_ONLY_ROLES.includes(r));

/** The colleagues carry the ids the Playground gives its other users, so switching user there works too. */
const DEMO_PEOPLE = [
  { ...PLAYGROUND_USER, roles: TEAMS_ROLES, area: AREA, manager: undefined },
  { name: 'Megan Bowen', email: 'meganb@example.com', aadObjectId: '00000000-0000-0000-0000-0000000000021', roles: ['socialsekreterare'], area: AREA, manager: PLAYGROUND_USER.email },
  { name: 'Adele Vance', email: 'adelev@example.com', aadObjectId: '00000000-0000-0000-0000-0000000000022', roles: ['planeringsledare'], area: AREA, manager: PLAYGROUND_USER.email },
  { name: 'Isaiah Langer', email: 'isaiahl@example.com', aadObjectId: '00000000-0000-0000-0000-0000000000023', roles: ['socialadministrator', 'avgiftshandlaggare'], area: AREA, manager: PLAYGROUND_USER.email },
  { name: 'Patti Fernandez', email: 'pattif@example.com', aadObjectId: '00000000-0000-0000-0000-0000000000024', roles: ['enhetschef_utforare'], area: AREA, manager: 'lynner@example.com' },
  { name: 'Lynne Robbins', email: 'lynner@example.com', aadObjectId: '00000000-0000-0000-0000-0000000000025', roles: ['verksamhetschef', 'enhetschef_myndighet', 'boendesamordnare'], area: AREA, manager: undefined },
] as const satisfies ReadonlyArray<{ name: string; email: string; aadObjectId: string; roles: readonly RoleId[]; area: string; manager: string | undefined }>;

const PROVIDERS = [
  'id;namn;tjänster;e-post;tar emot nya',
  'solrosen;Omsorg Solrosen AB;boendestod_lov;order@solrosen.example;ja',
  'vardkasen;Stöd Vårdkasen AB;boendestod_lov;order@vardkasen.example;ja',
  'linden;Linden Boende AB;ramavtal;avrop@linden.example;ja',
];

const UNITS = [
  { id: 'ekbacken', name: 'Ekbackens gruppbostad', area: AREA, landlordEmail: 'uthyrning@bostader.example', managerEmail: PLAYGROUND_USER.email, careEmails: ['hso-centrum@example.com'] },
  { id: 'bjorken', name: 'Björkens servicebostad', area: AREA, landlordEmail: 'uthyrning@bostader.example', managerEmail: 'pattif@example.com', careEmails: [] },
];

export type DemoDeps = {
  db: Db;
  /** The routines in force (the demo's cases start on the newest versions). */
  routines: RoutineCatalog;
  pnr: PnrCrypto;
  providerTokens: ProviderTokens;
  mailFrom: string;
  offerAnswerWorkingDays: number;
  logger: Logger;
  now: Date;
};

export type DemoSummary = { people: number; providers: number; units: number; casesCreated: string[]; casesKept: string[] };

/** A valid, invented personnummer born on `birth` (YYYYMMDD) with serial `serial` (three digits). */
function demoPersonnummer(birth: string, serial: string): string {
  return `${birth}${serial}${luhnCheckDigit(`${birth.slice(2)}${serial}`)}`;
}

/**
 * Loads the demo data. Runs again without duplicating: people, providers and units are upserted,
 * and a case (with what the demo does to it) is only built when its reference is new.
 */
export async function loadDemoData(deps: DemoDeps): Promise<DemoSummary> {
  const imported = await importPeople(deps.db, DEMO_PEOPLE.map((p, i) => ({ line: i + 1, value: { ...p, roles: [...p.roles] } })), deps.routines.latest, { allowNonGuidIds: true });
  if (!imported.ok) throw new Error(`demo people refused: ${JSON.stringify(imported.problems)}`);
  const file = readProvidersFile(PROVIDERS.join('\n'), 'demo.csv');
  if (!file.ok) throw new Error(`demo providers refused: ${JSON.stringify(file.problems)}`);
  await importProviders(deps.db, file.providers, 'demo', deps.now);
  await deps.db.transaction((tx) => upsertUnits(tx, UNITS));

  // Cases are started in the past so that steps are late today; the clock is moved per scenario.
  const clock = manualClock(deps.now);
  const service = createCaseService({
    routines: deps.routines,
    db: deps.db,
    directory: createPeopleDirectory,
    pnr: deps.pnr,
    clock,
    logger: deps.logger,
    mailDomain: deps.mailFrom.split('@')[1] ?? DEMO_DOMAIN,
    ...providerMailHooks(deps.providerTokens),
  });
  const coordination = createCoordinationService({ db: deps.db, clock, logger: deps.logger, engine: service.engine, mailFrom: deps.mailFrom, offerAnswerWorkingDays: deps.offerAnswerWorkingDays });
  const ids = await personIds(deps.db);
  const alex = ids.get(PLAYGROUND_USER.email) ?? '';
  const person = (email: string) => ids.get(email) ?? alex;
  const today = stockholmDate(deps.now);
  const daysAgo = (n: number) => new Date(deps.now.getTime() - n * 86_400_000);

  const ctx: ScenarioContext = {
    at: (d) => clock.set(d),
    start: async (input) => check(await service.startCase({ legalBasis: 'LSS 9 § 9', ...input }, alex), input.caseRef),
    complete: async (caseRef, stepKey, data = {}, by = alex) => check(await service.completeStep({ caseRef, stepKey, personId: by, data }), `${caseRef} ${stepKey}`),
    coordination,
    alex,
    person,
    today,
    daysAgo,
  };
  const summary: DemoSummary = { people: DEMO_PEOPLE.length, providers: file.providers.length, units: UNITS.length, casesCreated: [], casesKept: [] };
  for (const scenario of SCENARIOS) {
    const existing = await findCaseBrief(deps.db, scenario.caseRef);
    if (existing) {
      summary.casesKept.push(scenario.caseRef);
      continue;
    }
    clock.set(deps.now);
    await scenario.build(ctx);
    summary.casesCreated.push(scenario.caseRef);
  }
  // Due timers (the LOV case's two months to choose) fire now, as the running service would.
  clock.set(deps.now);
  await fireDueTimers({ db: deps.db, engine: service.engine, clock, logger: deps.logger });
  return summary;
}

type ScenarioContext = {
  at: (instant: Date) => void;
  start: (input: Omit<StartCaseInput, 'legalBasis'> & { legalBasis?: string }) => Promise<void>;
  complete: (caseRef: string, stepKey: string, data?: Record<string, string | number | boolean>, by?: string) => Promise<void>;
  coordination: ReturnType<typeof createCoordinationService>;
  alex: string;
  person: (email: string) => string;
  today: LocalDate;
  daysAgo: (n: number) => Date;
};

type Scenario = { caseRef: string; build: (ctx: ScenarioContext) => Promise<void> };

function check(result: { ok: boolean; message?: string }, what: string): void {
  if (!result.ok) throw new Error(`demo: ${what} refused: ${result.message ?? ''}`);
}

async function personIds(db: Db): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const p of DEMO_PEOPLE) {
    const row = await findByEmail(db, p.email);
    if (row) ids.set(p.email, row.id);
  }
  return ids;
}

/** Every role of a ramavtal case: Alex where the Playground should show the task, colleagues elsewhere. */
function ramavtalRoles(ctx: ScenarioContext, over: Partial<Record<RoleId, string>> = {}): Partial<Record<RoleId, string>> {
  return {
    socialsekreterare: ctx.alex,
    planeringsledare: ctx.person('adelev@example.com'),
    socialadministrator: ctx.person('isaiahl@example.com'),
    link_samordnare: ctx.alex,
    enhetschef_myndighet: ctx.person('lynner@example.com'),
    ...over,
  };
}

const SCENARIOS: Scenario[] = [
  {
    // A fresh purchase: the decision to buy waits for Alex as enhetschef på myndighet.
    caseRef: 'DEMO-101',
    build: (ctx) => ctx.start({ routineId: 'ramavtal-bb', phase: 'infor_kop', caseRef: 'DEMO-101', clientInitials: 'A.B.', personnummer: demoPersonnummer('19580412', '123'), roles: ramavtalRoles(ctx, { enhetschef_myndighet: ctx.alex }) }),
  },
  {
    // A late step: the contact details were due weeks ago.
    caseRef: 'DEMO-102',
    build: async (ctx) => {
      ctx.at(ctx.daysAgo(24));
      await ctx.start({ routineId: 'ramavtal-bb', phase: 'infor_kop', caseRef: 'DEMO-102', clientInitials: 'C.D.', personnummer: demoPersonnummer('19610923', '234'), roles: ramavtalRoles(ctx) });
      await ctx.complete('DEMO-102', 'beslut_kop', { purchaseDecidedOn: stockholmDate(ctx.daysAgo(24)) }, ctx.person('lynner@example.com'));
    },
  },
  {
    // A BB waiting: the planeringsledare (Alex) is to book the assessment and mail it in.
    caseRef: 'DEMO-103',
    build: async (ctx) => {
      ctx.at(ctx.daysAgo(6));
      await ctx.start({ routineId: 'ramavtal-bb', phase: 'infor_kop', caseRef: 'DEMO-103', clientInitials: 'E.F.', personnummer: demoPersonnummer('19720130', '345'), roles: ramavtalRoles(ctx, { planeringsledare: ctx.alex }) });
      await ctx.complete('DEMO-103', 'beslut_kop', { purchaseDecidedOn: stockholmDate(ctx.daysAgo(6)) }, ctx.person('lynner@example.com'));
      await ctx.complete('DEMO-103', 'kontaktuppgifter', { interviewSource: 'korttidsboende' });
    },
  },
  {
    // An escalation: Megan's step is long overdue, so her manager Alex is told at the next sweep.
    caseRef: 'DEMO-104',
    build: async (ctx) => {
      ctx.at(ctx.daysAgo(30));
      const megan = ctx.person('meganb@example.com');
      await ctx.start({ routineId: 'ramavtal-bb', phase: 'infor_kop', caseRef: 'DEMO-104', clientInitials: 'G.H.', personnummer: demoPersonnummer('19490607', '456'), roles: ramavtalRoles(ctx, { socialsekreterare: megan }) });
      await ctx.complete('DEMO-104', 'beslut_kop', { purchaseDecidedOn: stockholmDate(ctx.daysAgo(30)) }, ctx.person('lynner@example.com'));
    },
  },
  {
    caseRef: 'DEMO-105',
    build: (ctx) =>
      ctx.start({ routineId: 'extern-placering', phase: 'placering', caseRef: 'DEMO-105', clientInitials: 'I.J.', personnummer: demoPersonnummer('19880214', '567'), legalBasis: 'SoL 4 kap. 1 §', roles: { socialsekreterare: ctx.alex, verksamhetschef: ctx.alex, boendesamordnare: ctx.person('lynner@example.com'), avgiftshandlaggare: ctx.person('isaiahl@example.com') } }),
  },
  {
    caseRef: 'DEMO-106',
    build: (ctx) =>
      ctx.start({ routineId: 'intern-flytt', phase: 'enskilde_via_socialsekreterare', caseRef: 'DEMO-106', clientInitials: 'K.L.', personnummer: demoPersonnummer('19790811', '678'), roles: { socialsekreterare: ctx.alex, planeringsledare: ctx.person('adelev@example.com'), enhetschef_utforare: ctx.person('pattif@example.com'), verksamhetschef: ctx.person('lynner@example.com') } }),
  },
  {
    // A LOV rotation: two months to choose a provider ran out, so ickeval (the next in turn) is open.
    caseRef: 'DEMO-107',
    build: async (ctx) => {
      ctx.at(ctx.daysAgo(75));
      await ctx.start({ routineId: 'boendestod-lov', phase: 'nytt_arende', caseRef: 'DEMO-107', clientInitials: 'M.N.', personnummer: demoPersonnummer('19660304', '789'), legalBasis: 'SoL 4 kap. 1 §', unit: 'Socialpsykiatri Centrum', roles: { socialsekreterare: ctx.alex, samordnare_lss_sol: ctx.alex } });
      await ctx.complete('DEMO-107', 'beslut', { decisionDate: stockholmDate(ctx.daysAgo(75)) });
    },
  },
  {
    caseRef: 'DEMO-108',
    build: async (ctx) => {
      await ctx.start({ routineId: 'boendestod-lov', phase: 'nytt_arende', caseRef: 'DEMO-108', clientInitials: 'O.P.', personnummer: demoPersonnummer('19910719', '890'), legalBasis: 'SoL 4 kap. 1 §', unit: 'Socialpsykiatri Centrum', roles: { socialsekreterare: ctx.alex, samordnare_lss_sol: ctx.alex } });
      await ctx.complete('DEMO-108', 'beslut', { decisionDate: ctx.today });
    },
  },
  {
    // An offer out: a vacancy at Ekbacken reserved for and offered to the first in the queue.
    caseRef: 'DEMO-109',
    build: async (ctx) => {
      await startQueued(ctx, 'DEMO-109', 'Q.R.', demoPersonnummer('19830527', '901'), 1);
      const vacancy = await ctx.coordination.registerVacancy({ unit: 'ekbacken', apartment: '1101', housingKind: 'gruppbostad', legalBasis: 'LSS', freeFrom: ctx.today, personId: ctx.alex });
      check(vacancy, 'vacancy ekbacken 1101');
      const ref = 'ref' in vacancy && vacancy.ref ? vacancy.ref : '';
      check(await ctx.coordination.reserve({ vacancyRef: ref, caseRef: 'DEMO-109', personId: ctx.alex }), `reserve ${ref}`);
      check(await ctx.coordination.offer({ vacancyRef: ref, viewingOn: addDays(ctx.today, 2), personId: ctx.alex }), `offer ${ref}`);
    },
  },
  {
    // A queue: two more people wait, one of them on the change-of-home list; a vacancy is free.
    caseRef: 'DEMO-110',
    build: async (ctx) => {
      await startQueued(ctx, 'DEMO-110', 'S.T.', demoPersonnummer('19750302', '012'), 2);
      check(await ctx.coordination.registerVacancy({ unit: 'ekbacken', apartment: '1204', housingKind: 'gruppbostad', legalBasis: 'LSS', freeFrom: addDays(ctx.today, 14), personId: ctx.alex }), 'vacancy ekbacken 1204');
    },
  },
  {
    caseRef: 'DEMO-111',
    build: (ctx) => startQueued(ctx, 'DEMO-111', 'U.V.', demoPersonnummer('19690918', '135'), 2, 'change_of_home'),
  },
  {
    // A case a colleague holds: Alex has no role on it (the answer to "ärende DEMO-112" shows how that reads).
    caseRef: 'DEMO-112',
    build: (ctx) =>
      ctx.start({ routineId: 'ramavtal-bb', phase: 'infor_kop', caseRef: 'DEMO-112', clientInitials: 'X.Y.', personnummer: demoPersonnummer('19550101', '246'), roles: { socialsekreterare: ctx.person('meganb@example.com'), planeringsledare: ctx.person('adelev@example.com'), socialadministrator: ctx.person('isaiahl@example.com'), enhetschef_myndighet: ctx.person('lynner@example.com') } }),
  },
];

/** A routine 5 case put in the queue (or the change-of-home list) with its decision a while back. */
async function startQueued(ctx: ScenarioContext, caseRef: string, initials: string, pnr: string, priority: number, kind: QueueKind = 'decision'): Promise<void> {
  const phase = kind === 'change_of_home' ? 'byte' : 'intern';
  await ctx.start({ routineId: 'boendekoordination', phase, caseRef, clientInitials: initials, personnummer: pnr, legalBasis: 'LSS 9 § 9', roles: { socialsekreterare: ctx.alex, enhetschef_utforare: ctx.alex, planeringsledare: ctx.person('adelev@example.com'), hso: ctx.alex } });
  const decisionDate = addDays(ctx.today, -40);
  check(
    await ctx.coordination.addQueueEntry({ caseRef, clientInitials: initials, kind, decisionDate, legalBasis: 'LSS', housingKind: 'gruppbostad', areaWishes: [AREA], priority, needsInvestigation: false, changeDocumentDate: kind === 'change_of_home' ? decisionDate : null, personId: ctx.alex }),
    `queue ${caseRef}`,
  );
}
