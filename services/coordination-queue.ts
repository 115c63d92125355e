import { activeEntriesFor, insertQueueEntry, listActiveEntries, liveOfferForEntry, updateQueueEntry, type QueueEntryRow } from '../db/coordination.ts';
import { isLocalDate } from '../domain/calendar/local-date.ts';
import { orderQueue, PRIORITY_TEXT } from '../domain/coordination/queue.ts';
import type { QueueKind } from '../domain/coordination/types.ts';
import { createPeopleDirectory } from '../db/people.ts';
import { findCaseIdArea } from '../db/case-lookup.ts';
import { areasOf, inAreas } from '../domain/areas.ts';
import { mayAccessCase, noCaseMessage } from './case-access.ts';
import { audit, entryVisibleTo, inTransaction, refuse, requireRole, today, type CoordinationDeps, type CoordinationResult } from './coordination-support.ts';

/** Myndigheten: socialsekreterare / biståndshandläggare (DESIGN.md, Roles). */
export const MYNDIGHETEN = ['socialsekreterare'] as const;
/** Who may read the queues: myndigheten and those who match vacancies with it. */
export const QUEUE_READERS = ['socialsekreterare', 'planeringsledare', 'verksamhetschef'] as const;

export type QueueEntryInput = {
  caseRef: string;
  clientInitials: string;
  kind: QueueKind;
  decisionDate: string;
  legalBasis: string;
  housingKind: string;
  areaWishes: string[];
  priority: number;
  needsInvestigation: boolean;
  changeDocumentDate: string | null;
  personId: string;
};

export type QueueView = {
  position: number;
  caseRef: string;
  initials: string;
  kind: QueueKind;
  decisionDate: string;
  legalBasis: string;
  housingKind: string;
  areaWishes: string[];
  priority: string;
  declines: number;
  needsInvestigation: boolean;
  changeDocumentDate: string | null;
  /** "L12 erbjuden" when the person holds a reservation or an offer. */
  holding: string | null;
};

export async function addQueueEntry(deps: CoordinationDeps, input: QueueEntryInput): Promise<CoordinationResult> {
  return inTransaction(deps, async (tx, now) => {
    const actor = await requireRole(tx, input.personId, MYNDIGHETEN, 'ställa någon i kö');
    const area = await entryArea(tx, deps, actor, input);
    if (!isLocalDate(input.decisionDate)) refuse('invalid_input', 'Ange beslutsdatum som ÅÅÅÅ-MM-DD.');
    if (![1, 2, 3].includes(input.priority)) refuse('invalid_input', 'Prioritet är 1 (förtur), 2 (normal) eller 3 (låg).');
    if (!/^(\p{Lu}\.){1,4}$/u.test(input.clientInitials)) refuse('invalid_input', 'Initialer skrivs som E.B.');
    const entry = await insertQueueEntry(tx, {
      caseRef: input.caseRef, clientInitials: input.clientInitials, kind: input.kind, decisionDate: input.decisionDate, legalBasis: input.legalBasis,
      housingKind: input.housingKind, areaWishes: input.areaWishes, area, priority: input.priority, needsInvestigation: input.needsInvestigation,
      changeDocumentDate: input.changeDocumentDate, status: 'active', registeredBy: input.personId, registeredAt: now,
    });
    if (!entry) refuse('conflict', `${input.caseRef} står redan i ${listName(input.kind)}.`);
    await audit(tx, input.personId, 'queue.add', input.caseRef, { kind: input.kind, priority: input.priority, decisionDate: input.decisionDate }, now);
    return `${input.caseRef} ${input.clientInitials} står nu i ${listName(input.kind)} (beslut ${input.decisionDate}, prioritet ${PRIORITY_TEXT[input.priority] ?? input.priority}).`;
  });
}

/** The queue in offering order. Declines never move or remove anyone. An audited read. */
export async function listQueue(deps: CoordinationDeps, kind: QueueKind, personId: string): Promise<{ ok: true; entries: QueueView[] } | Exclude<CoordinationResult, { ok: true }>> {
  let reader: Awaited<ReturnType<typeof requireRole>> | undefined;
  const r = await inTransaction(deps, async (tx, now) => {
    reader = await requireRole(tx, personId, QUEUE_READERS, 'se kön');
    await audit(tx, personId, 'queue.list', null, { kind }, now);
    return '';
  });
  if (!r.ok || !reader) return r.ok ? { ok: true, entries: [] } : r;
  const seen = reader;
  const entries: QueueView[] = [];
  // The queue is per area: the reader sees the entries of their own areas only.
  const visible = (await listActiveEntries(deps.db, kind)).filter((e) => entryVisibleTo(seen, e));
  for (const [i, e] of orderQueue(toDomain(visible)).entries()) {
    const offer = await liveOfferForEntry(deps.db, e.id);
    entries.push({
      position: i + 1, caseRef: e.row.caseRef, initials: e.row.clientInitials, kind, decisionDate: e.decisionDate, legalBasis: e.row.legalBasis,
      housingKind: e.row.housingKind, areaWishes: e.row.areaWishes, priority: PRIORITY_TEXT[e.priority] ?? String(e.priority), declines: e.declines,
      needsInvestigation: e.needsInvestigation, changeDocumentDate: e.changeDocumentDate, holding: offer ? `L${offer.vacancyId} ${OFFER_TEXT[offer.status] ?? offer.status}` : null,
    });
  }
  return { ok: true, entries };
}

