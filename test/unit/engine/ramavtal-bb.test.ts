import { describe, expect, it } from 'vitest';
import type { BbSummary, CaseState } from '../../../domain/engine/types.ts';
import { actor, at, complete, ok, openSteps, refused, timerFor, type Run } from './helpers.ts';

const roles = {
  socialsekreterare: 'p-ss', planeringsledare: 'p-pl', socialadministrator: 'p-sa',
  link_samordnare: 'p-link', enhetschef_myndighet: 'p-ec',
} as const;

function bb(overrides: Partial<BbSummary> = {}): BbSummary {
  return { kind: 'infor_kop', assessedOn: '2025-10-20', dailyPrice: 2450.5, statedDailyPrice: 2450.5, priceCheck: 'ok', exception: null, ...overrides };
}

function startedUntilBb(bbOverrides: Partial<BbSummary> = {}): Run {
  let run = ok(null, { type: 'start', caseRef: 'FF-2025-0142', routineId: 'ramavtal-bb', phase: 'infor_kop', roles }, at('2025-10-01'));
  run = complete(run, 'beslut_kop', 'enhetschef_myndighet', at('2025-10-01'), { purchaseDecidedOn: '2025-10-01' });
  run = complete(run, 'kontaktuppgifter', 'socialsekreterare', at('2025-10-02'), { interviewSource: 'korttidsboende' });
  return ok(run.state, { type: 'document', kind: 'behovsbedomning', bb: bb(bbOverrides), from: 'p-pl' }, at('2025-10-21'));
}

