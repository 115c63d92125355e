import type { Db } from '../db/client.ts';
import {
  activeEntriesFor, countDecline, findQueueEntry, findUnit, findVacancy, insertOffer, liveOfferForEntry, liveOfferForVacancy, moveOffer,
  moveInternalMove, moveVacancy, openInternalMove, updateQueueEntry, type OfferRow, type UnitRow, type VacancyRow,
} from '../db/coordination.ts';
import { findPersonById } from '../db/people.ts';
import { isLocalDate } from '../domain/calendar/local-date.ts';
import { stockholmInstant } from '../domain/calendar/stockholm.ts';
import { DEFAULT_WORKING_TIME } from '../domain/calendar/working-time.ts';
import { offerAnswerDeadline, offerCountsFrom } from '../domain/coordination/answer-deadline.ts';
import { checkReservable } from '../domain/coordination/change-document.ts';
import { vacancyMove } from '../domain/coordination/vacancy-state.ts';
import type { VacancyAction, VacancyStatus } from '../domain/coordination/types.ts';
import { MYNDIGHETEN, toDomain } from './coordination-queue.ts';
import { stateSentence } from './coordination-state.ts';
import {
  entryVisibleTo, audit, caseRoleHolder, driveCase, holdersOfRole, inTransaction, mail, parseVacancyRef, refuse, requireRole, requireUnitManager, tell, today, unitManager, vacancyLabel, withStop,
  type CoordinationDeps, type CoordinationResult,
} from './coordination-support.ts';

const UNIT_MANAGER = ['enhetschef_utforare'] as const;
/** The morning of the answer deadline, inside working hours. */
const ANSWER_REMINDER_HOUR = 8;

export async function loadVacancy(tx: Db, ref: string): Promise<{ vacancy: VacancyRow; unit: UnitRow }> {
  const id = parseVacancyRef(ref);
  const vacancy = id === undefined ? undefined : await findVacancy(tx, id);
  if (!vacancy) refuse('not_found', `Lägenheten ${ref} finns inte. Skriv **lediga** för listan (L12 …).`);
  const unit = await findUnit(tx, vacancy.unitId);
  if (!unit) throw new Error(`vacancy ${vacancy.id} names unknown unit ${vacancy.unitId}`);
  return { vacancy, unit };
}

/**
 * Moves the vacancy by compare-and-set. Zero rows means someone else changed it first: the loser is
 * told what it is now, and nothing of theirs is written (the transaction rolls back).
 */
export async function moveOrRefuse(tx: Db, vacancy: VacancyRow, action: VacancyAction, now: Date): Promise<VacancyRow> {
  const move = vacancyMove(action);
  if (!move.from.includes(vacancy.status as VacancyStatus)) refuse('conflict', await stateSentence(tx, vacancy));
  const moved = await moveVacancy(tx, vacancy.id, move.from, move.to, now);
  if (moved) return moved;
  const fresh = await findVacancy(tx, vacancy.id);
  return refuse('conflict', `Någon hann före: ${fresh ? await stateSentence(tx, fresh) : 'lägenheten finns inte längre.'}`);
}

async function liveOfferOrRefuse(tx: Db, v: VacancyRow, expected: string): Promise<{ offer: OfferRow; caseRef: string; initials: string; entryId: number }> {
  const offer = await liveOfferForVacancy(tx, v.id);
  if (!offer || offer.status !== expected) refuse('conflict', await stateSentence(tx, v));
  const entry = await findQueueEntry(tx, offer.queueEntryId);
  if (!entry) throw new Error(`offer ${offer.id} names unknown queue entry`);
  return { offer, caseRef: entry.caseRef, initials: entry.clientInitials, entryId: entry.id };
}

/** Compare-and-set on the offer as well: two answers to one offer, one wins. */
async function moveOfferOrRefuse(tx: Db, offer: OfferRow, set: Parameters<typeof moveOffer>[3], now: Date): Promise<OfferRow> {
  const moved = await moveOffer(tx, offer.id, offer.status, set, now);
  return moved ?? refuse('conflict', `Erbjudandet på L${offer.vacancyId} har just ändrats av någon annan.`);
}

