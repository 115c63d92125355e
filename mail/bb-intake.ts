import type { Db } from '../db/client.ts';
import { enqueue } from '../db/outbox.ts';
import { openCasesOfHolderByPnrHash } from '../db/case-lookup.ts';
import { keepQuarantinedBb, QUARANTINE_RAW } from '../db/quarantine.ts';
import { findByEmail } from '../db/people.ts';
import { swedishFieldName } from '../domain/behovsbedomning/messages.ts';
import type { Behovsbedomning } from '../domain/behovsbedomning/types.ts';
import type { BbSummary } from '../domain/engine/types.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { PnrCrypto } from '../lib/pnr-crypto.ts';
import type { MailExtras, TeamsNotification } from '../services/apply-effects.ts';
import type { CaseEngine, Origin } from '../services/case-service.ts';
import { loadCaseForUpdate } from '../db/cases.ts';
import { bbCopyFileName, renderBbCopyPdf } from './bb-copy-pdf.ts';
import { ExtractError } from './extract/limits.ts';
import type { BbSender, HandleResult, IncomingMail } from './handler.ts';
import type { MailAttachment } from '../db/outbox-mail.ts';
import { safeCaseRef } from './quarantine-reply.ts';
import { readBehovsbedomningFromMail, type BbIntake } from './read-behovsbedomning.ts';

export type BbIntakeDeps = {
  engine: CaseEngine;
  pnr: PnrCrypto;
  logger: Logger;
  /** When the Teams notice about an unknown reference is queued; defaults to the system clock. */
  clock?: Clock;
  /** Called with the reading times of every mail (the bench measures text extraction with it). */
  onTimings?: (timings: BbIntake['timings']) => void;
  /** Reads the BB in a mail; main.ts passes the worker-thread reader (bb-reader.ts). Default: in this thread. */
  readMail?: (raw: Buffer) => Promise<BbIntake>;
};

/** BB mails are accepted only from people registered as planeringsledare (DESIGN.md, Privacy). */
export async function findPlaneringsledare(tx: Db, email: string): Promise<BbSender | undefined> {
  const person = await findByEmail(tx, email.toLowerCase());
  return person?.roles.includes('planeringsledare') ? person : undefined;
}

export type ReadBbMail = { ok: true; intake: BbIntake; bb: Behovsbedomning } | { ok: false; result: HandleResult };

/** Finds and parses the BB in a mail; a mail that holds none is a not_a_bb quarantine. */
export async function readBbMail(mail: IncomingMail, logger: Logger, onTimings?: BbIntakeDeps['onTimings'], readMail: BbIntakeDeps['readMail'] = readBehovsbedomningFromMail): Promise<ReadBbMail> {
  let intake: BbIntake;
  try {
    intake = await readMail(mail.source);
  } catch (err) {
    if (!(err instanceof ExtractError)) throw err;
    logger.info({ code: 'BB_UNREADABLE', reason: err.code }, 'mail could not be read as a BB');
    return { ok: false, result: { outcome: 'quarantined', reason: 'not_a_bb', missingFields: [] } };
  }
  onTimings?.(intake.timings);
  const result = intake.result;
  if (!result.ok) {
    const fields = [...result.missing, ...result.invalid.filter((f) => !result.missing.includes(f))].map(swedishFieldName);
    return { ok: false, result: { outcome: 'quarantined', reason: 'not_a_bb', missingFields: fields } };
  }
  return { ok: true, intake, bb: result.bb };
}

export type BbTarget = {
  /** The case to act on; the BB's own reference unless a person links it to another (koppla). */
  caseRef: string;
  /** Lookup hash of the BB's personnummer: it must agree with the case's. */
  bbPnrHash: string;
  origin: Origin;
};

/**
 * Matches a parsed BB to its case and completes the BB step through the engine; the routine's
 * mail effects distribute it (the BB as received, the copy without price). Shared by the mailbox
 * and by a planeringsledare linking a quarantined mail, so both take the same checks.
 */
export async function actOnParsedBb(
  tx: Db,
  deps: { engine: CaseEngine; logger: Logger },
  read: { mail: IncomingMail; intake: BbIntake; bb: Behovsbedomning },
  target: BbTarget,
  sender: BbSender,
): Promise<HandleResult> {
  const { mail, intake, bb } = read;
  // The case is locked once, here, and the engine applies the event to that row. The attachments
  // are made ready meanwhile (a linked BB's copy is drawn again for its new reference).
  const [row, extras] = await Promise.all([loadCaseForUpdate(tx, target.caseRef), mailExtras(mail, intake, bb, target.caseRef)]);
  if (!row) return { outcome: 'quarantined', reason: 'unknown_case', caseRef: target.caseRef };
  // A reference typed wrong can point at another person's case: the personnummer must agree.
  if (row.pnrHash !== null && row.pnrHash !== target.bbPnrHash) {
    deps.logger.warn({ code: 'BB_PNR_MISMATCH', caseRef: target.caseRef }, 'BB personnummer does not match the case');
    return { outcome: 'quarantined', reason: 'case_mismatch', caseRef: target.caseRef };
  }
  // The step records who completed it by person id, so the timeline shows a name, not an address.
  const outcome = await deps.engine.applyToLocked(
    tx,
    row,
    () => Promise.resolve({ type: 'document', kind: 'behovsbedomning', bb: summaryOf(bb), from: sender.id }),
    target.origin,
    extras,
  );
  if (!outcome.ok) {
    deps.logger.info({ code: 'BB_NOT_EXPECTED', caseRef: target.caseRef, reason: outcome.code }, 'BB refused by the routine');
    return { outcome: 'quarantined', reason: 'not_expected', caseRef: target.caseRef, detail: outcome.message };
  }
  return { outcome: 'processed', reason: `bb_${bb.kind}`, caseRef: target.caseRef };
}

