/**
 * The worker thread that reads BB mails (MIME, document text, the BB parser), so a hostile or
 * broken mail costs this thread's time, never the event loop that serves Teams and /healthz.
 * A plain module: started by mail/bb-reader.ts from this file's own URL, as .ts under tsx or as
 * .js when built.
 */
import { parentPort } from 'node:worker_threads';
import { ExtractError } from './extract/limits.ts';
import { renderBbCopyPdf } from './bb-copy-pdf.ts';
import { readBehovsbedomningFromMail, type BbIntake } from './read-behovsbedomning.ts';

/**
 * Reads the mail and, for a BB, renders its copy without price here too: drawing a PDF takes
 * milliseconds of CPU that would otherwise be spent inside the mail's transaction.
 */
async function readWithCopy(raw: Buffer): Promise<BbIntake> {
  const intake = await readBehovsbedomningFromMail(raw);
  // A BB without a reference is matched later, by personnummer: its copy is drawn then.
  if (!intake.result.ok || intake.result.bb.caseRef === null) return intake;
  const bb = intake.result.bb;
  return { ...intake, copy: { caseRef: intake.result.bb.caseRef, pdf: await renderBbCopyPdf(bb) } };
}

export type ParseRequest = { id: number; raw: Uint8Array };
export type ParseReply =
  | { id: number; ok: true; intake: Awaited<ReturnType<typeof readBehovsbedomningFromMail>> }
  | { id: number; ok: false; extractError?: { code: ExtractError['code']; message: string }; message: string };

const port = parentPort;
if (port) {
  port.on('message', (req: ParseRequest) => {
    readWithCopy(Buffer.from(req.raw.buffer, req.raw.byteOffset, req.raw.byteLength)).then(
      (intake) => port.postMessage({ id: req.id, ok: true, intake } satisfies ParseReply),
      (err: unknown) =>
        port.postMessage({
          id: req.id,
          ok: false,
          message: err instanceof Error ? err.message : String(err),
          ...(err instanceof ExtractError ? { extractError: { code: err.code, message: err.message } } : {}),
        } satisfies ParseReply),
    );
  });
}
