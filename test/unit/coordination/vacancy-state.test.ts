import { describe, expect, it } from 'vitest';
import { offerAnswerDeadline, daysVacant } from '../../../domain/coordination/answer-deadline.ts';
import { nextVacancyStatus } from '../../../domain/coordination/vacancy-state.ts';
import type { VacancyAction, VacancyStatus } from '../../../domain/coordination/types.ts';

/** The status after the actions, or the refusal's sentence. */
function run(actions: VacancyAction[]): string {
  let s: VacancyStatus = 'vacant';
  for (const a of actions) {
    const r = nextVacancyStatus(s, a);
    if (!r.ok) return r.message;
    s = r.next;
  }
  return s;
}

describe('a vacancy', () => {
  it('goes vacant → reserved → offered → booked → occupied', () => {
    expect(run(['reserve', 'offer', 'accept', 'move_in'])).toBe('occupied');
  });

  it('is vacant and reservable again after a decline', () => {
    expect(run(['reserve', 'offer', 'decline'])).toBe('vacant');
    expect(run(['reserve', 'offer', 'decline', 'reserve'])).toBe('reserved');
  });

  it('cannot be reserved twice, nor booked before it is offered', () => {
    expect(run(['reserve', 'reserve'])).toMatch(/reserverad/);
    expect(run(['reserve', 'accept'])).toMatch(/reserverad/);
  });

  it('cannot go to förmedling while an internal move is being considered', () => {
    expect(run(['propose_internal', 'reserve'])).toMatch(/intern flytt/);
    expect(run(['propose_internal', 'internal_refused', 'reserve'])).toBe('reserved');
    expect(run(['propose_internal', 'internal_approved', 'move_in'])).toBe('occupied');
  });
});

describe('offer answer deadline and days vacant', () => {
  it('counts working days, skipping a weekend and påskdagen/annandag påsk', () => {
    expect(offerAnswerDeadline('2026-03-06', 3)).toBe('2026-03-11'); // Friday + 3 working days
    expect(offerAnswerDeadline('2026-04-02', 3)).toBe('2026-04-09'); // skärtorsdag: långfredag and annandag påsk off
  });

  it('counts days vacant from the free-from day, never below zero', () => {
    expect(daysVacant('2026-03-01', '2026-03-11')).toBe(10);
    expect(daysVacant('2026-04-01', '2026-03-11')).toBe(0);
  });
});