/**
 * Acts on a behovsbedömning mail inside the mailbox's ledger transaction: parse it, match its
 * case (by reference, checked against the stored personnummer hash), complete the BB step
 * through the engine, and let the routine's mail effects distribute it — the BB as received to
 * the roles, the copy without price to the socialsekreterare for Treserva. A reference that
 * matches no case is kept for a link from Teams and the sender is told there. A BB that names no
 * reference is matched by personnummer among the sender's own open cases waiting for a BB: one
 * such case takes it; none or several, and it is kept for a link the same way.
 */
export function createBbIntake(deps: BbIntakeDeps) {
  const clock = deps.clock ?? systemClock;
  return async (tx: Db, mail: IncomingMail, sender: BbSender): Promise<HandleResult> => {
    const read = await readBbMail(mail, deps.logger, deps.onTimings, deps.readMail);
    if (!read.ok) return read.result;
    const bb = read.bb;
    const bbPnrHash = deps.pnr.lookupHash(bb.client.personnummer);
    const origin: Origin = { actor: `mail:${mail.from ?? 'okänd'}`, action: 'bb.received', detail: { messageId: mail.messageId, kind: bb.kind, priceCheck: bb.priceCheck } };
    if (bb.caseRef === null) {
      const match = await matchByPersonnummer(tx, deps.engine, sender, bbPnrHash);
      if (match.caseRef !== undefined) {
        deps.logger.info({ code: 'BB_MATCHED_BY_PNR', caseRef: match.caseRef }, 'BB without a case reference matched by personnummer');
        return actOnParsedBb(tx, deps, { mail, intake: read.intake, bb }, { caseRef: match.caseRef, bbPnrHash, origin: { ...origin, detail: { ...origin.detail, matchedBy: 'personnummer' } } }, sender);
      }
      deps.logger.info({ code: 'BB_NO_REFERENCE', candidates: match.candidates.length }, 'BB without a case reference not matched; kept for a link');
      await keepForLink(tx, mail, sender, { namedCaseRef: null, candidates: match.candidates, pnrHash: bbPnrHash }, clock.now(), deps);
      return { outcome: 'quarantined', reason: 'no_case_reference', detail: noReferenceDetail(match.candidates) };
    }
    const result = await actOnParsedBb(tx, deps, { mail, intake: read.intake, bb }, { caseRef: bb.caseRef, bbPnrHash, origin }, sender);
    // Only an unknown reference is linkable: a personnummer mismatch must never be forced onto a case.
    if (result.outcome === 'quarantined' && result.reason === 'unknown_case') {
      await keepForLink(tx, mail, sender, { namedCaseRef: bb.caseRef, candidates: [], pnrHash: bbPnrHash }, clock.now(), deps);
    }
    return result;
  };
}

/**
 * The sender's open cases (as planeringsledare, the role that makes and sends the BB) with this
 * personnummer that wait for a BB. The sender is the authenticated From address (the listener
 * quarantined anything unauthenticated before this runs).
 */
async function matchByPersonnummer(tx: Db, engine: CaseEngine, sender: BbSender, pnrHash: string): Promise<{ caseRef?: string; candidates: string[] }> {
  const open = await openCasesOfHolderByPnrHash(tx, { pnrHash, personId: sender.id, role: 'planeringsledare' });
  const candidates = open.filter((row) => engine.awaitsDocument(row)).map((row) => row.caseRef);
  const [only] = candidates;
  return candidates.length === 1 && only !== undefined ? { caseRef: only, candidates } : { candidates };
}

/** Why a BB without a reference was not matched, for the sender's reply: case references only. */
function noReferenceDetail(candidates: readonly string[]): string {
  return candidates.length === 0
    ? 'Behovsbedömningen anger ingen ärendereferens, och personnumret finns inte på något av dina öppna ärenden som väntar på en behovsbedömning.'
    : `Behovsbedömningen anger ingen ärendereferens, och personnumret finns på flera av dina öppna ärenden som väntar på en behovsbedömning (${candidates.join(', ')}).`;
}

