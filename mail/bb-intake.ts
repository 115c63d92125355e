import { simpleParser } from 'mailparser';
import type { Db } from '../db/client.ts';
import { findByEmail } from '../db/people.ts';
import { swedishFieldName } from '../domain/behovsbedomning/messages.ts';
import type { Behovsbedomning } from '../domain/behovsbedomning/types.ts';
import type { BbSummary } from '../domain/engine/types.ts';
import type { Logger } from '../lib/logger.ts';
import type { PnrCrypto } from '../lib/pnr-crypto.ts';
import type { MailExtras } from '../services/apply-effects.ts';
import type { CaseEngine } from '../services/case-service.ts';
import { loadCase } from '../services/case-store.ts';
import { bbCopyFileName, renderBbCopyPdf } from './bb-copy-pdf.ts';
import { ExtractError } from './extract/limits.ts';
import type { HandleResult, IncomingMail } from './handler.ts';
import type { MailAttachment } from './outbox-mail.ts';
import { readBehovsbedomningFromMail, type BbIntake } from './read-behovsbedomning.ts';

export type BbIntakeDeps = { engine: CaseEngine; pnr: PnrCrypto; logger: Logger };

/** BB mails are accepted only from people registered as planeringsledare (DESIGN.md, Privacy). */
export async function isPlaneringsledare(tx: Db, email: string): Promise<boolean> {
  const person = await findByEmail(tx, email.toLowerCase());
  return person?.roles.includes('planeringsledare') ?? false;
}

/**
 * Acts on a behovsbedömning mail inside the mailbox's ledger transaction: parse it, match its
 * case (by reference, checked against the stored personnummer hash), complete the BB step
 * through the engine, and let the routine's mail effects distribute it — the BB as received to
 * the roles, the copy without price to the socialsekreterare for Treserva.
 */
export function createBbIntake(deps: BbIntakeDeps) {
  return async (tx: Db, mail: IncomingMail): Promise<HandleResult> => {
    let intake: BbIntake;
    try {
      intake = await readBehovsbedomningFromMail(mail.source);
    } catch (err) {
      if (!(err instanceof ExtractError)) throw err;
      deps.logger.info({ code: 'BB_UNREADABLE', reason: err.code }, 'mail could not be read as a BB');
      return { outcome: 'quarantined', reason: 'not_a_bb', missingFields: [] };
    }
    const result = intake.result;
    if (!result.ok) {
      const fields = [...result.missing, ...result.invalid.filter((f) => !result.missing.includes(f))].map(swedishFieldName);
      return { outcome: 'quarantined', reason: 'not_a_bb', missingFields: fields };
    }
    const bb = result.bb;
    const row = await loadCase(tx, bb.caseRef);
    if (!row) return { outcome: 'quarantined', reason: 'unknown_case', caseRef: bb.caseRef };
    // A reference typed wrong can point at another person's case: the personnummer must agree.
    if (row.pnrHash !== null && row.pnrHash !== deps.pnr.lookupHash(bb.client.personnummer)) {
      deps.logger.warn({ code: 'BB_PNR_MISMATCH', caseRef: bb.caseRef }, 'BB personnummer does not match the case');
      return { outcome: 'quarantined', reason: 'case_mismatch', caseRef: bb.caseRef };
    }
    const extras = await mailExtras(mail, intake, bb);
    const outcome = await deps.engine.applyIn(
      tx,
      bb.caseRef,
      () => Promise.resolve({ type: 'document', kind: 'behovsbedomning', bb: summaryOf(bb), from: mail.from ?? 'e-post' }),
      { actor: `mail:${mail.from ?? 'okänd'}`, action: 'bb.received', detail: { messageId: mail.messageId, kind: bb.kind, priceCheck: bb.priceCheck } },
      extras,
    );
    if (!outcome.ok) {
      deps.logger.info({ code: 'BB_NOT_EXPECTED', caseRef: bb.caseRef, reason: outcome.code }, 'BB refused by the routine');
      return { outcome: 'quarantined', reason: 'not_expected', caseRef: bb.caseRef, detail: outcome.message };
    }
    return { outcome: 'processed', reason: `bb_${bb.kind}`, caseRef: bb.caseRef };
  };
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

async function mailExtras(mail: IncomingMail, intake: BbIntake, bb: Behovsbedomning): Promise<MailExtras> {
  const part = intake.part;
  const original: MailAttachment[] = part
    ? [
        {
          // Our own file name: the sender's may carry the client's name.
          filename: `Behovsbedomning-${bb.caseRef}.${EXTENSION[part.contentType.split(';')[0] ?? ''] ?? (part.filename?.split('.').pop() ?? 'bin')}`,
          contentType: part.contentType,
          contentBase64: part.content.toString('base64'),
        },
      ]
    : [];
  const copy = await renderBbCopyPdf(bb);
  return {
    attachments: {
      bb_med_pris: original,
      bb_utan_pris_treserva: [{ filename: bbCopyFileName(bb.caseRef), contentType: 'application/pdf', contentBase64: copy.toString('base64') }],
    },
    alreadyReceived: await originalRecipients(mail.source),
  };
}

/** To and Cc of the original mail: those people already have the BB with price. */
async function originalRecipients(source: Buffer): Promise<Set<string>> {
  const end = source.indexOf('\r\n\r\n');
  const header = end >= 0 ? source.subarray(0, end + 4) : source.subarray(0, Math.min(source.length, 64 * 1024));
  const parsed = await simpleParser(header, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  const list = [parsed.to, parsed.cc].flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? a : [a]));
  return new Set(list.flatMap((a) => a.value.map((v) => v.address?.toLowerCase() ?? '')).filter(Boolean));
}
