import { describe, expect, it } from 'vitest';
import { decide } from '../../../domain/engine/decide.ts';
import type { CaseEvent, CaseState } from '../../../domain/engine/types.ts';
import { lookupIn } from '../../../domain/routines/registry.ts';
import type { RoutineDefinition } from '../../../domain/routines/types.ts';
import { shippedRoutines } from '../../support/routines.ts';

const externPlacering = shippedRoutines.find('extern-placering') as RoutineDefinition;
import { actor, at, complete, ok, openSteps, refused, type Run } from './helpers.ts';

const withAu = lookupIn([{
  ...externPlacering,
  params: { ...externPlacering.params, auMeetings: [
    { date: '2026-03-10', submissionDeadline: '2026-02-24' },
    { date: '2026-04-14', submissionDeadline: '2026-03-31' },
  ] },
}]);

function run(state: CaseState | null, event: CaseEvent, now: Date): Run {
  const d = decide(state, event, now, withAu);
  if (!d.ok) throw new Error(d.message);
  return { state: d.next, effects: d.effects };
}

function untilVisit(): Run {
  let r = run(null, { type: 'start', caseRef: 'BE-2026-0031', routineId: 'extern-placering', phase: 'placering' }, at('2026-02-02'));
  r = { ...run(r.state, { type: 'complete', stepKey: 'underlag', actor: actor('socialsekreterare') }, at('2026-02-02')) };
  r = run(r.state, { type: 'complete', stepKey: 'beslut_regi', actor: actor('verksamhetschef'), data: { regime: 'extern' } }, at('2026-02-05'));
  r = run(r.state, { type: 'complete', stepKey: 'matchning', actor: actor('boendesamordnare'), data: { proposedDailyPrice: 3900 } }, at('2026-02-16'));
  return r;
}