describe('ramavtal BmSS: inför köp', () => {
  it('opens the purchase decision for enhetschef myndighet when the case starts', () => {
    const run = ok(null, { type: 'start', caseRef: 'FF-2025-0142', routineId: 'ramavtal-bb', phase: 'infor_kop', roles }, at('2025-10-01'));
    expect(openSteps(run.state)).toEqual(['beslut_kop']);
    expect(run.effects).toContainEqual(expect.objectContaining({ type: 'notify', role: 'enhetschef_myndighet', personId: 'p-ec', kind: 'step_opened' }));
  });

  it('distributes the BB with price to four roles and a copy without price, then opens the parallel steps', () => {
    const run = startedUntilBb();
    const mails = run.effects.filter((e) => e.type === 'send_mail');
    expect(mails.map((m) => m.type === 'send_mail' && `${m.to}:${m.template}`)).toEqual([
      'link_samordnare:bb_med_pris', 'socialsekreterare:bb_med_pris', 'socialadministrator:bb_med_pris',
      'enhetschef_myndighet:bb_med_pris', 'socialsekreterare:bb_utan_pris_treserva',
    ]);
    const copy = mails[4];
    expect(copy?.type === 'send_mail' && 'dailyPrice' in copy.data).toBe(false);
    expect(openSteps(run.state)).toEqual(['inflyttningsdatum', 'kontrollrakning', 'pris_till_leverantor', 'treserva']);
    expect(run.state.steps['forhandling']?.status).toBe('skipped');
  });

  it('tells the provider the price by the next working day after the BB arrives', () => {
    const run = startedUntilBb();
    // BB arrived Tuesday 2025-10-21 → due Wednesday 2025-10-22.
    expect(run.state.steps['pris_till_leverantor']?.due).toBe('2025-10-22');
  });

  it('shows both figures on the control calculation when the price does not match', () => {
    const run = startedUntilBb({ priceCheck: 'mismatch', statedDailyPrice: 2500, dailyPrice: 2450.5 });
    const note = run.effects.find((e) => e.type === 'notify' && e.stepKey === 'kontrollrakning');
    expect(note?.type === 'notify' && note.message).toContain('angivet dygnspris 2\u00a0500,00 kr, beräknat 2\u00a0450,50 kr');
  });

  it('routes the contract to LINK-samordnare after negotiation when the BB is an exception from the price model', () => {
    let run = startedUntilBb({ exception: { reason: 'Omfattande stödbehov nattetid' } });
    expect(run.state.steps['forhandling']).toMatchObject({ status: 'open', role: 'link_samordnare' });
    run = complete(run, 'kontrollrakning', 'socialadministrator', at('2025-10-22'), { controlledDailyPrice: 2450.5 });
    run = complete(run, 'pris_till_leverantor', 'socialsekreterare', at('2025-10-22'));
    run = complete(run, 'inflyttningsdatum', 'socialsekreterare', at('2025-10-23'), { moveInDate: '2025-11-30' });
    expect(openSteps(run.state)).not.toContain('avtal');
    run = complete(run, 'forhandling', 'link_samordnare', at('2025-10-27'), { negotiatedDailyPrice: 3100 });
    expect(run.state.steps['avtal']).toMatchObject({ status: 'open', role: 'link_samordnare' });
    const r = refused(run.state, { type: 'complete', stepKey: 'avtal', actor: actor('socialadministrator') }, at('2025-10-27'));
    expect(r.reason).toBe('wrong_role');
    expect(r.message).toContain('LINK-samordnare');
  });

  it('walks inför köp to the archived contract and sets the follow-up BB three months after move-in', () => {
    let run = startedUntilBb();
    run = complete(run, 'treserva', 'socialsekreterare', at('2025-10-21'));
    run = complete(run, 'kontrollrakning', 'socialadministrator', at('2025-10-22'), { controlledDailyPrice: 2450.5 });
    run = complete(run, 'pris_till_leverantor', 'socialadministrator', at('2025-10-22'));
    expect(run.effects).toContainEqual({ type: 'send_mail', to: 'leverantor', template: 'pris_och_uppfoljande_bb', data: { caseRef: 'FF-2025-0142', stepKey: 'pris_till_leverantor', dailyPrice: 2450.5 } });
    run = complete(run, 'inflyttningsdatum', 'socialsekreterare', at('2025-10-23'), { moveInDate: '2025-11-30' });
    // The basis for expansion funds: planeringsledare and socialadministratör are told.
    expect(run.effects.filter((e) => e.type === 'notify' && e.kind === 'step_completed').map((e) => e.type === 'notify' && e.role)).toEqual(['planeringsledare', 'socialadministrator']);
    expect(run.state.facts).toMatchObject({ placementStart: '2025-11-30', followUpContractFrom: '2026-03-01' });
    // 2025-11-30 + 3 months = 2026-02-28 (lag 1930:173); the timer fires that morning.
    expect(timerFor(run.state, 'phase:uppfoljande')).toBe('2026-02-28T06:00:00.000Z');
    run = complete(run, 'avtal', 'socialadministrator', at('2025-10-24'));
    expect(run.state.facts).toMatchObject({ contractFrom: '2025-11-30', contractUntil: '2026-02-28' });
    run = complete(run, 'signering', 'enhetschef_myndighet', at('2025-10-27'), { signedOn: '2025-10-27' });
    run = complete(run, 'skicka_avtal', 'socialadministrator', at('2025-10-28'), { contractSentOn: '2025-10-28' });
    expect(run.effects).toContainEqual(expect.objectContaining({ type: 'send_mail', to: 'administration', template: 'avtal_till_administration' }));
    expect(run.state.steps['administration']?.status).toBe('done');
    run = complete(run, 'avtal_retur', 'socialadministrator', at('2025-11-10'), { contractReturnedOn: '2025-11-10' });
    expect(openSteps(run.state)).toEqual([]);
    const followUp = ok(run.state, { type: 'timer', key: 'phase:uppfoljande' }, new Date('2026-02-28T06:00:00Z'));
    expect(openSteps(followUp.state)).toEqual(['bb_uppf']);
  });

  it('makes the follow-up contract from the day after three months when the uppföljande BB has no price exception', () => {
    let run = startedUntilBb();
    run = complete(run, 'inflyttningsdatum', 'socialsekreterare', at('2025-10-23'), { moveInDate: '2025-11-30' });
    run = ok(run.state, { type: 'timer', key: 'phase:uppfoljande' }, new Date('2026-02-28T06:00:00Z'));
    run = ok(run.state, { type: 'document', kind: 'behovsbedomning', bb: bb({ kind: 'uppfoljande', assessedOn: '2026-03-02' }) }, at('2026-03-02'));
    expect(run.state.steps['forhandling_uppf']?.status).toBe('skipped');
    expect(run.state.steps['avtal_uppf']).toMatchObject({ status: 'open', role: 'socialadministrator' });
    run = complete(run, 'avtal_uppf', 'socialadministrator', at('2026-03-03'), { contractUntil: '2027-03-01' });
    expect(run.state.facts).toMatchObject({ contractFrom: '2026-03-01', contractUntil: '2027-03-01' });
    run = complete(run, 'signering_uppf', 'enhetschef_myndighet', at('2026-03-04'), { signedOn: '2026-03-04' });
    run = complete(run, 'skicka_avtal_uppf', 'socialadministrator', at('2026-03-05'), { contractSentOn: '2026-03-05' });
    expect(run.state.steps['administration_uppf']?.status).toBe('done');
    expect(run.effects).toContainEqual(expect.objectContaining({ type: 'send_mail', to: 'administration', template: 'avtal_till_administration' }));
    expect(openSteps(run.state)).toContain('avtal_retur_uppf');
  });

  it('refuses a second click on a step already done with "redan klart"', () => {
    let run = startedUntilBb();
    run = complete(run, 'treserva', 'socialsekreterare', at('2025-10-21'));
    const r = refused(run.state, { type: 'complete', stepKey: 'treserva', actor: actor('socialsekreterare') }, at('2025-10-21'));
    expect(r.reason).toBe('step_not_open');
    expect(r.message).toContain('redan klart');
  });

  it('refuses a move-in date that is missing or not a date', () => {
    const run = startedUntilBb();
    expect(refused(run.state, { type: 'complete', stepKey: 'inflyttningsdatum', actor: actor('socialsekreterare'), data: {} }, at('2025-10-22')).reason).toBe('data_missing');
    expect(refused(run.state, { type: 'complete', stepKey: 'inflyttningsdatum', actor: actor('socialsekreterare'), data: { moveInDate: '30/11/2025' } }, at('2025-10-22')).reason).toBe('data_invalid');
  });

  it('refuses unknown steps and a BB of the wrong kind', () => {
    const run = startedUntilBb();
    expect(refused(run.state, { type: 'complete', stepKey: 'nonsense', actor: actor('socialsekreterare') }, at('2025-10-22')).reason).toBe('unknown_step');
    let r2 = ok(null, { type: 'start', caseRef: 'FF-2', routineId: 'ramavtal-bb', phase: 'infor_kop', roles }, at('2025-10-01'));
    r2 = complete(r2, 'beslut_kop', 'enhetschef_myndighet', at('2025-10-01'), { purchaseDecidedOn: '2025-10-01' });
    r2 = complete(r2, 'kontaktuppgifter', 'socialsekreterare', at('2025-10-02'), { interviewSource: 'annat_bmss' });
    expect(refused(r2.state, { type: 'document', kind: 'behovsbedomning', bb: bb({ kind: 'uppfoljande' }) }, at('2025-10-21')).reason).toBe('rule_not_met');
  });
});

