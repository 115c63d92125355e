import { randomBytes } from 'node:crypto';
import { testLogger } from './log-capture.ts';
import type { Db } from '../../db/client.ts';
import { createPeopleDirectory } from '../../db/people.ts';
import { people } from '../../db/schema/index.ts';
import { DEFAULT_WORKING_TIME } from '../../domain/calendar/working-time.ts';
import type { RoleId } from '../../domain/roles.ts';
import { manualClock } from '../../lib/clock.ts';
import { createPnrCrypto } from '../../lib/pnr-crypto.ts';
import { createCaseService } from '../../services/cases.ts';
import type { ReminderSettings } from '../../services/reminders.ts';
import { shippedRoutines } from './routines.ts';

export const STAFF = {
  sara: { id: 'p-sara', email: 'sara.soc@kommun.example', name: 'Sara Socialsekreterare', roles: ['socialsekreterare'] },
  pia: { id: 'p-pia', email: 'pia.plan@kommun.example', name: 'Pia Planeringsledare', roles: ['planeringsledare'] },
  adam: { id: 'p-adam', email: 'adam.adm@kommun.example', name: 'Adam Socialadministratör', roles: ['socialadministrator'] },
  lina: { id: 'p-lina', email: 'lina.link@kommun.example', name: 'Lina LINK', roles: ['link_samordnare'] },
  erik: { id: 'p-erik', email: 'erik.ec@kommun.example', name: 'Erik Enhetschef', roles: ['enhetschef_myndighet'] },
  vera: { id: 'p-vera', email: 'vera.vc@kommun.example', name: 'Vera Verksamhetschef', roles: ['verksamhetschef'] },
  olle: { id: 'p-olle', email: 'olle.other@kommun.example', name: 'Olle Obehörig', roles: ['socialsekreterare'] },
} as const;

/** The roles on a ramavtal case, held by the staff above. */
export const RAMAVTAL_ROLES: Partial<Record<RoleId, string>> = {
  socialsekreterare: STAFF.sara.id,
  planeringsledare: STAFF.pia.id,
  socialadministrator: STAFF.adam.id,
  link_samordnare: STAFF.lina.id,
  enhetschef_myndighet: STAFF.erik.id,
};

/** The reminder settings the reminder tests share: the shipped defaults, heads-up 2 and escalation 3 working days. */
export const REMINDER_SETTINGS: ReminderSettings = { headsUpWorkingDays: 2, escalateAfterWorkingDays: 3, escalationFallback: { role: 'verksamhetschef' }, digestTime: { hour: 7, minute: 30 }, hours: DEFAULT_WORKING_TIME };

export async function seedStaff(db: Db): Promise<void> {
  for (const p of Object.values(STAFF)) {
    await db
      .insert(people)
      .values({ id: p.id, email: p.email, name: p.name, roles: [...p.roles], area: 'Väster', managerId: p.id === STAFF.erik.id ? null : STAFF.erik.id })
      .onConflictDoNothing();
  }
}

export function testPnrKey(): string {
  return randomBytes(32).toString('hex');
}

export function makeCaseService(db: Db, start = new Date('2026-11-23T08:00:00Z')) {
  const clock = manualClock(start);
  const service = createCaseService({ routines: shippedRoutines,
    db,
    directory: createPeopleDirectory,
    pnr: createPnrCrypto(testPnrKey()),
    clock,
    logger: testLogger(),
    mailDomain: 'boendelotsen.kommun.example',
  });
  return { service, clock };
}

let counter = 0;
/** A unique case reference per call, so tests in one database never collide. */
export function nextCaseRef(): string {
  counter += 1;
  return `FF-2026-${String(9000 + counter).padStart(4, '0')}-${randomBytes(2).toString('hex').toUpperCase()}`;
}
