import { describe, expect, it } from 'vitest';
import { actor, at, complete, ok, openSteps, refused, timerFor, type Run } from './helpers.ts';

function decided(facts: Record<string, string> = {}): Run {
  const r = ok(null, { type: 'start', caseRef: 'OF-2026-0050', routineId: 'boendestod-lov', phase: 'nytt_arende', facts }, at('2026-01-12'));
  return complete(r, 'beslut', 'socialsekreterare', at('2026-01-12'), { decisionDate: '2026-01-12' });
}

describe('boendestöd under LOV', () => {
  it('opens ickeval when two months pass without a choice, and ickeval replaces the choice step', () => {
    let r = decided();
    expect(r.state.steps['val_utforare']?.due).toBe('2026-03-12');
    // The person may choose all of Thursday 2026-03-12; ickeval opens Friday morning.
    expect(timerFor(r.state, 'open:ickeval')).toBe('2026-03-13T06:00:00.000Z');
    r = ok(r.state, { type: 'timer', key: 'open:ickeval' }, new Date('2026-03-13T06:00:00Z'));
    expect(openSteps(r.state)).toEqual(['ickeval', 'val_utforare']);
    r = complete(r, 'ickeval', 'socialsekreterare', at('2026-03-13'), { provider: 'Utförare B (nästa i tur)' });
    expect(r.state.steps['val_utforare']?.status).toBe('cancelled');
    expect(openSteps(r.state)).toEqual(['bestallning']);
  });

  it('opens ickeval only after the choice period, moved as a deadline past nyårsafton and nyårsdagen, has ended', () => {
    const r0 = ok(null, { type: 'start', caseRef: 'OF-2025-0090', routineId: 'boendestod-lov', phase: 'nytt_arende' }, at('2025-10-31'));
    let r = complete(r0, 'beslut', 'socialsekreterare', at('2025-10-31'), { decisionDate: '2025-10-31' });
    // Two months end on nyårsafton 2025-12-31; the person may choose until Friday 2026-01-02.
    expect(r.state.steps['val_utforare']?.due).toBe('2026-01-02');
    // The first working day after that is Monday 2026-01-05 (07:00 Stockholm).
    expect(timerFor(r.state, 'open:ickeval')).toBe('2026-01-05T06:00:00.000Z');
    // A choice on the last allowed day still wins: the ickeval step never opens.
    r = complete(r, 'val_utforare', 'socialsekreterare', at('2026-01-02'), { provider: 'Utförare A' });
    expect(r.state.timers['open:ickeval']).toBeUndefined();
    expect(openSteps(r.state)).toEqual(['bestallning']);
  });

  it('cancels the ickeval timer when the person chooses in time', () => {
    let r = decided();
    r = complete(r, 'val_utforare', 'socialsekreterare', at('2026-02-01'), { provider: 'Utförare A' });
    expect(r.effects).toContainEqual({ type: 'cancel_timer', key: 'open:ickeval' });
  });

  it('walks order, next-day confirmation, start within 14 days, genomförandeplan and follow-up', () => {
    let r = decided();
    r = complete(r, 'val_utforare', 'socialsekreterare', at('2026-02-01'), { provider: 'Utförare A' });
    r = complete(r, 'bestallning', 'socialsekreterare', at('2026-06-04'), { orderSentOn: '2026-06-04' });
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'send_mail', to: 'leverantor', template: 'bestallning_boendestod' }));
    // Thursday 2026-06-04 → confirmation by Friday 06-05; start by 06-18; alert one month later.
    expect(r.state.steps['bekraftelse']?.due).toBe('2026-06-05');
    expect(r.state.steps['insats_paborjad']?.due).toBe('2026-06-18');
    expect(timerFor(r.state, 'open:ej_paborjad')).toBe('2026-07-04T05:00:00.000Z');
    r = ok(r.state, { type: 'provider_reply', kind: 'confirmed', date: '2026-06-05' }, at('2026-06-05'));
    r = ok(r.state, { type: 'provider_reply', kind: 'started', date: '2026-06-15' }, at('2026-06-15'));
    expect(r.effects).toContainEqual({ type: 'cancel_timer', key: 'open:ej_paborjad' });
    expect(r.state.steps['gp_paborjad']?.due).toBe('2026-06-29');
    expect(r.state.steps['genomforandeplan']?.due).toBe('2026-09-15');
    r = ok(r.state, { type: 'provider_reply', kind: 'genomforandeplan', date: '2026-08-20' }, at('2026-08-20'));
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'send_mail', to: 'leverantor', template: 'genomforandeplan_mottagen' }));
    expect(r.state.steps['uppfoljning']?.due).toBe('2026-11-20');
    r = ok(r.state, { type: 'provider_reply', kind: 'franvaro', date: '2026-09-01', data: { reportKind: 'franvaro_over_30_dagar' } }, at('2026-09-02'));
    expect(r.state.steps['franvaro:1']?.status).toBe('done');
  });

  it('alerts the handläggare when the support has not started within a month of the order', () => {
    let r = decided();
    r = complete(r, 'val_utforare', 'socialsekreterare', at('2026-02-01'), { provider: 'Utförare A' });
    r = complete(r, 'bestallning', 'socialsekreterare', at('2026-02-02'), { orderSentOn: '2026-02-02' });
    r = ok(r.state, { type: 'timer', key: 'open:ej_paborjad' }, new Date('2026-03-02T06:00:00Z'));
    expect(r.state.steps['ej_paborjad']).toMatchObject({ status: 'open', due: '2026-03-03' });
  });

  it('tells the handläggare ahead of the 65th birthday and starts a new case for omvårdnadsförvaltningen', () => {
    let r = decided({ turns65On: '2026-09-30' });
    expect(timerFor(r.state, 'open:overgang_65')).toBe('2026-08-01T05:00:00.000Z');
    r = ok(r.state, { type: 'timer', key: 'open:overgang_65' }, new Date('2026-08-01T05:00:00Z'));
    expect(r.state.steps['overgang_65']?.due).toBe('2026-09-30');
    r = complete(r, 'overgang_65', 'socialsekreterare', at('2026-08-03'));
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'start_case', routineId: 'boendestod-lov', phase: 'overgang_65', fromCaseRef: 'OF-2026-0050' }));
    expect(r.state.status).toBe('closed');
  });

  it('refuses a provider reply nobody waits for', () => {
    const r = decided();
    expect(refused(r.state, { type: 'provider_reply', kind: 'started', date: '2026-01-20' }, at('2026-01-20')).reason).toBe('step_not_open');
    expect(refused(r.state, { type: 'complete', stepKey: 'val_utforare', actor: actor('planeringsledare'), data: { provider: 'X' } }, at('2026-01-20')).reason).toBe('wrong_role');
  });
});
