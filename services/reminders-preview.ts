import { and, eq, lte } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { findPeopleByIds } from '../db/people.ts';
import { dueStepReminders } from '../db/reminders.ts';
import { cases, caseTimers } from '../db/schema/index.ts';
import type { TimerAction } from '../domain/engine/types.ts';
import { nextWorkingTime } from '../domain/calendar/working-time.ts';
import { planDigests } from './reminders-digest.ts';
import { planSteps, type ReminderSettings } from './reminders.ts';

export type PreviewLine = {
  type: 'påminnelse' | 'eskalering' | 'översikt' | 'tidsstyrt steg' | 'försenat';
  caseRef: string | null;
  clientInitials: string | null;
  what: string;
  /** Staff initials and id; never a client's name. */
  to: string | null;
  at: string;
};

/**
 * What the sweeps would send or open at `at`, computed from the same plans they use, without
 * writing anything: ladder rungs due and not yet sent, the day's digests, timers due (the engine's
 * late messages at the working time they will actually leave).
 */
export async function previewReminders(db: Db, settings: ReminderSettings, at: Date): Promise<PreviewLine[]> {
  const lines: PreviewLine[] = [];
  const rows = await dueStepReminders(db, { now: at, limit: 50_000, lock: false });
  for (const plan of await planSteps(db, rows, settings, at)) {
    for (const m of plan.messages) {
      lines.push({ type: m.level === 'escalation' ? 'eskalering' : 'påminnelse', caseRef: m.caseRef, clientInitials: m.clientInitials, what: `${m.title} (${m.level}, senast ${m.due})`, to: m.recipientId, at: at.toISOString() });
    }
  }
  for (const d of await planDigests(db, settings, at)) {
    lines.push({ type: 'översikt', caseRef: null, clientInitials: null, what: `${d.items.length} steg försenade eller med sista dag denna vecka`, to: d.personId, at: at.toISOString() });
  }
  const timers = await db
    .select({ key: caseTimers.key, dueAt: caseTimers.dueAt, action: caseTimers.action, caseRef: cases.caseRef, clientInitials: cases.clientInitials })
    .from(caseTimers)
    .innerJoin(cases, eq(cases.id, caseTimers.caseId))
    .where(and(eq(caseTimers.status, 'pending'), lte(caseTimers.dueAt, at)));
  for (const t of timers) {
    const action = t.action as TimerAction;
    const when = action.type === 'step_late' ? nextWorkingTime(t.dueAt, settings.hours) : t.dueAt;
    if (when > at) continue;
    lines.push({ type: action.type === 'step_late' ? 'försenat' : 'tidsstyrt steg', caseRef: t.caseRef, clientInitials: t.clientInitials, what: describeTimer(action), to: null, at: when.toISOString() });
  }
  return withStaffInitials(db, lines);
}

function describeTimer(a: TimerAction): string {
  switch (a.type) {
    case 'step_late':
      return `försenat-meddelande för ${a.stepKey}`;
    case 'open_step':
      return `öppnar steget ${a.stepId}`;
    case 'open_occurrence':
      return `öppnar ${a.stepId} ${a.occurrence} (senast ${a.due})`;
    case 'begin_phase':
      return `startar skedet ${a.phase}`;
  }
}

async function withStaffInitials(db: Db, lines: PreviewLine[]): Promise<PreviewLine[]> {
  const ids = lines.flatMap((l) => (l.to ? [l.to] : []));
  const names = new Map((await findPeopleByIds(db, ids)).map((p) => [p.id, p.name] as const));
  const initials = (name: string) => name.split(/\s+/).filter(Boolean).map((w) => `${w[0]?.toUpperCase() ?? ''}.`).join('');
  return lines.map((l) => (l.to ? { ...l, to: `${initials(names.get(l.to) ?? '?')} (${l.to})` } : l));
}
