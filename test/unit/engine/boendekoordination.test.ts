import { describe, expect, it } from 'vitest';
import { actor, at, complete, ok, openSteps, refused } from './helpers.ts';

describe('boendekoordination (Ystad)', () => {
  it('walks an internal placement: a declined offer starts a new reservation, an accepted one ends in move-in', () => {
    let r = ok(null, { type: 'start', caseRef: 'SO-2026-0010', routineId: 'boendekoordination', phase: 'intern' }, at('2026-02-02'));
    expect(r.state.steps['registrera_ledig']?.due).toBe('2026-02-02');
    expect(refused(r.state, { type: 'complete', stepKey: 'registrera_ledig', actor: actor('enhetschef_utforare'), data: { vacantFrom: '2026-03-01', landlordInformed: false } }, at('2026-02-02')).reason).toBe('rule_not_met');
    r = complete(r, 'registrera_ledig', 'enhetschef_utforare', at('2026-02-02'), { vacantFrom: '2026-03-01', landlordInformed: true });
    r = complete(r, 'reservation', 'socialsekreterare', at('2026-02-03'));
    r = complete(r, 'erbjudande', 'enhetschef_utforare', at('2026-02-04'), { viewingOn: '2026-02-06' });
    const noQueue = refused(r.state, { type: 'complete', stepKey: 'svar', actor: actor('enhetschef_utforare'), data: { answer: 'declined', declineReason: 'Vill bo närmare familjen', staysInQueue: false } }, at('2026-02-09'));
    expect(noQueue.reason).toBe('rule_not_met');
    expect(refused(r.state, { type: 'complete', stepKey: 'svar', actor: actor('enhetschef_utforare'), data: { answer: 'declined' } }, at('2026-02-09')).reason).toBe('data_missing');
    r = complete(r, 'svar', 'enhetschef_utforare', at('2026-02-09'), { answer: 'declined', declineReason: 'Vill bo närmare familjen', staysInQueue: true });
    expect(openSteps(r.state)).toEqual(['reservation#2']);
    r = complete(r, 'reservation#2', 'socialsekreterare', at('2026-02-10'));
    r = complete(r, 'erbjudande#2', 'enhetschef_utforare', at('2026-02-11'));
    r = complete(r, 'svar#2', 'enhetschef_utforare', at('2026-02-12'), { answer: 'accepted', plannedMoveIn: '2026-03-01' });
    expect(openSteps(r.state)).toEqual(['bestallningar']);
    r = complete(r, 'bestallningar', 'socialsekreterare', at('2026-02-13'));
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'send_mail', to: 'hso', template: 'inflyttning_planerad' }));
    r = complete(r, 'inflyttning', 'enhetschef_utforare', at('2026-03-02'), { moveInDate: '2026-03-02' });
    expect(r.effects.filter((e) => e.type === 'notify').map((e) => e.type === 'notify' && e.role)).toEqual(expect.arrayContaining(['socialsekreterare', 'hso', 'avgiftshandlaggare']));
    r = complete(r, 'avsluta_ordinart_myndighet', 'socialsekreterare', at('2026-03-03'));
    r = complete(r, 'avsluta_ordinart_hso', 'hso', at('2026-03-04'));
    expect(r.state).toMatchObject({ status: 'closed', closeReason: 'Inflyttning genomförd' });
  });

  it('follows an external placement up twice a year with a fresh genomförandeplan, and logs every contact', () => {
    let r = ok(null, { type: 'start', caseRef: 'SO-2026-0011', routineId: 'boendekoordination', phase: 'extern' }, at('2026-01-07'));
    r = complete(r, 'sok_lagenhet', 'socialsekreterare', at('2026-01-07'), { placementType: 'permanent' });
    r = complete(r, 'tjansteskrivelse', 'socialsekreterare', at('2026-01-08'));
    r = complete(r, 'au_beslut', 'socialsekreterare', at('2026-01-20'), { auDecisionOn: '2026-01-20', auApproved: true });
    r = complete(r, 'registrera_lagenhet', 'socialsekreterare', at('2026-01-21'));
    r = complete(r, 'verkstallighet_extern', 'socialsekreterare', at('2026-02-02'), { moveInDate: '2026-02-02' });
    expect(r.state.timers['recur:uppfoljning']).toMatchObject({ action: { occurrence: '2026-08-02', due: '2026-08-03' } });
    r = ok(r.state, { type: 'timer', key: 'recur:uppfoljning' }, new Date('2026-07-03T05:00:00Z'));
    expect(r.state.steps['uppfoljning:2026-08-02']).toMatchObject({ status: 'open', due: '2026-08-03' });
    expect(r.state.timers['recur:uppfoljning']).toMatchObject({ action: { occurrence: '2027-02-02' } });
    expect(refused(r.state, { type: 'complete', stepKey: 'uppfoljning:2026-08-02', actor: actor('socialsekreterare'), data: { followUpOn: '2026-07-30', genomforandeplanRegistered: false } }, at('2026-07-30')).reason).toBe('rule_not_met');
    r = complete(r, 'uppfoljning:2026-08-02', 'socialsekreterare', at('2026-07-30'), { followUpOn: '2026-07-30', genomforandeplanRegistered: true });
    r = ok(r.state, { type: 'record', stepId: 'kontaktlogg', actor: actor('socialsekreterare'), data: { contactOn: '2026-07-30', contactWith: 'verksamheten' } }, at('2026-07-30'));
    r = ok(r.state, { type: 'record', stepId: 'kontaktlogg', actor: actor('socialsekreterare'), data: { contactOn: '2026-07-31', contactWith: 'enskilde' } }, at('2026-07-31'));
    expect(Object.keys(r.state.steps).filter((k) => k.startsWith('kontaktlogg'))).toEqual(['kontaktlogg:1', 'kontaktlogg:2']);
  });

  it('ends an external placement the AU did not grant', () => {
    let r = ok(null, { type: 'start', caseRef: 'SO-2026-0012', routineId: 'boendekoordination', phase: 'extern' }, at('2026-01-07'));
    r = complete(r, 'sok_lagenhet', 'socialsekreterare', at('2026-01-07'), { placementType: 'korttid' });
    r = complete(r, 'tjansteskrivelse', 'socialsekreterare', at('2026-01-08'));
    r = complete(r, 'au_beslut', 'socialsekreterare', at('2026-01-20'), { auDecisionOn: '2026-01-20', auApproved: false });
    expect(r.state.status).toBe('closed');
  });

  it('puts a change of home on the separate waiting list and starts the chosen placement process', () => {
    let r = ok(null, { type: 'start', caseRef: 'SO-2026-0013', routineId: 'boendekoordination', phase: 'byte' }, at('2026-04-01'));
    r = complete(r, 'vantelista', 'socialsekreterare', at('2026-04-01'), { reportedOn: '2026-04-01' });
    r = complete(r, 'bedomning_inriktning', 'socialsekreterare', at('2026-04-02'), { newInvestigation: true });
    expect(openSteps(r.state)).toEqual(['ny_utredning']);
    r = complete(r, 'ny_utredning', 'socialsekreterare', at('2026-05-02'));
    r = complete(r, 'erbjud_fran_vantelista', 'socialsekreterare', at('2026-05-04'), { process: 'extern' });
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'start_case', routineId: 'boendekoordination', phase: 'extern' }));
    expect(r.state.status).toBe('closed');
  });
});