/** Keeps the mail for `koppla` and tells the sending planeringsledare in Teams, in the ledger transaction. */
async function keepForLink(
  tx: Db,
  mail: IncomingMail,
  sender: BbSender,
  bb: { namedCaseRef: string | null; candidates: readonly string[]; pnrHash: string },
  now: Date,
  deps: Pick<BbIntakeDeps, 'pnr' | 'logger'>,
): Promise<void> {
  const logger = deps.logger;
  if (mail.from === null) return;
  // The BB holds name, personnummer and health details: kept only sealed.
  const sealed = deps.pnr.sealBytes(mail.source, QUARANTINE_RAW);
  const id = await keepQuarantinedBb(tx, {
    ...mail.key,
    messageId: mail.messageId,
    sha256: mail.sha256,
    raw: sealed.bytes,
    rawKeyId: sealed.keyId,
    fromAddress: mail.from,
    senderPersonId: sender.id,
    // Empty: the BB named no reference (the listing says so).
    namedCaseRef: bb.namedCaseRef ?? '',
    pnrHash: bb.pnrHash,
    receivedAt: mail.receivedAt,
    quarantinedAt: now,
  });
  if (id === undefined) return;
  // The reference as written may be anything: only a reference-shaped one is repeated in chat.
  const named = bb.namedCaseRef === null ? undefined : safeCaseRef(bb.namedCaseRef);
  const message = bb.namedCaseRef === null ? noReferenceNotice(id, bb.candidates) : quarantineNotice(id, named);
  const payload: TeamsNotification = { kind: 'info', caseRef: named ?? (bb.namedCaseRef === null ? 'utan referens' : 'okänd referens'), stepKey: null, personId: sender.id, message };
  await enqueue(tx, { channel: 'teams', dedupeKey: `teams:quarantined-bb:${id}`, messageId: `quarantined-bb-${id}`, recipient: sender.id, caseRef: named ?? null, payload }, now);
  logger.info({ code: 'BB_KEPT_FOR_LINK', quarantineId: id, caseRef: named }, 'BB kept for a link from Teams');
}

export function quarantineNotice(id: number, namedCaseRef: string | undefined): string {
  const named = namedCaseRef ? `ärendereferensen ${namedCaseRef}, som inte finns` : 'en ärendereferens som inte finns';
  return [
    `Din behovsbedömning (mejl ${id}) angav ${named} i Boendelotsen. Mejlet ligger i karantän och har inte fördelats.`,
    linkHow(id),
  ].join('\n\n');
}

export function noReferenceNotice(id: number, candidates: readonly string[]): string {
  const why = candidates.length === 0
    ? 'och personnumret finns inte på något av dina öppna ärenden som väntar på en behovsbedömning'
    : `och personnumret finns på flera av dina öppna ärenden som väntar på en behovsbedömning: ${candidates.join(', ')}`;
  return [`Din behovsbedömning (mejl ${id}) angav ingen ärendereferens, ${why}. Mejlet ligger i karantän och har inte fördelats.`, linkHow(id)].join('\n\n');
}

function linkHow(id: number): string {
  return `Koppla det till rätt ärende genom att skriva **koppla ${id} REF**, t.ex. koppla ${id} FF-2026-0142. Skriv **koppla** för att se alla dina mejl i karantän.`;
}

function summaryOf(bb: Behovsbedomning): BbSummary {
  return {
    kind: bb.kind,
    assessedOn: bb.assessedOn,
    dailyPrice: bb.dailyPrice,
    statedDailyPrice: bb.statedDailyPrice,
    priceCheck: bb.priceCheck,
    exception: bb.exception,
  };
}

const EXTENSION: Record<string, string> = { 'text/plain': 'txt', 'text/html': 'html', 'application/pdf': 'pdf' };

async function mailExtras(mail: IncomingMail, intake: BbIntake, bb: Behovsbedomning, caseRef: string): Promise<MailExtras> {
  const part = intake.part;
  const original: MailAttachment[] = part
    ? [
        {
          // Our own file name: the sender's may carry the client's name.
          filename: `Behovsbedomning-${caseRef}.${EXTENSION[part.contentType.split(';')[0] ?? ''] ?? (part.filename?.split('.').pop() ?? 'bin')}`,
          contentType: part.contentType,
          contentBase64: part.content.toString('base64'),
        },
      ]
    : [];
  // A linked BB carries the reference it was linked to, not the one mistyped in the document.
  const copy = intake.copy?.caseRef === caseRef ? intake.copy.pdf : await renderBbCopyPdf({ ...bb, caseRef });
  return {
    attachments: {
      bb_med_pris: original,
      bb_utan_pris_treserva: [{ filename: bbCopyFileName(caseRef), contentType: 'application/pdf', contentBase64: copy.toString('base64') }],
    },
    // To and Cc of the original mail: those people already have the BB with price.
    alreadyReceived: new Set(mail.toAndCc),
  };
}