/** Routine 5 step 2: myndigheten reserves the vacancy for a person in the queue and tells the unit manager. */
export async function reserve(deps: CoordinationDeps, p: { vacancyRef: string; caseRef: string; personId: string }): Promise<CoordinationResult> {
  return inTransaction(deps, async (tx, now) => {
    const actor = await requireRole(tx, p.personId, MYNDIGHETEN, 'reservera lägenheter');
    const { vacancy, unit } = await loadVacancy(tx, p.vacancyRef);
    const [row] = (await activeEntriesFor(tx, p.caseRef)).filter((e) => entryVisibleTo(actor, e));
    if (!row) refuse('not_found', `${p.caseRef} står inte i kön. Ställ personen i kö först (**ställ i kö**).`);
    const [entry] = toDomain([row]);
    if (!entry) throw new Error('unreachable');
    const ok = checkReservable(entry, today(deps));
    if (!ok.ok) refuse('invalid_input', ok.message);
    const held = await liveOfferForEntry(tx, row.id);
    if (held) refuse('conflict', `${p.caseRef} har redan en reservation på L${held.vacancyId}.`);
    const moved = await moveOrRefuse(tx, vacancy, 'reserve', now);
    await insertOffer(tx, { vacancyId: vacancy.id, queueEntryId: row.id, status: 'reserved', reservedBy: p.personId, reservedAt: now, updatedAt: now });
    const label = vacancyLabel(vacancy);
    const manager = await unitManager(tx, unit, vacancy);
    await tell(tx, { personId: manager, ref: row.caseRef, key: `${vacancy.id}:v${moved.version}:reserved`, message: `${label} (${unit.name} lgh ${vacancy.apartment}) är reserverad för ${withStop(`${row.caseRef} ${row.clientInitials}`)} Kontakta personen, erbjud lägenheten och föreslå visning: **erbjud ${label}**.` }, now);
    await driveCase(tx, deps, { caseRef: row.caseRef, hook: 'vacancy.register', actorId: vacancy.registeredBy, data: { vacantFrom: vacancy.freeFrom, landlordInformed: true }, action: 'step.complete' });
    await driveCase(tx, deps, { caseRef: row.caseRef, hook: 'vacancy.reserve', actorId: p.personId, data: {}, action: 'step.complete' });
    await audit(tx, p.personId, 'vacancy.reserve', row.caseRef, { vacancy: label }, now);
    return `${label} är reserverad för ${withStop(`${row.caseRef} ${row.clientInitials}`)} Enhetschefen på ${unit.name} har fått besked.`;
  });
}

/** Routine 5 step 3: the unit manager offers, proposes a viewing and asks for an answer by the deadline. */
export async function offer(deps: CoordinationDeps, p: { vacancyRef: string; viewingOn: string | null; personId: string }): Promise<CoordinationResult & { deadline?: string; heldFor?: string }> {
  let deadline = '';
  let heldFor = '';
  const r = await inTransaction(deps, async (tx, now) => {
    await requireRole(tx, p.personId, UNIT_MANAGER, 'erbjuda lägenheter');
    const { vacancy, unit } = await loadVacancy(tx, p.vacancyRef);
    await requireUnitManager(tx, p.personId, unit, 'erbjuda lägenheter', today(deps));
    const live = await liveOfferOrRefuse(tx, vacancy, 'reserved');
    await moveOrRefuse(tx, vacancy, 'offer', now);
    if (p.viewingOn !== null && !isLocalDate(p.viewingOn)) refuse('invalid_input', 'Ange visningsdagen som ÅÅÅÅ-MM-DD, t.ex. **erbjud L12 visning 2026-03-05**.');
    const countsFrom = offerCountsFrom(now, deps.workingTime ?? DEFAULT_WORKING_TIME);
    deadline = offerAnswerDeadline(countsFrom, deps.offerAnswerWorkingDays, p.viewingOn);
    // The deadline's reminder is a time on the offer row, swept by services/coordination-deadlines.ts.
    const answerRemindAt = stockholmInstant(deadline, ANSWER_REMINDER_HOUR);
    await moveOfferOrRefuse(tx, live.offer, { status: 'offered', offeredBy: p.personId, viewingOn: p.viewingOn, answerDeadline: deadline, answerRemindAt }, now);
    const label = vacancyLabel(vacancy);
    heldFor = `${live.caseRef} ${live.initials}`;
    const viewing = p.viewingOn ? `, visning ${p.viewingOn}` : '';
    const fromViewing = deadline !== offerAnswerDeadline(countsFrom, deps.offerAnswerWorkingDays) ? ' (räknat från visningen)' : '';
    await tell(tx, { personId: live.offer.reservedBy, ref: live.caseRef, key: `${live.offer.id}:offered`, message: `${label} (${unit.name}) är erbjuden till ${withStop(`${live.caseRef} ${live.initials}${viewing}`)} Svar senast ${deadline}${fromViewing}.` }, now);
    await driveCase(tx, deps, { caseRef: live.caseRef, hook: 'vacancy.offer', actorId: p.personId, data: p.viewingOn ? { viewingOn: p.viewingOn } : {}, action: 'step.complete' });
    await audit(tx, p.personId, 'offer.offer', live.caseRef, { vacancy: label, deadline, viewingOn: p.viewingOn }, now);
    return `${label} är erbjuden till ${withStop(`${live.caseRef} ${live.initials}${viewing}`)} Svar senast ${deadline}${fromViewing}: **tackat ja ${label} DATUM** eller **tackat nej ${label} ORSAK**.`;
  });
  return r.ok ? { ...r, deadline, heldFor } : r;
}