describe('ramavtal BmSS: förändrade behov and avslut', () => {
  function placed(): CaseState {
    return ok(null, { type: 'start', caseRef: 'FF-2026-0007', routineId: 'ramavtal-bb', phase: 'infor_kop', roles }, at('2026-01-05')).state;
  }

  it('refuses a changed need that has lasted under 3 months', () => {
    const r = refused(placed(), {
      type: 'begin_phase', phase: 'forandrade_behov', actor: actor('socialsekreterare'),
      data: { reportedBy: 'leverantor', needAroseOn: '2026-02-15', changeRequestedOn: '2026-05-14', needDocumented: true },
    }, at('2026-05-14'));
    expect(r).toEqual({ reason: 'rule_not_met', message: 'Det förändrade behovet ska ha funnits i minst 3 månader innan en ny behovsbedömning begärs.' });
  });

  it('refuses an undocumented changed need and a request by the wrong role', () => {
    const data = { reportedBy: 'socialsekreterare', needAroseOn: '2026-01-10', changeRequestedOn: '2026-05-14', needDocumented: false };
    expect(refused(placed(), { type: 'begin_phase', phase: 'forandrade_behov', actor: actor('socialsekreterare'), data }, at('2026-05-14')).reason).toBe('rule_not_met');
    expect(refused(placed(), { type: 'begin_phase', phase: 'forandrade_behov', actor: actor('planeringsledare'), data }, at('2026-05-14')).reason).toBe('wrong_role');
  });

  it('uses the date of the request as the new contract start', () => {
    let run: Run = ok(placed(), {
      type: 'begin_phase', phase: 'forandrade_behov', actor: actor('link_samordnare'),
      data: { reportedBy: 'leverantor', needAroseOn: '2026-02-14', changeRequestedOn: '2026-05-14', needDocumented: true },
    }, at('2026-05-15'));
    expect(openSteps(run.state)).toEqual(['bb_forandr', 'begaran_till_leverantor', 'beslut_kop', 'startdatum_kontroll']);
    run = complete(run, 'startdatum_kontroll', 'socialadministrator', at('2026-05-15'), { changeRequestedOn: '2026-05-14' });
    run = ok(run.state, { type: 'document', kind: 'behovsbedomning', bb: bb({ kind: 'forandrade_behov', assessedOn: '2026-06-01' }) }, at('2026-06-02'));
    expect(openSteps(run.state)).toEqual(['avtal_forandr', 'begaran_till_leverantor', 'beslut_kop', 'treserva_forandr']);
    expect(run.state.facts['contractFrom']).toBe('2026-05-14');
  });

  it('closes the case, tells socialadministratör, LINK and planeringsledare, and stops every timer', () => {
    let run = startedUntilBb();
    run = complete(run, 'inflyttningsdatum', 'socialsekreterare', at('2025-10-23'), { moveInDate: '2025-11-30' });
    const closed = ok(run.state, { type: 'close', actor: actor('socialsekreterare'), date: '2026-01-31', reason: 'Flytt till annan kommun' }, at('2026-01-20'));
    expect(closed.state.status).toBe('closed');
    expect(Object.keys(closed.state.timers)).toEqual([]);
    expect(closed.effects.filter((e) => e.type === 'cancel_timer').map((e) => e.type === 'cancel_timer' && e.key)).toContain('phase:uppfoljande');
    expect(closed.effects.filter((e) => e.type === 'notify').map((e) => e.type === 'notify' && e.role)).toEqual(['socialadministrator', 'link_samordnare', 'planeringsledare']);
    expect(refused(closed.state, { type: 'timer', key: 'phase:uppfoljande' }, at('2026-02-28')).reason).toBe('case_closed');
  });
});
