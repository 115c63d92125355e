import { insertInternalMove, moveInternalMove, openInternalMove } from '../db/coordination.ts';
import { isLocalDate } from '../domain/calendar/local-date.ts';
import { changeDocumentRequired, checkChangeDocument } from '../domain/coordination/change-document.ts';
import { answerInternalMove, decideInternalMove, type InternalMoveStatus, type PlaneringsledareAnswer, type VerksamhetschefDecision } from '../domain/coordination/internal-move.ts';
import { loadVacancy, moveOrRefuse, tellMany } from './coordination-offers.ts';
import { audit, driveCase, holdersOfRole, inTransaction, refuse, requireRole, tell, today, vacancyLabel, type CoordinationDeps, type CoordinationResult } from './coordination-support.ts';

export type ProposeInternalMoveInput = {
  vacancyRef: string;
  caseRef: string;
  clientInitials: string;
  /** A suitable vacancy within the area and no move to another area or a bought place. */
  direct: boolean;
  changeDocumentDate: string | null;
  personId: string;
};

/**
 * Routine 3, scenario 3: before the vacancy goes to förmedling the unit manager may propose an
 * internal move. The planeringsledare must answer first ("Dialog ska först ske med planeringsledare").
 */
export async function proposeInternalMove(deps: CoordinationDeps, p: ProposeInternalMoveInput): Promise<CoordinationResult> {
  return inTransaction(deps, async (tx, now) => {
    await requireRole(tx, p.personId, ['enhetschef_utforare'], 'föreslå en intern flytt');
    if (!/^(\p{Lu}\.){1,4}$/u.test(p.clientInitials)) refuse('invalid_input', 'Initialer skrivs som E.B.');
    if (p.changeDocumentDate !== null && !isLocalDate(p.changeDocumentDate)) refuse('invalid_input', 'Ange dokumentets datum som ÅÅÅÅ-MM-DD.');
    if (changeDocumentRequired({ direct: p.direct })) {
      const doc = checkChangeDocument(p.changeDocumentDate, today(deps));
      if (!doc.ok) refuse('invalid_input', `${doc.message} Bara en direkt intern flytt inom området görs utan dokumentet.`);
    }
    const { vacancy, unit } = await loadVacancy(tx, p.vacancyRef);
    const moved = await moveOrRefuse(tx, vacancy, 'propose_internal', now);
    const move = await insertInternalMove(tx, {
      vacancyId: vacancy.id, caseRef: p.caseRef, clientInitials: p.clientInitials, direct: p.direct, changeDocumentDate: p.changeDocumentDate,
      status: 'awaiting_planeringsledare', proposedBy: p.personId, createdAt: now, updatedAt: now,
    });
    const label = vacancyLabel(vacancy);
    for (const pl of await holdersOfRole(tx, 'planeringsledare', unit.area)) {
      await tell(tx, { personId: pl.id, ref: p.caseRef, key: `internal:${move.id}:v${moved.version}:asked`, message: `Enhetschefen på ${unit.name} föreslår intern flytt för ${p.caseRef} ${p.clientInitials} till ${label}. Ta ställning utifrån förvaltningens behov av platsen: **intern flytt svar ${label} tillstyrker** eller **motsätter**.` }, now);
    }
    await audit(tx, p.personId, 'internal_move.propose', p.caseRef, { vacancy: label, direct: p.direct }, now);
    return `Intern flytt för ${p.caseRef} ${p.clientInitials} till ${label} är föreslagen. Planeringsledaren tillfrågas; flytten kan inte genomföras innan hen har svarat.`;
  });
}

