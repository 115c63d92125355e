import { describe, expect, it } from 'vitest';
import { actor, at, complete, ok, openSteps, refused, type Run } from './helpers.ts';

function start(phase: string): Run {
  return ok(null, { type: 'start', caseRef: 'FF-2026-0200', routineId: 'intern-flytt', phase }, at('2026-03-02'));
}

describe('intern flytt och byte av BmSS', () => {
  it('scenario 1: refuses the avstämning until adaptations of the unit have been tried', () => {
    const r = start('verksamheten');
    const x = refused(r.state, { type: 'complete', stepKey: 'avstamning', actor: actor('enhetschef_utforare'), data: { adaptationsTried: false, agreed: true } }, at('2026-03-02'));
    expect(x.reason).toBe('rule_not_met');
  });

  it('scenario 1: a direct internal move needs no document but is refused before the planeringsledare dialogue', () => {
    let r = start('verksamheten');
    r = complete(r, 'avstamning', 'enhetschef_utforare', at('2026-03-02'), { adaptationsTried: true, agreed: true });
    r = complete(r, 'inriktning', 'socialsekreterare', at('2026-03-03'), { vacancyInArea: true, otherAreaOrPurchase: false });
    expect(openSteps(r.state)).toEqual(['dialog_planeringsledare', 'intern_flytt']);
    expect(r.state.steps['bytesdokument']?.status).toBe('skipped');
    const early = refused(r.state, { type: 'complete', stepKey: 'intern_flytt', actor: actor('enhetschef_utforare'), data: { moveDate: '2026-04-01' } }, at('2026-03-04'));
    expect(early).toEqual({ reason: 'rule_not_met', message: 'Innan en intern flytt genomförs ska enhetschef ha en dialog med planeringsledare.' });
    r = complete(r, 'dialog_planeringsledare', 'planeringsledare', at('2026-03-05'), { planeringsledareStance: 'tillstyrker' });
    r = complete(r, 'intern_flytt', 'enhetschef_utforare', at('2026-03-06'), { moveDate: '2026-04-01' });
    expect(r.state).toMatchObject({ status: 'closed', closeReason: 'Intern flytt genomförd' });
  });

  it('sends the decision to verksamhetschef when planeringsledare opposes, and that decision is final', () => {
    let r = start('ledig_lagenhet');
    r = complete(r, 'ledig_lagenhet', 'enhetschef_utforare', at('2026-03-02'), { vacantFrom: '2026-04-01', candidateFound: true });
    r = complete(r, 'avstamning_vakans', 'enhetschef_utforare', at('2026-03-03'));
    r = complete(r, 'inriktning', 'socialsekreterare', at('2026-03-04'), { vacancyInArea: true, otherAreaOrPurchase: false });
    r = complete(r, 'dialog_planeringsledare', 'planeringsledare', at('2026-03-05'), { planeringsledareStance: 'motsatter' });
    expect(r.state.steps['beslut_verksamhetschef']).toMatchObject({ status: 'open', role: 'verksamhetschef' });
    expect(refused(r.state, { type: 'complete', stepKey: 'intern_flytt', actor: actor('enhetschef_utforare'), data: { moveDate: '2026-04-01' } }, at('2026-03-05')).reason).toBe('rule_not_met');
    const no = complete(r, 'beslut_verksamhetschef', 'verksamhetschef', at('2026-03-06'), { verksamhetschefDecision: 'genomfor_ej' });
    expect(no.state.status).toBe('closed');
    r = complete(r, 'beslut_verksamhetschef', 'verksamhetschef', at('2026-03-06'), { verksamhetschefDecision: 'genomfor' });
    r = complete(r, 'intern_flytt', 'enhetschef_utforare', at('2026-03-09'), { moveDate: '2026-04-01' });
    expect(r.state.status).toBe('closed');
  });

  it('scenario 2a: requires the change document and refuses förmedling when it is older than one year', () => {
    let r = start('enskilde_via_socialsekreterare');
    r = complete(r, 'onskemal_2a', 'socialsekreterare', at('2026-03-02'), { sameArea: false });
    r = complete(r, 'inriktning', 'socialsekreterare', at('2026-03-02'), { vacancyInArea: false, otherAreaOrPurchase: true });
    expect(openSteps(r.state)).toEqual(['bytesdokument']);
    r = complete(r, 'bytesdokument', 'socialsekreterare', at('2026-03-03'), { changeDocumentDate: '2026-03-03' });
    r = complete(r, 'aterkoppling', 'planeringsledare', at('2026-03-10'));
    const late = refused(r.state, { type: 'complete', stepKey: 'formedling', actor: actor('planeringsledare'), data: { formedlingDate: '2027-03-04' } }, at('2027-03-04'));
    expect(late.reason).toBe('rule_not_met');
    expect(late.message).toContain('äldre än ett år');
    r = complete(r, 'formedling', 'planeringsledare', at('2027-03-03'), { formedlingDate: '2027-03-03' });
    expect(r.state.closeReason).toBe('Förmedlad enligt förmedlingsrutinen');
  });

  it('scenario 2a: asks whether the unit manager was told when the wish concerns the same area', () => {
    const r = start('enskilde_via_socialsekreterare');
    expect(refused(r.state, { type: 'complete', stepKey: 'onskemal_2a', actor: actor('socialsekreterare'), data: { sameArea: true } }, at('2026-03-02')).reason).toBe('data_missing');
  });

  it('scenario 2b: the unit tells socialsekreterare, who contacts the person; a vacancy allows the direct move', () => {
    let r = start('enskilde_via_enhet');
    r = complete(r, 'onskemal_2b', 'enhetschef_utforare', at('2026-03-02'));
    r = complete(r, 'kontakt_2b', 'socialsekreterare', at('2026-03-03'));
    r = complete(r, 'inriktning', 'socialsekreterare', at('2026-03-03'), { vacancyInArea: true, otherAreaOrPurchase: false });
    expect(openSteps(r.state)).toEqual(['dialog_planeringsledare', 'intern_flytt']);
  });

  it('scenario 3: hands the vacancy to förmedling when no internal candidate is found', () => {
    let r = start('ledig_lagenhet');
    r = complete(r, 'ledig_lagenhet', 'enhetschef_utforare', at('2026-03-02'), { vacantFrom: '2026-04-01', candidateFound: false });
    r = complete(r, 'lamna_till_formedling', 'enhetschef_utforare', at('2026-03-02'));
    expect(r.state.closeReason).toBe('Lägenheten lämnad till förmedling');
  });
});
