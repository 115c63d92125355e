import { describe, expect, it } from 'vitest';
import { changeDocumentRequired, checkChangeDocument, checkReservable } from '../../../domain/coordination/change-document.ts';
import { answerInternalMove, decideInternalMove, mayCarryOut } from '../../../domain/coordination/internal-move.ts';

describe('the internal-move gate (routine 3)', () => {
  it('opens when the planeringsledare agrees', () => {
    const r = answerInternalMove('awaiting_planeringsledare', 'tillstyrker');
    expect(r.ok && r.next).toBe('approved');
    expect(mayCarryOut('approved')).toBe(true);
  });

  it('stays shut until the planeringsledare has answered', () => {
    expect(mayCarryOut('awaiting_planeringsledare')).toBe(false);
    expect(decideInternalMove('awaiting_planeringsledare', 'genomfor').ok).toBe(false);
  });

  it('sends an opposition to the verksamhetschef, whose decision is final', () => {
    const opposed = answerInternalMove('awaiting_planeringsledare', 'motsatter');
    expect(opposed.ok && opposed.next).toBe('awaiting_verksamhetschef');
    expect(mayCarryOut('awaiting_verksamhetschef')).toBe(false);
    const no = decideInternalMove('awaiting_verksamhetschef', 'genomfor_ej');
    expect(no.ok && no.next).toBe('refused');
    expect(decideInternalMove('refused', 'genomfor').ok).toBe(false);
    const yes = decideInternalMove('awaiting_verksamhetschef', 'genomfor');
    expect(yes.ok && yes.next).toBe('approved');
  });
});

describe('the "Byte BmSS/uppdaterad utredning" document', () => {
  it('is not needed for a direct internal move, and needed otherwise', () => {
    expect(changeDocumentRequired({ direct: true })).toBe(false);
    expect(changeDocumentRequired({ direct: false })).toBe(true);
  });

  it('is accepted up to exactly one year old and refused a day later', () => {
    expect(checkChangeDocument('2025-03-10', '2026-03-10').ok).toBe(true);
    const old = checkChangeDocument('2025-03-10', '2026-03-11');
    expect(old.ok).toBe(false);
    expect(!old.ok && old.code).toBe('document_too_old');
  });

  it('uses calendar months: 29 February is valid through 28 February next year', () => {
    expect(checkChangeDocument('2024-02-29', '2025-02-28').ok).toBe(true);
    expect(checkChangeDocument('2024-02-29', '2025-03-01').ok).toBe(false);
  });

  it('refuses förmedling from the change-of-home list without a document or before the new investigation', () => {
    const base = { id: 1, kind: 'change_of_home' as const, status: 'active' as const, priority: 2, decisionDate: '2025-01-01', declines: 0 };
    expect(checkReservable({ ...base, needsInvestigation: false, changeDocumentDate: null }, '2026-03-01')).toMatchObject({ ok: false, code: 'document_missing' });
    expect(checkReservable({ ...base, needsInvestigation: true, changeDocumentDate: '2026-01-01' }, '2026-03-01')).toMatchObject({ ok: false, code: 'needs_investigation' });
    expect(checkReservable({ ...base, needsInvestigation: false, changeDocumentDate: '2026-01-01' }, '2026-03-01').ok).toBe(true);
    expect(checkReservable({ ...base, kind: 'decision', needsInvestigation: false, changeDocumentDate: null }, '2026-03-01').ok).toBe(true);
  });
});