/** The planeringsledare's answer; an opposition goes to the verksamhetschef. */
export async function answerInternal(deps: CoordinationDeps, p: { vacancyRef: string; answer: PlaneringsledareAnswer; personId: string }): Promise<CoordinationResult> {
  return inTransaction(deps, async (tx, now) => {
    await requireRole(tx, p.personId, ['planeringsledare'], 'svara på en intern flytt');
    const { vacancy, unit } = await loadVacancy(tx, p.vacancyRef);
    const move = await openInternalMove(tx, vacancy.id);
    if (!move) refuse('not_found', `Ingen intern flytt är föreslagen för ${vacancyLabel(vacancy)}.`);
    const step = answerInternalMove(move.status as InternalMoveStatus, p.answer);
    if (!step.ok) refuse('conflict', step.message);
    // Compare-and-set: two planeringsledare answering at once, one answer counts.
    const updated = await moveInternalMove(tx, move.id, move.status, { status: step.next, planeringsledareAnswer: p.answer, planeringsledareId: p.personId }, now);
    if (!updated) refuse('conflict', 'Någon hann före: den interna flytten har redan fått svar.');
    const label = vacancyLabel(vacancy);
    if (step.next === 'approved') await moveOrRefuse(tx, vacancy, 'internal_approved', now);
    const text = step.next === 'approved'
      ? `Planeringsledaren tillstyrker den interna flytten för ${move.caseRef} ${move.clientInitials} till ${label}. Genomför den och bekräfta: **inflyttad ${label} DATUM**.`
      : `Planeringsledaren motsätter sig den interna flytten för ${move.caseRef} ${move.clientInitials} till ${label}. Verksamhetschef beslutar.`;
    await tell(tx, { personId: move.proposedBy, ref: move.caseRef, key: `internal:${move.id}:answer`, message: text }, now);
    if (step.next === 'awaiting_verksamhetschef') {
      for (const vc of await holdersOfRole(tx, 'verksamhetschef', unit.area)) {
        await tell(tx, { personId: vc.id, ref: move.caseRef, key: `internal:${move.id}:decide`, message: `Planeringsledaren motsätter sig en intern flytt för ${move.caseRef} ${move.clientInitials} till ${label} (${unit.name}). Besluta: **intern flytt beslut ${label} genomför** eller **genomför ej**.` }, now);
      }
    }
    await driveCase(tx, deps, { caseRef: move.caseRef, hook: 'internal_move.dialog', actorId: p.personId, data: { planeringsledareStance: p.answer }, action: 'step.complete' });
    await audit(tx, p.personId, 'internal_move.answer', move.caseRef, { vacancy: label, answer: p.answer }, now);
    return step.next === 'approved' ? `Du tillstyrker den interna flytten till ${label}. Enhetschefen har fått besked.` : `Du motsätter dig den interna flytten till ${label}. Verksamhetschef beslutar.`;
  });
}

/** The verksamhetschef's decision is final; a refused move returns the vacancy to förmedling. */
export async function decideInternal(deps: CoordinationDeps, p: { vacancyRef: string; decision: VerksamhetschefDecision; personId: string }): Promise<CoordinationResult> {
  return inTransaction(deps, async (tx, now) => {
    await requireRole(tx, p.personId, ['verksamhetschef'], 'besluta om en intern flytt');
    const { vacancy } = await loadVacancy(tx, p.vacancyRef);
    const move = await openInternalMove(tx, vacancy.id);
    if (!move) refuse('not_found', `Ingen intern flytt väntar på beslut för ${vacancyLabel(vacancy)}.`);
    const step = decideInternalMove(move.status as InternalMoveStatus, p.decision);
    if (!step.ok) refuse('conflict', step.message);
    const updated = await moveInternalMove(tx, move.id, move.status, { status: step.next, verksamhetschefDecision: p.decision, verksamhetschefId: p.personId }, now);
    if (!updated) refuse('conflict', 'Någon hann före: den interna flytten är redan avgjord.');
    const label = vacancyLabel(vacancy);
    await moveOrRefuse(tx, vacancy, step.next === 'approved' ? 'internal_approved' : 'internal_refused', now);
    const text = step.next === 'approved'
      ? `Verksamhetschef har beslutat att den interna flytten för ${move.caseRef} ${move.clientInitials} till ${label} genomförs.`
      : `Verksamhetschef har beslutat att den interna flytten för ${move.caseRef} ${move.clientInitials} till ${label} inte genomförs. ${label} går till förmedling.`;
    await tellMany(tx, [move.proposedBy, move.planeringsledareId], move.caseRef, `internal:${move.id}:decided`, text, now);
    await driveCase(tx, deps, { caseRef: move.caseRef, hook: 'internal_move.decision', actorId: p.personId, data: { verksamhetschefDecision: p.decision }, action: 'step.complete' });
    await audit(tx, p.personId, 'internal_move.decide', move.caseRef, { vacancy: label, decision: p.decision }, now);
    return text;
  });
}
