import type { BbKind, Behovsbedomning } from '../domain/behovsbedomning/types.ts';
import { renderPdf } from '../lib/pdf.ts';

const BB_COPY_TITLE = 'KOPIA UTAN PRISUPPGIFTER – för Treserva';

const KIND_TEXT: Record<BbKind, string> = {
  infor_kop: 'Inför köp',
  uppfoljande: 'Uppföljande behovsbedömning',
  forandrade_behov: 'Förändrade behov',
};

// An exception reason is free text; if it quotes an amount it would leak the price.
const AMOUNT_OR_PRICE = /\d[\d\s\u00a0.,]*\s*(kr|kronor|sek|:-)(?!\p{L})|boendepris|dygnspris|barntillägg/iu;

/** Rows of the copy: every field except boendepris, barntillägg and dygnspris. Points stay. */
function rows(bb: Behovsbedomning): Array<[string, string]> {
  const exception = bb.exception === null
    ? 'Nej'
    : AMOUNT_OR_PRICE.test(bb.exception.reason) ? 'Ja (skälet finns i originalet)' : `Ja – ${bb.exception.reason}`;
  return [
    ['Typ av behovsbedömning', KIND_TEXT[bb.kind]],
    ['Ärendereferens', bb.caseRef ?? 'saknas i behovsbedömningen'],
    ['Namn', bb.client.name],
    ['Personnummer', `${bb.client.personnummer.slice(0, 8)}-${bb.client.personnummer.slice(8)}`],
    ['Insats', bb.legalBasis],
    ['Leverantör', bb.provider],
    ['Boende', bb.unit],
    ['Avtalsnummer', bb.agreementRef ?? '–'],
    ['Datum för bedömning', bb.assessedOn],
    ['Bedömning gjord av', bb.assessor],
    ['Summa BB-poäng', bb.points.toFixed(2).replace('.', ',')],
    ['Undantag från prismodellen', exception],
  ];
}

/** File name for the copy: the case reference only, never a name or personnummer. */
export function bbCopyFileName(caseRef: string): string {
  return `BB-kopia-utan-pris-${caseRef.replace(/[^A-Za-z0-9-]/g, '_')}.pdf`;
}

/**
 * The copy of the BB for the case system (routine 1, step 6: "behovsbedömning utan
 * prisuppgifter i Treserva"), generated from the parsed data rather than by blacking out the
 * original, so no price can survive in a hidden text layer.
 */
export function renderBbCopyPdf(bb: Behovsbedomning): Promise<Buffer> {
  const options = {
    size: 'A4',
    margin: 50,
    info: { Title: `Behovsbedömning ${bb.caseRef ?? ''} – kopia utan prisuppgifter`, Producer: 'Boendelotsen', Creator: 'Boendelotsen' },
  };
  return renderPdf(options, (doc) => {
    doc.font('Helvetica-Bold').fontSize(16).text(BB_COPY_TITLE);
    doc.moveDown(0.3).font('Helvetica').fontSize(10)
      .text('Detta är inte originalet. Kopian är skapad av Boendelotsen ur den inkomna behovsbedömningen.');
    doc.moveDown(1).font('Helvetica-Bold').fontSize(13).text('Behovsbedömning – ramavtal bostad med särskild service (BmSS)');
    doc.moveDown(0.5).fontSize(10);
    for (const [label, value] of rows(bb)) {
      const y = doc.y;
      doc.font('Helvetica-Bold').text(label, 50, y, { width: 170 });
      const labelBottom = doc.y;
      doc.font('Helvetica').text(value, 230, y, { width: 315 });
      doc.y = Math.max(doc.y, labelBottom) + 4;
    }
  });
}