describe('extern placering (Östhammar)', () => {
  it('ends the case when verksamhetschef decides on own regime', () => {
    let r = ok(null, { type: 'start', caseRef: 'BE-1', routineId: 'extern-placering', phase: 'placering' }, at('2026-02-02'));
    r = complete(r, 'underlag', 'socialsekreterare', at('2026-02-02'));
    r = complete(r, 'beslut_regi', 'verksamhetschef', at('2026-02-03'), { regime: 'egen_regi' });
    expect(r.state.status).toBe('closed');
    expect(r.state.closeReason).toBe('Verkställs i egen regi');
  });

  it('makes the tjänsteutlåtande due at the submission deadline of the next AU meeting not yet passed', () => {
    let r = untilVisit();
    r = run(r.state, { type: 'complete', stepKey: 'besok', actor: actor('boendesamordnare'), data: { visitedOn: '2026-02-25' } }, at('2026-02-25'));
    // 2026-02-24's deadline has passed on 2026-02-25: the next is 2026-03-31 for the April meeting.
    expect(r.state.steps['tjansteutlatande']?.due).toBe('2026-03-31');
  });

  it('watches the genomförandeplan 14 days from the start, extendable to one month in total but not beyond', () => {
    let r = untilVisit();
    const steps: Array<[string, string, Record<string, string | number | boolean>]> = [
      ['besok', 'socialsekreterare', { visitedOn: '2026-02-20' }],
      ['tjansteutlatande', 'socialsekreterare', {}],
      ['au_beslut', 'socialsekreterare', { auDecisionOn: '2026-03-10', auApproved: true }],
      ['information_extern_placering', 'socialsekreterare', {}],
      ['registrering', 'boendesamordnare', {}],
      ['avtal', 'boendesamordnare', {}],
      ['verkstallighet', 'socialsekreterare', { placementStart: '2026-06-05' }],
    ];
    for (const [key, role, data] of steps) r = run(r.state, { type: 'complete', stepKey: key, actor: actor(role as never), data }, at('2026-03-11'));
    // 2026-06-05 + 14 days = midsommarafton 2026-06-19 → Monday 2026-06-22.
    expect(r.state.steps['genomforandeplan']?.due).toBe('2026-06-22');
    expect(r.state.steps['avgifter']?.status).toBe('open');
    const tooLong = decide(r.state, { type: 'extend', stepKey: 'genomforandeplan', until: '2026-07-07', actor: actor('socialsekreterare') }, at('2026-06-15'), withAu);
    expect(tooLong).toMatchObject({ ok: false, reason: 'rule_not_met' });
    r = run(r.state, { type: 'extend', stepKey: 'genomforandeplan', until: '2026-07-03', actor: actor('socialsekreterare') }, at('2026-06-15'));
    expect(r.state.steps['genomforandeplan']?.due).toBe('2026-07-03');
    // Due Friday 2026-07-03: late is first said on the next working day, Monday 07:00, not Saturday.
    expect(r.state.timers['late:genomforandeplan']?.at).toBe('2026-07-06T05:00:00.000Z');
  });

  it('opens a monthly report due by the 10th every month, moved off weekends, and tells samordnare LSS/SoL when late', () => {
    let r = ok(null, { type: 'start', caseRef: 'BE-2', routineId: 'extern-placering', phase: 'placering' }, at('2026-08-01'));
    for (const [key, role, data] of [
      ['underlag', 'socialsekreterare', {}], ['beslut_regi', 'verksamhetschef', { regime: 'extern' }],
      ['matchning', 'boendesamordnare', { proposedDailyPrice: 4100 }], ['besok', 'socialsekreterare', { visitedOn: '2026-08-01' }],
      ['tjansteutlatande', 'socialsekreterare', {}], ['au_beslut', 'socialsekreterare', { auDecisionOn: '2026-08-01', auApproved: true }],
      ['information_extern_placering', 'socialsekreterare', {}], ['registrering', 'boendesamordnare', {}], ['avtal', 'boendesamordnare', {}],
      ['verkstallighet', 'socialsekreterare', { placementStart: '2026-09-15' }],
    ] as const) r = complete(r, key, role, at('2026-08-01'), data);
    expect(r.state.timers['recur:manadsrapport']).toMatchObject({ action: { occurrence: '2026-10', due: '2026-10-12' } });
    r = ok(r.state, { type: 'timer', key: 'recur:manadsrapport' }, at('2026-10-01', '07:00'));
    expect(r.state.steps['manadsrapport:2026-10']).toMatchObject({ status: 'open', due: '2026-10-12' });
    expect(r.state.timers['recur:manadsrapport']).toMatchObject({ action: { occurrence: '2026-11', due: '2026-11-10' } });
    r = ok(r.state, { type: 'timer', key: 'late:manadsrapport:2026-10' }, at('2026-10-13', '07:00'));
    expect(r.effects.filter((e) => e.type === 'notify' && e.kind === 'step_late').map((e) => e.type === 'notify' && e.role)).toEqual(['socialsekreterare', 'samordnare_lss_sol']);
    r = ok(r.state, { type: 'provider_reply', kind: 'manadsrapport', date: '2026-10-14' }, at('2026-10-14'));
    expect(r.state.steps['manadsrapport:2026-10']?.status).toBe('done');
    r = ok(r.state, { type: 'record', stepId: 'avvikelse', actor: actor('socialsekreterare'), data: { deviationKind: 'manadsrapport' } }, at('2026-10-14'));
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'notify', role: 'samordnare_lss_sol', kind: 'step_completed' }));
    const end = ok(r.state, { type: 'close', actor: actor('socialsekreterare'), date: '2026-12-31', reason: 'Flyttat hem' }, at('2026-12-01'));
    expect(end.effects.filter((e) => e.type === 'notify').map((e) => e.type === 'notify' && e.role)).toEqual(['boendesamordnare', 'avgiftshandlaggare', 'ekonomicontroller']);
    expect(end.state.timers).toEqual({});
  });

  it('refuses the close by a role the routine does not name', () => {
    const r = ok(null, { type: 'start', caseRef: 'BE-3', routineId: 'extern-placering', phase: 'placering' }, at('2026-02-02'));
    expect(refused(r.state, { type: 'close', actor: actor('boendesamordnare'), date: '2026-02-03', reason: 'x' }, at('2026-02-03')).reason).toBe('wrong_role');
    expect(openSteps(r.state)).toEqual(['underlag']);
  });
});