const OFFER_TEXT: Record<string, string> = { reserved: 'reserverad', offered: 'erbjuden', accepted: 'tackat ja' };

export function toDomain(rows: QueueEntryRow[]) {
  return rows.map((row) => ({
    id: row.id, kind: row.kind as QueueKind, status: row.status as 'active', priority: row.priority, decisionDate: row.decisionDate,
    declines: row.declines, needsInvestigation: row.needsInvestigation, changeDocumentDate: row.changeDocumentDate, row,
  }));
}

/** Only myndigheten ends a decision (routine 5 step 4); a live offer must be answered first. */
export async function endQueueEntry(deps: CoordinationDeps, p: { caseRef: string; reason: string; personId: string }): Promise<CoordinationResult> {
  return inTransaction(deps, async (tx, now) => {
    const actor = await requireRole(tx, p.personId, MYNDIGHETEN, 'avsluta ett beslut i kön');
    if (p.reason.trim().length < 2) refuse('invalid_input', 'Ange en orsak till att beslutet avslutas.');
    const [entry] = (await activeEntriesFor(tx, p.caseRef)).filter((e) => entryVisibleTo(actor, e));
    if (!entry) refuse('not_found', `${p.caseRef} står inte i någon kö.`);
    const offer = await liveOfferForEntry(tx, entry.id);
    if (offer) refuse('conflict', `${p.caseRef} har ett pågående erbjudande på L${offer.vacancyId}. Registrera svaret först.`);
    // Compare-and-set: a reservation made at the same moment sees the entry still active, or not at all.
    const ended = await updateQueueEntry(tx, entry.id, 'active', { status: 'ended', endedBy: p.personId, endReason: p.reason.trim() });
    if (!ended) refuse('conflict', `${p.caseRef} har just ändrats av någon annan. Kontrollera kön.`);
    await audit(tx, p.personId, 'queue.end', p.caseRef, { kind: entry.kind }, now);
    return `${p.caseRef} är borttagen ur ${listName(entry.kind as QueueKind)}: beslutet är avslutat.`;
  });
}

/** Routine 5 section 4: the new investigation is done; the change document's date comes with it. */
export async function investigationDone(deps: CoordinationDeps, p: { caseRef: string; documentDate: string; personId: string }): Promise<CoordinationResult> {
  return inTransaction(deps, async (tx, now) => {
    const actor = await requireRole(tx, p.personId, MYNDIGHETEN, 'registrera en utredning');
    const entry = (await activeEntriesFor(tx, p.caseRef)).find((e) => e.kind === 'change_of_home' && entryVisibleTo(actor, e));
    if (!entry) refuse('not_found', `${p.caseRef} står inte i väntelistan för byte av boende.`);
    const updated = await updateQueueEntry(tx, entry.id, 'active', { needsInvestigation: false, changeDocumentDate: p.documentDate });
    if (!updated) refuse('conflict', `${p.caseRef} har just ändrats av någon annan.`);
    await audit(tx, p.personId, 'queue.investigation_done', p.caseRef, { documentDate: p.documentDate }, now);
    return `Utredningen för ${p.caseRef} är registrerad (dokumentet daterat ${p.documentDate}). Personen kan nu erbjudas lägenhet.`;
  });
}

function listName(kind: QueueKind): string {
  return kind === 'decision' ? 'kön' : 'väntelistan för byte av boende';
}

/**
 * The entry's area: the case's when Boendelotsen has the case (and then only someone who may see
 * it can queue it), else the registering handläggare's (the one matching an area wish first).
 */
async function entryArea(tx: Parameters<Parameters<typeof inTransaction>[1]>[0], deps: CoordinationDeps, actor: { id: string; area: string | null }, input: QueueEntryInput): Promise<string> {
  const known = await findCaseIdArea(tx, input.caseRef);
  if (known) {
    if (!(await mayAccessCase(tx, createPeopleDirectory(tx), today(deps), known, actor.id))) refuse('not_found', noCaseMessage(input.caseRef));
    if (known.area) return known.area;
  }
  const areas = areasOf(actor.area);
  const area = areas.find((a) => input.areaWishes.some((w) => inAreas(w, [a]))) ?? areas[0];
  if (!area) refuse('forbidden', 'Du har inget område i personalkatalogen, så kön vet inte vilket område beslutet hör till. Be administratören lägga till ditt område.');
  return area;
}