/**
 * Routine 5 step 4: a decline is recorded with its reason; "vill stå kvar i kö" is always ticked,
 * so the queue entry is untouched but for the count. The vacancy is free for a new reservation.
 */
export async function decline(deps: CoordinationDeps, p: { vacancyRef: string; reason: string; personId: string }): Promise<CoordinationResult> {
  return inTransaction(deps, async (tx, now) => {
    await requireRole(tx, p.personId, UNIT_MANAGER, 'registrera svar på erbjudanden');
    if (p.reason.trim().length < 2) refuse('invalid_input', 'Ange den uppgivna orsaken till att personen tackade nej.');
    const { vacancy, unit } = await loadVacancy(tx, p.vacancyRef);
    await requireUnitManager(tx, p.personId, unit, 'registrera svar på erbjudanden', today(deps));
    const live = await liveOfferForVacancy(tx, vacancy.id);
    if (!live || (live.status !== 'offered' && live.status !== 'reserved')) refuse('conflict', await stateSentence(tx, vacancy));
    const { offer: o, caseRef, initials, entryId } = await liveOfferOrRefuse(tx, vacancy, live.status);
    await moveOrRefuse(tx, vacancy, 'decline', now);
    await moveOfferOrRefuse(tx, o, { status: 'declined', declineReason: p.reason.trim(), answerRemindAt: null }, now);
    await countDecline(tx, entryId);
    const label = vacancyLabel(vacancy);
    // The reason may be sensitive: it is stored, never repeated in Teams.
    await tell(tx, { personId: o.reservedBy, ref: caseRef, key: `${o.id}:declined`, message: `${caseRef} ${initials} tackade nej till ${label}. Personen står kvar i kön. ${label} är ledig för en ny reservation.` }, now);
    await driveCase(tx, deps, { caseRef, hook: 'vacancy.answer', actorId: p.personId, data: { answer: 'declined', declineReason: p.reason.trim(), staysInQueue: true }, action: 'step.complete' });
    await audit(tx, p.personId, 'offer.decline', caseRef, { vacancy: label }, now);
    return `Tackat nej registrerat för ${caseRef} ${initials} på ${label}. Personen står kvar i kön; myndigheten kan reservera ${label} för nästa person.`;
  });
}

/** Routine 5 step 5: "Boka", with the planned move-in date; Myndigheten is told. */
export async function accept(deps: CoordinationDeps, p: { vacancyRef: string; plannedMoveIn: string; personId: string }): Promise<CoordinationResult> {
  return inTransaction(deps, async (tx, now) => {
    await requireRole(tx, p.personId, UNIT_MANAGER, 'registrera svar på erbjudanden');
    if (!isLocalDate(p.plannedMoveIn)) refuse('invalid_input', 'Ange planerat inflyttningsdatum, t.ex. **tackat ja L12 2026-04-01**.');
    const { vacancy, unit } = await loadVacancy(tx, p.vacancyRef);
    await requireUnitManager(tx, p.personId, unit, 'registrera svar på erbjudanden', today(deps));
    const live = await liveOfferOrRefuse(tx, vacancy, 'offered');
    await moveOrRefuse(tx, vacancy, 'accept', now);
    await moveOfferOrRefuse(tx, live.offer, { status: 'accepted', plannedMoveIn: p.plannedMoveIn, answerRemindAt: null }, now);
    const label = vacancyLabel(vacancy);
    await tell(tx, { personId: live.offer.reservedBy, ref: live.caseRef, key: `${live.offer.id}:accepted`, message: `${live.caseRef} ${live.initials} har tackat ja till ${label} (${unit.name}); planerad inflyttning ${p.plannedMoveIn}. Skicka beställningarna och skriv **beställt ${label}**.` }, now);
    await driveCase(tx, deps, { caseRef: live.caseRef, hook: 'vacancy.answer', actorId: p.personId, data: { answer: 'accepted', plannedMoveIn: p.plannedMoveIn }, action: 'step.complete' });
    await audit(tx, p.personId, 'offer.accept', live.caseRef, { vacancy: label, plannedMoveIn: p.plannedMoveIn }, now);
    return `${label} är bokad för ${live.caseRef} ${live.initials}, planerad inflyttning ${p.plannedMoveIn}. Myndigheten har fått besked.`;
  });
}

