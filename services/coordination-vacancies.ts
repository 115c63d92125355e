import { insertVacancy, findUnit, listOpenVacancies, liveOffers, findQueueEntry, openInternalMove, listUnits } from '../db/coordination.ts';
import { isLocalDate } from '../domain/calendar/local-date.ts';
import { daysVacant } from '../domain/coordination/answer-deadline.ts';
import { VACANCY_STATUS_TEXT } from '../domain/coordination/vacancy-state.ts';
import { areasOf, inAreas } from '../domain/areas.ts';
import { findPersonById } from '../db/people.ts';
import { QUEUE_READERS } from './coordination-queue.ts';
import type { VacancyStatus } from '../domain/coordination/types.ts';
import { audit, inTransaction, mail, refuse, requireRole, requireUnitManager, today, vacancyLabel, type CoordinationDeps, type CoordinationResult } from './coordination-support.ts';

export type RegisterVacancyInput = {
  unit: string;
  apartment: string;
  housingKind: string;
  legalBasis: string;
  /** Defaults to the unit's area. */
  area?: string | undefined;
  freeFrom: string;
  personId: string;
};

/** One line of "lediga": no client data beyond the case reference and initials of a reservation. */
export type VacancyView = {
  ref: string;
  unit: string;
  apartment: string;
  housingKind: string;
  legalBasis: string;
  area: string;
  freeFrom: string;
  daysVacant: number;
  status: VacancyStatus;
  statusText: string;
  /** "FF-2026-0142 E.B." when reserved, offered or booked. */
  heldFor: string | null;
  answerDeadline: string | null;
};

/**
 * Routine 5 step 1: "När en lägenhet blir ledig registrerar ansvarig enhetschef detta omedelbart …
 * samt informerar Samhällsbyggnadsförvaltningen eller den hyresvärd som administrerar hyreskontrakt".
 */
export async function registerVacancy(deps: CoordinationDeps, input: RegisterVacancyInput): Promise<CoordinationResult & { ref?: string }> {
  let ref = '';
  const result = await inTransaction(deps, async (tx, now) => {
    await requireRole(tx, input.personId, ['enhetschef_utforare'], 'registrera lediga lägenheter');
    const unit = await findUnit(tx, input.unit);
    if (!unit) refuse('invalid_input', `Enheten ”${input.unit}” finns inte. Enheterna läses in med **npx boendelotsen units import FIL**.`);
    await requireUnitManager(tx, input.personId, unit, 'registrera lediga lägenheter', today(deps));
    if (!isLocalDate(input.freeFrom)) refuse('invalid_input', 'Ange ledig-från-datum som ÅÅÅÅ-MM-DD.');
    if (!input.apartment.trim() || !input.housingKind.trim() || !input.legalBasis.trim()) refuse('invalid_input', 'Ange lägenhet, boendeform och lagrum.');
    const vacancy = await insertVacancy(tx, {
      unitId: unit.id,
      apartment: input.apartment.trim(),
      housingKind: input.housingKind.trim(),
      legalBasis: input.legalBasis.trim(),
      area: input.area?.trim() || unit.area,
      freeFrom: input.freeFrom,
      status: 'vacant',
      registeredBy: input.personId,
      registeredAt: now,
      updatedAt: now,
    });
    if (!vacancy) refuse('conflict', `Lägenhet ${input.apartment} på ${unit.name} är redan registrerad som ledig.`);
    ref = vacancyLabel(vacancy);
    // The landlord is outside the municipality's domains, hence external; the mail carries no client data.
    await mail(tx, deps, {
      key: `vacancy:${vacancy.id}:landlord`,
      to: [unit.landlordEmail],
      external: true,
      subject: `Ledig lägenhet: ${unit.name}, lgh ${vacancy.apartment}`,
      text: `Lägenhet ${vacancy.apartment} på ${unit.name} (${vacancy.housingKind}) är ledig från ${vacancy.freeFrom}.\nVår referens: ${ref}.\n\nHälsningar\n${unit.name}, via Boendelotsen`,
    }, now);
    await audit(tx, input.personId, 'vacancy.register', null, { vacancy: ref, unit: unit.id, freeFrom: vacancy.freeFrom }, now);
    return `Ledig lägenhet ${ref} registrerad: ${unit.name} lgh ${vacancy.apartment}, ledig från ${vacancy.freeFrom}. Hyresvärden (${unit.landlordEmail}) informeras per e-post.`;
  });
  return result.ok ? { ...result, ref } : result;
}

/** "lediga": every vacancy not yet occupied, longest empty first, with days vacant. An audited read. */
export async function listVacancies(deps: CoordinationDeps, personId: string): Promise<VacancyView[]> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const day = today(deps);
    const viewer = await findPersonById(tx, personId);
    const viewerAreas = areasOf(viewer?.area ?? null);
    // Who a vacancy is held for (a case reference and initials) is shown to those who read the
    // queue in its area, and to the unit's own manager; everyone else sees only that it is held.
    const readsQueue = viewer?.roles.some((r) => (QUEUE_READERS as readonly string[]).includes(r)) ?? false;
    const units = await listUnits(tx);
    const unitNames = new Map(units.map((u) => [u.id, u.name]));
    const managesUnit = new Set(units.filter((u) => viewer && u.managerEmail?.toLowerCase() === viewer.email.toLowerCase()).map((u) => u.id));
    const offers = new Map((await liveOffers(tx)).map((o) => [o.vacancyId, o]));
    const views: VacancyView[] = [];
    for (const v of await listOpenVacancies(tx)) {
      // Vacancies are per area, as the queue is: another area's are not listed.
      if (!viewer || !(managesUnit.has(v.unitId) || inAreas(v.area, viewerAreas))) continue;
      const offer = offers.get(v.id);
      const entry = offer ? await findQueueEntry(tx, offer.queueEntryId) : undefined;
      const move = v.status === 'internal_move' || v.status === 'booked' ? await openInternalMove(tx, v.id) : undefined;
      const mayName = readsQueue || managesUnit.has(v.unitId);
      const held = !mayName ? null : entry ? `${entry.caseRef} ${entry.clientInitials}` : move ? `${move.caseRef} ${move.clientInitials} (intern flytt)` : null;
      const status = v.status as VacancyStatus;
      views.push({
        ref: vacancyLabel(v), unit: unitNames.get(v.unitId) ?? v.unitId, apartment: v.apartment, housingKind: v.housingKind, legalBasis: v.legalBasis,
        area: v.area, freeFrom: v.freeFrom, daysVacant: daysVacant(v.freeFrom, day), status, statusText: VACANCY_STATUS_TEXT[status] ?? v.status,
        heldFor: held, answerDeadline: offer?.answerDeadline ?? null,
      });
    }
    await audit(tx, personId, 'vacancy.list', null, { count: views.length }, now);
    return views;
  });
}
