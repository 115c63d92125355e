import type { Condition, FieldSpec, MailSpec } from './types.ts';

/** Building blocks several routines share. They return plain data; definitions stay data. */

export const EXCEPTION: Condition = { fact: 'exception', equals: true };

/** The fields of a behovsbedömning the routine keeps (no name, no personnummer). */
export function bbFields(): FieldSpec[] {
  return [
    { name: 'bbKind', kind: 'choice', label: 'Slag av behovsbedömning', required: true, options: [
      { value: 'infor_kop', label: 'inför köp' },
      { value: 'uppfoljande', label: 'uppföljande' },
      { value: 'forandrade_behov', label: 'förändrade behov' },
    ] },
    { name: 'assessedOn', kind: 'document_date', label: 'Bedömningsdatum', required: true },
    { name: 'dailyPrice', kind: 'number', label: 'Beräknat dygnspris', required: true, min: 0 },
    { name: 'statedDailyPrice', kind: 'number', label: 'Angivet dygnspris', required: false, min: 0 },
    { name: 'priceCheck', kind: 'choice', label: 'Priskontroll', required: true, options: [
      { value: 'ok', label: 'stämmer' },
      { value: 'mismatch', label: 'stämmer inte' },
      { value: 'not_stated', label: 'pris ej angivet' },
    ] },
    { name: 'exception', kind: 'boolean', label: 'Undantag från prismodellen', required: true },
    { name: 'exceptionReason', kind: 'text', label: 'Skäl till undantag', required: false, requiredWhen: EXCEPTION, maxLength: 500 },
  ];
}

/**
 * "Planeringsledare skickar behovsbedömning med prisuppgift till LINK, socialsekreterare,
 * socialadministratör samt enhetschef" — and a copy without price for Treserva (DESIGN.md).
 */
export function bbDistribution(): MailSpec[] {
  const withPrice = ['bbKind', 'dailyPrice', 'statedDailyPrice', 'priceCheck', 'exception', 'assessedOn'];
  return [
    { to: 'link_samordnare', template: 'bb_med_pris', fields: withPrice },
    { to: 'socialsekreterare', template: 'bb_med_pris', fields: withPrice },
    { to: 'socialadministrator', template: 'bb_med_pris', fields: withPrice },
    { to: 'enhetschef_myndighet', template: 'bb_med_pris', fields: withPrice },
    { to: 'socialsekreterare', template: 'bb_utan_pris_treserva', fields: ['bbKind', 'assessedOn'] },
  ];
}

export function confirmedOn(label = 'Datum'): FieldSpec {
  return { name: 'doneOn', kind: 'document_date', label, required: false };
}
