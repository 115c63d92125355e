import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitsImportCommand } from '../../cli/units-import.ts';
import { upsertPeople } from '../../db/people.ts';
import { stockholmDate, stockholmInstant } from '../../domain/calendar/stockholm.ts';
import { isWorkingTime } from '../../domain/calendar/working-time.ts';
import { sweepOfferDeadlines } from '../../services/coordination-deadlines.ts';
import { sweepReminders } from '../../services/reminders-sweep.ts';
import { fireDueTimers } from '../../services/timer-sweep.ts';
import { teamsUser, type TeamsUser } from '../support/bot-activities.ts';
import { startCoordinationBot, type CoordinationBot } from '../support/bot-coordination.ts';
import { ENGINES } from '../support/test-db.ts';

const sara = teamsUser(51, 'Sara Socialsekreterare'); // holds the ramavtal step
const erik = teamsUser(52, 'Erik Enhetschef'); // Sara's manager
const ella = teamsUser(53, 'Ella Enhetschef'); // offers the apartment
const sam = teamsUser(54, 'Sam Handläggare'); // myndigheten, reserved it
const at = (date: string, h: number, m = 0) => stockholmInstant(date, h, m);

/**
 * The whole reminder ladder as the service runs it: the clock moves two hours at a time through
 * Christmas, the sweeps run as main.ts runs them, and the Teams outbox delivers to the (fake) Bot
 * Connector. Each message must arrive once, to the right person, inside working hours.
 */