/** Routine 5 step 6: orders to the unit; hemtjänst, dagverksamhet, växelboende, korttidsboende, HSO told. */
export async function ordersSent(deps: CoordinationDeps, p: { vacancyRef: string; personId: string }): Promise<CoordinationResult> {
  return inTransaction(deps, async (tx, now) => {
    await requireRole(tx, p.personId, MYNDIGHETEN, 'skicka beställningar');
    const { vacancy, unit } = await loadVacancy(tx, p.vacancyRef);
    const live = await liveOfferOrRefuse(tx, vacancy, 'accepted');
    if (live.offer.ordersSentAt) refuse('conflict', `Beställningarna för ${vacancyLabel(vacancy)} är redan registrerade som skickade.`);
    await moveOfferOrRefuse(tx, live.offer, { status: 'accepted', ordersSentAt: now }, now);
    const label = vacancyLabel(vacancy);
    const planned = live.offer.plannedMoveIn ?? '';
    await mail(tx, deps, { key: `offer:${live.offer.id}:care`, to: unit.careEmails, caseRef: live.caseRef, subject: `Planerad inflyttning ${live.caseRef}`, text: `${live.caseRef} ${live.initials} har tackat ja till en lägenhet på ${unit.name}. Planerad inflyttning: ${planned}.\nBeställningar och insatser i ordinärt boende avslutas när inflyttningen har ägt rum.` }, now);
    await tell(tx, { personId: await unitManager(tx, unit, vacancy), ref: live.caseRef, key: `${live.offer.id}:orders`, message: `Beställningarna för ${live.caseRef} ${live.initials} till ${label} är skickade. Verkställ från den dag personen faktiskt flyttar in: **inflyttad ${label} DATUM**.` }, now);
    await driveCase(tx, deps, { caseRef: live.caseRef, hook: 'vacancy.orders', actorId: p.personId, data: {}, action: 'step.complete' });
    await audit(tx, p.personId, 'offer.orders_sent', live.caseRef, { vacancy: label }, now);
    return `Beställningarna för ${live.caseRef} till ${label} är registrerade; hemtjänst, dagverksamhet, växelboende, korttidsboende och Hälsa och sjukvård informeras per e-post.`;
  });
}

/**
 * Routine 5 steps 7–8: the unit confirms the actual move-in; orders run from that day, ordinary-
 * housing orders close, and everyone involved is told. An approved internal move ends here too.
 */
