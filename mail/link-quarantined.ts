import { appendAudit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { findQuarantinedBb, listWaitingFor, markLinked, QUARANTINE_RAW } from '../db/quarantine.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { CaseEngine } from '../services/case-service.ts';
import { actOnParsedBb, readBbMail } from './bb-intake.ts';
import { readIncomingMail, type HandleResult } from './handler.ts';

export type LinkDeps = { db: Db; engine: CaseEngine; logger: Logger; clock: Clock };
export type LinkPerson = { id: string; roles: readonly string[] };
export type LinkResult = { ok: true; caseRef: string; message: string } | { ok: false; message: string };

/** A refusal found inside the transaction: thrown to roll back the claim, then answered. */
class LinkRefused extends Error {
  constructor(readonly reason: string, readonly userMessage: string) {
    super(reason);
  }
}

const NOT_PLANERINGSLEDARE = 'Bara planeringsledare kan koppla mejl i karantän till ett ärende.';

/** The person's own BB mails still waiting for a link: id, date, the reference they named. */
export async function listLinkable(db: Db, person: LinkPerson) {
  if (!person.roles.includes('planeringsledare')) return { ok: false as const, message: NOT_PLANERINGSLEDARE };
  return { ok: true as const, mails: await listWaitingFor(db, person.id) };
}

/**
 * Links a BB quarantined for an unknown reference to case `caseRef`  in one
 * transaction: the same reading and personnummer check as the mailbox, the document event
 * through the engine with the same attachments, and the row marked linked. Only the
 * planeringsledare who sent the mail may link it: they made the BB and know its case, and
 * nobody else sees a list of other people's quarantined mails.
 */
export async function linkQuarantinedBb(deps: LinkDeps, params: { id: number; caseRef: string; person: LinkPerson }): Promise<LinkResult> {
  const { id, person } = params;
  const caseRef = params.caseRef.toUpperCase();
  try {
    return await deps.db.transaction(async (tx) => {
      if (!person.roles.includes('planeringsledare')) throw new LinkRefused('not_planeringsledare', NOT_PLANERINGSLEDARE);
      const row = await findQuarantinedBb(tx, id);
      if (!row || row.senderPersonId !== person.id) {
        throw new LinkRefused('not_found', `Mejl ${id} finns inte bland dina mejl i karantän. Skriv **koppla** för att se dem.`);
      }
      // Two clicks, or two instances: only the update that still finds 'waiting' links the mail.
      if (!(await markLinked(tx, { id, caseRef, personId: person.id, now: deps.clock.now() }))) {
        const fresh = await findQuarantinedBb(tx, id);
        throw new LinkRefused('already_linked', `Mejl ${id} är redan kopplat${fresh?.linkedCaseRef ? ` till ärendet ${fresh.linkedCaseRef}` : ''}.`);
      }
      const raw = row.rawKeyId === null ? row.raw : deps.engine.pnr.openBytes({ keyId: row.rawKeyId, bytes: row.raw }, QUARANTINE_RAW);
      const mail = await readIncomingMail(raw, { key: { mailbox: row.mailbox, uidValidity: row.uidValidity, uid: row.uid }, sizeBytes: raw.length, receivedAt: row.receivedAt });
      const read = await readBbMail(mail, deps.logger);
      if (!read.ok) throw new LinkRefused('not_a_bb', `Mejl ${id} går inte att läsa som en behovsbedömning.`);
      const result = await actOnParsedBb(tx, deps, { mail, intake: read.intake, bb: read.bb }, {
        caseRef,
        bbPnrHash: row.pnrHash,
        origin: { actor: person.id, action: 'bb.linked', detail: { quarantineId: id, messageId: row.messageId, namedCaseRef: row.namedCaseRef, kind: read.bb.kind, priceCheck: read.bb.priceCheck } },
      }, person);
      if (result.outcome !== 'processed') throw new LinkRefused(result.reason ?? 'refused', refusalText(id, caseRef, result));
      return { ok: true, caseRef, message: `✅ Mejl ${id} är kopplat till ${caseRef}. Behovsbedömningen är registrerad och fördelas till rollerna på ärendet.` } as const;
    });
  } catch (err) {
    if (!(err instanceof LinkRefused)) throw err;
    // The refusal rolled everything back; it is still an action on case data, so it is audited.
    await deps.db.transaction((tx) => appendAudit(tx, { actor: person.id, action: 'bb.linked.refused', caseRef, detail: { quarantineId: id, reason: err.reason } }, deps.clock.now()));
    deps.logger.info({ code: 'BB_LINK_REFUSED', quarantineId: id, caseRef, reason: err.reason }, 'link of a quarantined BB refused');
    return { ok: false, message: err.userMessage };
  }
}

function refusalText(id: number, caseRef: string, result: HandleResult): string {
  if (result.outcome !== 'quarantined') return `Mejl ${id} kunde inte kopplas till ${caseRef}.`;
  switch (result.reason) {
    case 'unknown_case':
      return `Ärendet ${caseRef} finns inte i Boendelotsen. Kontrollera referensen.`;
    case 'case_mismatch':
      return `Personnumret i behovsbedömningen (mejl ${id}) stämmer inte med ärendet ${caseRef}. Mejlet har inte kopplats.`;
    default:
      return `Mejl ${id} kunde inte kopplas till ${caseRef}: ${result.detail ?? 'ärendet väntar inte på en behovsbedömning just nu.'}`;
  }
}