describe.each(ENGINES)('the reminder ladder delivered through Teams (%s)', (engine) => {
  let b: CoordinationBot;
  const logger = pino({ level: 'silent' });
  /** When each activity reached the connector, by the service's clock. */
  const arrivedAt = new Map<number, Date>();

  beforeAll(async () => {
    b = await startCoordinationBot(engine, at('2026-12-16', 9)); // a Wednesday
    await upsertPeople(b.db.db, [
      { id: 'p-sara', aadObjectId: sara.aadObjectId, email: 'sara@kommun.example', name: 'Sara Socialsekreterare', roles: ['socialsekreterare'], area: 'Väster', managerId: 'p-erik' },
      { id: 'p-erik', aadObjectId: erik.aadObjectId, email: 'erik@kommun.example', name: 'Erik Enhetschef', roles: ['enhetschef_myndighet'], area: 'Väster' },
      { id: 'p-ella', aadObjectId: ella.aadObjectId, email: 'ella@kommun.example', name: 'Ella Enhetschef', roles: ['enhetschef_utforare'], area: 'Väster' },
      { id: 'p-sam', aadObjectId: sam.aadObjectId, email: 'sam@kommun.example', name: 'Sam Handläggare', roles: ['socialsekreterare'], area: 'Väster', managerId: 'p-erik' },
      { id: 'p-pia', aadObjectId: null, email: 'pia@kommun.example', name: 'Pia Planeringsledare', roles: ['planeringsledare'], area: 'Väster', managerId: 'p-erik' },
      { id: 'p-adam', aadObjectId: null, email: 'adam@kommun.example', name: 'Adam Socialadministratör', roles: ['socialadministrator'], area: 'Väster', managerId: 'p-erik' },
      { id: 'p-lina', aadObjectId: null, email: 'lina@kommun.example', name: 'Lina LINK', roles: ['link_samordnare'], area: 'Väster', managerId: 'p-erik' },
    ]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'units-')), 'units.csv');
    writeFileSync(file, 'id,name,area,landlord_email,manager_email,care_emails\nSolrosen,Solrosens gruppbostad,Väster,forvaltning@hyresvard.example,ella@kommun.example,hso@kommun.example\n');
    const out: string[] = [];
    expect(await unitsImportCommand.run([file], { usage: 'units import', io: { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, services: { handle: b.db, config: b.config, clock: b.clock } }), out.join('')).toBe(0);
    // Everyone who should get a message has talked to the bot once, so Teams can reach them.
    for (const u of [sara, erik, ella, sam]) await b.say(u, 'hjälp');
  });
  afterAll(() => b.stop());

  const received = (u: TeamsUser, text: string) =>
    b.connector.sent.map((s, i) => ({ s, i })).filter(({ s }) => s.conversationId === u.conversationId && JSON.stringify(s.activity).includes(text));

  it('delivers heads-up, due day, late, escalation and the answer-deadline reminder once each, to the right person, in working hours, across a downtime', async () => {
    const caseRef = 'FF-2026-5001';
    await b.cases.startCase(
      { routineId: 'ramavtal-bb', phase: 'infor_kop', caseRef, clientInitials: 'E.B.', personnummer: '199104123188', legalBasis: 'LSS 9 § 9', roles: { socialsekreterare: 'p-sara', planeringsledare: 'p-pia', socialadministrator: 'p-adam', link_samordnare: 'p-lina', enhetschef_myndighet: 'p-erik' } },
      'p-sara',
    );
    const [first] = (await b.cases.listTasks('p-erik')).filter((x) => x.caseRef === caseRef);
    await b.cases.completeStep({ caseRef, stepKey: first!.stepKey, personId: 'p-erik', data: { purchaseDecidedOn: '2026-12-16' } });
    expect((await b.cases.listTasks('p-sara')).find((x) => x.caseRef === caseRef)?.due).toBe('2026-12-23');

    // Routine 5 alongside: offered Wednesday 16 Dec, answer due Monday 21 Dec.
    const l = /\bL\d+\b/.exec((await b.say(ella, 'ny ledig Solrosen 61 gruppbostad LSS 2026-12-01')).text)?.[0] ?? '';
    expect((await b.say(sam, 'ställ i kö FF-2026-5002 A.A. 2025-11-01 LSS gruppbostad')).text).toContain('✅');
    expect((await b.say(sam, `reservera ${l} FF-2026-5002`)).text).toContain('✅');
    expect((await b.say(ella, `erbjud ${l}`, 2)).text).toContain('Svar senast 2026-12-21');

    // The service is down through Monday 21 Dec's working hours (after the 07:00 sweep), when the
    // answer-deadline reminder came due: it must wait for Tuesday morning, not go out at 19:00.
    const down = { from: at('2026-12-21', 8), to: at('2026-12-21', 18) };
    while (b.clock.now() < at('2027-01-05', 12)) {
      b.clock.advance(2 * 3_600_000);
      if (b.clock.now() > down.from && b.clock.now() < down.to) continue;
      await sweepReminders({ db: b.db.db, clock: b.clock, logger, settings: b.config.reminders });
      await fireDueTimers({ db: b.db.db, engine: b.cases.engine, clock: b.clock, logger });
      await sweepOfferDeadlines({ db: b.db.db, clock: b.clock, logger, hours: b.config.reminders.hours });
      const before = b.connector.sent.length;
      await b.deliverOutbox();
      for (let i = before; i < b.connector.sent.length; i++) arrivedAt.set(i, b.clock.now());
    }

    const expectations: Array<[string, TeamsUser, string, string]> = [
      ['heads-up', sara, `${caseRef} E.B.: ”`, 'ska vara klart senast 2026-12-23'],
      ['due day', sara, `${caseRef} E.B.: ”`, 'ska vara klart i dag (2026-12-23)'],
      ['late', sara, `${caseRef}: ”`, 'skulle ha varit klart senast 2026-12-23'],
      ['escalation', erik, `Eskalering: ${caseRef} E.B.`, 'Ansvarig: Sara Socialsekreterare'],
      ['answer deadline to the enhetschef', ella, `Svaret från FF-2026-5002 A.A. på erbjudandet om ${l}`, 'skulle ha kommit senast 2026-12-21'],
      ['answer deadline to myndigheten', sam, `Svaret från FF-2026-5002 A.A. på erbjudandet om ${l}`, 'Enhetschefen har påmints'],
    ];
    const days: Record<string, string> = {};
    for (const [what, user, subject, text] of expectations) {
      const got = received(user, text).filter(({ s }) => JSON.stringify(s.activity).includes(subject));
      expect(got, what).toHaveLength(1);
      const when = arrivedAt.get(got[0]!.i)!;
      expect(isWorkingTime(when, b.config.reminders.hours), `${what} at ${when.toISOString()}`).toBe(true);
      days[what] = stockholmDate(when);
    }
    // Never on julafton or the days off around Christmas; the late message waits for Monday 28th.
    expect(days).toEqual({
      'heads-up': '2026-12-21',
      'due day': '2026-12-23',
      late: '2026-12-28',
      escalation: '2026-12-30',
      'answer deadline to the enhetschef': '2026-12-22',
      'answer deadline to myndigheten': '2026-12-22',
    });
    // Nobody else got any of them.
    for (const other of [sara, erik, ella, sam]) {
      expect(received(other, 'Eskalering').length, other.name).toBe(other === erik ? 1 : 0);
    }
  });
});