export async function moveIn(deps: CoordinationDeps, p: { vacancyRef: string; date: string; personId: string }): Promise<CoordinationResult> {
  return inTransaction(deps, async (tx, now) => {
    await requireRole(tx, p.personId, UNIT_MANAGER, 'bekräfta inflyttning');
    if (!isLocalDate(p.date)) refuse('invalid_input', 'Ange det faktiska inflyttningsdatumet, t.ex. **inflyttad L12 2026-04-01**.');
    const { vacancy, unit } = await loadVacancy(tx, p.vacancyRef);
    await requireUnitManager(tx, p.personId, unit, 'bekräfta inflyttning', today(deps));
    const label = vacancyLabel(vacancy);
    if (vacancy.status === 'internal_move') refuse('conflict', `Den interna flytten till ${label} kan inte genomföras förrän planeringsledaren har svarat (och verksamhetschef beslutat, om planeringsledaren motsätter sig).`);
    // An actual move-in is a fact: it cannot lie after today (the planned day is "tackat ja"). Checked
    // after the state, so a step out of order is told what is missing first.
    const notInFuture = () => {
      if (p.date > today(deps)) refuse('invalid_input', `Inflyttningen kan inte registreras i förväg: ${p.date} har inte kommit än (i dag är ${today(deps)}). Skriv **inflyttad ${label} DATUM** den dag personen faktiskt har flyttat in.`);
    };
    const internal = await openInternalMove(tx, vacancy.id);
    if (internal?.status === 'approved') {
      notInFuture();
      await moveOrRefuse(tx, vacancy, 'move_in', now);
      await moveInternalMove(tx, internal.id, 'approved', { status: 'approved', moveDate: p.date }, now);
      await tellMany(tx, [internal.proposedBy, internal.planeringsledareId], internal.caseRef, `${internal.id}:moved`, `Den interna flytten för ${internal.caseRef} ${internal.clientInitials} till ${label} (${unit.name}) genomfördes ${p.date}.`, now);
      await driveCase(tx, deps, { caseRef: internal.caseRef, hook: 'internal_move.moved', actorId: p.personId, data: { moveDate: p.date }, action: 'step.complete' });
      await audit(tx, p.personId, 'internal_move.moved_in', internal.caseRef, { vacancy: label, date: p.date }, now);
      return `Intern flytt för ${internal.caseRef} ${internal.clientInitials} till ${label} genomförd ${p.date}.`;
    }
    const live = await liveOfferOrRefuse(tx, vacancy, 'accepted');
    if (!live.offer.ordersSentAt) refuse('conflict', `Myndigheten har inte registrerat att beställningarna för ${live.caseRef} är skickade. Inflyttningen verkställer beställningarna, så de behövs först: ${(await findPersonById(tx, live.offer.reservedBy))?.name ?? 'myndigheten'} skriver **beställt ${label}**.`);
    notInFuture();
    await moveOrRefuse(tx, vacancy, 'move_in', now);
    await moveOfferOrRefuse(tx, live.offer, { status: 'moved_in', actualMoveIn: p.date }, now);
    // The decision is executed: the person leaves the queue as placed (not ended, which is myndigheten's).
    await updateQueueEntry(tx, live.entryId, 'active', { status: 'placed' });
    const text = `${live.caseRef} ${live.initials} flyttade in i ${label} (${unit.name}) ${p.date}. Beställningarna verkställs från ${p.date}; beställningar och uppdrag relaterade till ordinärt boende avslutas.`;
    await tell(tx, { personId: live.offer.reservedBy, ref: live.caseRef, key: `${live.offer.id}:moved_in`, message: text }, now);
    await mail(tx, deps, { key: `offer:${live.offer.id}:moved-in`, to: unit.careEmails, caseRef: live.caseRef, subject: `Inflyttning genomförd ${live.caseRef}`, text }, now);
    const drove = (await driveCase(tx, deps, { caseRef: live.caseRef, hook: 'vacancy.move_in', actorId: p.personId, data: { moveInDate: p.date }, action: 'step.complete' })).driven;
    await tellFeeOfficers(tx, deps, { caseRef: live.caseRef, area: vacancy.area, key: `${live.offer.id}:moved_in`, message: text, skipCaseHolder: drove }, now);
    await audit(tx, p.personId, 'offer.moved_in', live.caseRef, { vacancy: label, date: p.date }, now);
    return `Inflyttning ${p.date} bekräftad för ${live.caseRef} ${live.initials} i ${label}. Myndigheten, Hälsa och sjukvård och avgiftshandläggaren har fått besked.`;
  });
}

/**
 * Step 7: "Enhetschefen informerar samtidigt Myndigheten, Hälsa och sjukvård och avgiftshandläggare".
 * The avgiftshandläggare of the vacancy's area are told; one who holds the role on the person's
 * routine 5 case was already told by the case step (skipCaseHolder), so is not told twice.
 */
async function tellFeeOfficers(tx: Db, deps: CoordinationDeps, p: { caseRef: string; area: string; key: string; message: string; skipCaseHolder: boolean }, now: Date): Promise<void> {
  const onCase = p.skipCaseHolder ? await caseRoleHolder(tx, p.caseRef, 'avgiftshandlaggare') : null;
  const officers = (await holdersOfRole(tx, 'avgiftshandlaggare', p.area)).filter((o) => o.id !== onCase);
  if (officers.length === 0 && !onCase) deps.logger.warn({ code: 'NO_AVGIFTSHANDLAGGARE', caseRef: p.caseRef }, 'no avgiftshandläggare to tell of the move-in');
  await tellMany(tx, officers.map((o) => o.id), p.caseRef, p.key, p.message, now);
}

export async function tellMany(tx: Db, ids: Array<string | null>, ref: string, key: string, message: string, now: Date): Promise<void> {
  for (const personId of new Set(ids.filter((i): i is string => i !== null))) await tell(tx, { personId, ref, key, message }, now);
}
