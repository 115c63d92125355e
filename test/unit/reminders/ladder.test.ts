import { describe, expect, it } from 'vitest';
import { stockholmInstant } from '../../../domain/calendar/stockholm.ts';
import { digestDayAt, digestMessage } from '../../../domain/reminders/digest.ts';
import { planLadder, type LadderParams, type LadderStep } from '../../../domain/reminders/ladder.ts';
import { DEFAULT_WORKING_TIME, isWorkingTime, nextWorkingTime, parseWorkingTime } from '../../../domain/calendar/working-time.ts';

const params: LadderParams = { headsUpWorkingDays: 2, escalateAfterWorkingDays: 3, hours: DEFAULT_WORKING_TIME };
const at = (date: string, h: number, m = 0) => stockholmInstant(date, h, m);
// Due Wednesday 2026-12-23, the day before julafton.
const step = (over: Partial<LadderStep> = {}): LadderStep => ({ due: '2026-12-23', openedAt: at('2026-12-16', 9), snoozeUntil: null, sent: new Set(), ...over });
const levels = (s: LadderStep, now: Date) => planLadder(s, params, now).send.map((r) => r.key);

describe('reminder ladder', () => {
  it('gives a heads-up two working days before, a reminder on the day and escalates three working days late, skipping julafton and the weekend', () => {
    expect(levels(step(), at('2026-12-21', 7))).toEqual(['heads_up']);
    expect(levels(step(), at('2026-12-23', 7))).toEqual(['due_day']);
    // 24 julafton, 25 juldag, 26–27 weekend: +3 working days is 30 December.
    expect(levels(step(), at('2026-12-29', 16))).toEqual([]);
    expect(levels(step(), at('2026-12-30', 7))).toEqual(['escalation']);
  });

  it('says when to look next instead of sending outside working time', () => {
    const plan = planLadder(step(), params, at('2026-12-21', 6, 59));
    expect(plan.send).toEqual([]);
    expect(plan.nextAt).toEqual(at('2026-12-21', 7));
  });

  it('sends only the latest rung after a sweeper outage, never the stale heads-up with it', () => {
    expect(levels(step(), at('2026-12-23', 10))).toEqual(['due_day']);
    expect(levels(step({ sent: new Set(['due_day']) }), at('2026-12-23', 11))).toEqual([]);
  });

  it('lets a snooze replace the holder reminders before the chosen day but not the escalation', () => {
    const snoozed = step({ snoozeUntil: '2026-12-22', sent: new Set() });
    expect(levels(snoozed, at('2026-12-21', 8))).toEqual([]);
    expect(levels(snoozed, at('2026-12-22', 7))).toEqual(['snooze:2026-12-22']);
  });

  it('keeps the due-day reminder first when the snooze goes past the deadline', () => {
    const snoozed = step({ snoozeUntil: '2026-12-29', sent: new Set(['heads_up']) });
    expect(levels(snoozed, at('2026-12-23', 8))).toEqual(['due_day']);
    expect(levels({ ...snoozed, sent: new Set(['heads_up', 'due_day']) }, at('2026-12-29', 7))).toEqual(['snooze:2026-12-29']);
    expect(levels({ ...snoozed, sent: new Set(['heads_up', 'snooze:2026-12-29']) }, at('2026-12-30', 7))).toEqual(['escalation']);
  });

  it('skips a heads-up timed before the step opened: the new-task message already told the holder', () => {
    expect(levels(step({ openedAt: at('2026-12-22', 9) }), at('2026-12-22', 10))).toEqual([]);
  });

  it('finishes the ladder once the escalation is out', () => {
    expect(planLadder(step({ sent: new Set(['heads_up', 'due_day', 'escalation']) }), params, at('2026-12-30', 8)).nextAt).toBeNull();
  });
});

describe('working time and digest', () => {
  it('treats julafton, nyårsafton and Saturdays as off and waits for the next working morning', () => {
    expect(isWorkingTime(at('2026-12-24', 10), DEFAULT_WORKING_TIME)).toBe(false);
    expect(isWorkingTime(at('2026-12-31', 10), DEFAULT_WORKING_TIME)).toBe(false);
    expect(isWorkingTime(at('2026-12-19', 10), DEFAULT_WORKING_TIME)).toBe(false);
    expect(nextWorkingTime(at('2026-12-23', 17), DEFAULT_WORKING_TIME)).toEqual(at('2026-12-28', 7));
  });

  it('parses working hours and refuses an end before the start', () => {
    expect(parseWorkingTime('08:00-16:30')).toEqual({ start: { hour: 8, minute: 0 }, end: { hour: 16, minute: 30 } });
    expect(parseWorkingTime('17:00-07:00')).toBeUndefined();
  });

  it('opens the digest at the configured time on working days only', () => {
    const time = { hour: 7, minute: 30 };
    expect(digestDayAt(at('2026-12-21', 7, 29), time, DEFAULT_WORKING_TIME)).toBeNull();
    expect(digestDayAt(at('2026-12-21', 7, 30), time, DEFAULT_WORKING_TIME)).toBe('2026-12-21');
    expect(digestDayAt(at('2026-12-24', 8), time, DEFAULT_WORKING_TIME)).toBeNull();
  });

  it('puts late steps before this week\'s in one message with case reference and initials', () => {
    const text = digestMessage('2026-12-21', [
      { caseRef: 'FF-2', clientInitials: 'A.B.', title: 'Avtal', due: '2026-12-22' },
      { caseRef: 'FF-1', clientInitials: 'E.B.', title: 'Kontroll', due: '2026-12-18' },
    ]);
    expect(text.indexOf('FF-1 E.B.')).toBeLessThan(text.indexOf('FF-2 A.B.'));
    expect(text).toContain('1 försenade, 1 med sista dag denna vecka');
  });
});
