import type { Db } from '../db/client.ts';
import { enqueue } from '../db/outbox.ts';
import { activeSubstitute, createPeopleDirectory, peopleWithRole } from '../db/people.ts';
import { digestRows, digestSentTo, isDigestDayDone, markDigestDayDone, recordDigestSent } from '../db/reminders.ts';
import type { LocalDate } from '../domain/calendar/local-date.ts';
import { digestDayAt, digestMessage, endOfWeek, type ApproachingItem, type DigestItem } from '../domain/reminders/digest.ts';
import { caseScope, COORDINATOR_ROLES } from './case-access.ts';
import { approachingDecisions, trackedDecisions } from './report-ej-verkstallda.ts';
import type { TeamsNotification } from './apply-effects.ts';
import type { ReminderDeps, ReminderSettings } from './reminders.ts';

export type PlannedDigest = { personId: string; day: LocalDate; items: DigestItem[]; approaching: ApproachingItem[]; message: string };

/**
 * The digests due at `now`: one per person with steps late or due this week, addressed to the
 * stand-in when the holder is away (a substitute gets one digest with both their own and the
 * covered steps). Empty outside the digest window or once the day's pass has finished.
 */
export async function planDigests(db: Db, settings: ReminderSettings, now: Date): Promise<PlannedDigest[]> {
  const day = digestDayAt(now, settings.digestTime, settings.hours);
  if (!day || (await isDigestDayDone(db, day))) return [];
  const already = await digestSentTo(db, day);
  const byPerson = new Map<string, DigestItem[]>();
  const stand = new Map<string, string>();
  for (const row of await digestRows(db, endOfWeek(day))) {
    if (!stand.has(row.holderId)) stand.set(row.holderId, (await activeSubstitute(db, row.holderId, day)) ?? row.holderId);
    const target = stand.get(row.holderId) ?? row.holderId;
    if (already.has(target)) continue;
    const items = byPerson.get(target) ?? [];
    items.push({ caseRef: row.caseRef, clientInitials: row.clientInitials, title: row.title, due: row.due });
    byPerson.set(target, items);
  }
  const approaching = await approachingForCoordinators(db, day, already);
  const ids = new Set([...byPerson.keys(), ...approaching.keys()]);
  return [...ids].map((personId) => {
    const items = byPerson.get(personId) ?? [];
    const near = approaching.get(personId) ?? [];
    return { personId, day, items, approaching: near, message: digestMessage(day, items, near) };
  });
}

/**
 * Managers are told of housing decisions nearing three months without being carried out, before
 * they become reportable to IVO: those who see a whole area (the coordinator roles) of its cases,
 * the enhetschef på myndighet of the cases they hold a role on; by the same access rule as the tab
 * and chat.
 */
async function approachingForCoordinators(db: Db, day: LocalDate, already: Set<string>): Promise<Map<string, ApproachingItem[]>> {
  const directory = createPeopleDirectory(db);
  const out = new Map<string, ApproachingItem[]>();
  const coordinators = new Set<string>();
  for (const role of [...COORDINATOR_ROLES, 'enhetschef_myndighet'] as const) for (const p of await peopleWithRole(db, role)) coordinators.add(p.id);
  for (const personId of coordinators) {
    if (already.has(personId)) continue;
    const scope = await caseScope(db, directory, day, personId);
    const near = approachingDecisions(await trackedDecisions(db, scope), day);
    if (near.length > 0) out.set(personId, near.map((n) => ({ caseRef: n.caseRef, clientInitials: n.clientInitials, lastDay: n.lastDay })));
  }
  return out;
}

/** Sends the day's digests, each in its own transaction with its once-per-person-and-day key. */
export async function sendDigests(deps: ReminderDeps): Promise<number> {
  const now = deps.clock.now();
  const planned = await planDigests(deps.db, deps.settings, now);
  let sent = 0;
  for (const d of planned) {
    const won = await deps.db.transaction(async (tx) => {
      if (!(await recordDigestSent(tx, { personId: d.personId, day: d.day, steps: d.items.length + d.approaching.length }, now))) return false;
      const payload: TeamsNotification = { kind: 'info', caseRef: 'översikt', stepKey: null, personId: d.personId, message: d.message };
      const key = `digest:${d.personId}:${d.day}`;
      await enqueue(tx, { channel: 'teams', dedupeKey: key, messageId: key, recipient: d.personId, caseRef: null, payload }, now);
      return true;
    });
    if (won) sent += 1;
  }
  const day = planned[0]?.day ?? null;
  // Marked only after every person's row is in: a sweeper that died half-way leaves the day open.
  if (day) await markDigestDayDone(deps.db, day, now);
  else await markEmptyDay(deps, now);
  return sent;
}

/** A digest window with nobody to tell is still a finished pass (saves the query every minute). */
async function markEmptyDay(deps: ReminderDeps, now: Date): Promise<void> {
  const day = digestDayAt(now, deps.settings.digestTime, deps.settings.hours);
  if (day) await markDigestDayDone(deps.db, day, now);
}
