import { escapeHtml } from '../lib/html.ts';
import type { FactValue } from '../domain/engine/types.ts';

/**
 * Mails a routine step sends (the provider told the price, administration told the contract …).
 * Subjects carry the case reference and what the mail is about, never a name or personnummer.
 */
const BB_KINDS: Record<string, string> = { infor_kop: 'inför köp', uppfoljande: 'uppföljande', forandrade_behov: 'förändrade behov' };

const TITLES: Record<string, string> = {
  bb_med_pris: 'Behovsbedömning med prisuppgift',
  bb_utan_pris_treserva: 'Behovsbedömning utan prisuppgifter för Treserva',
  pris_till_leverantor: 'Pris enligt behovsbedömning',
  avtal_till_leverantor: 'Placeringsavtal med behovsbedömning',
  avtalsinfo_administration: 'Uppgifter från placeringsavtal för fakturaavstämning',
  avslut: 'Uppsägning/avslut av placering',
  bestallning: 'Beställning',
  hyresvard_ledig: 'Ledig lägenhet',
};

const LABELS: Record<string, string> = {
  caseRef: 'Ärende',
  bbKind: 'Slag av behovsbedömning',
  assessedOn: 'Bedömningsdatum',
  statedDailyPrice: 'Angivet dygnspris (kr)',
  priceCheck: 'Priskontroll',
  exception: 'Undantag från prismodellen',
  moveInDate: 'Inflyttningsdatum',
  dailyPrice: 'Dygnspris (kr)',
  points: 'BB-poäng',
  contractStart: 'Avtalet gäller från',
  contractEnd: 'Avtalet gäller till',
  date: 'Datum',
  reason: 'Orsak',
  provider: 'Leverantör',
  unit: 'Enhet',
};

export function templateTitle(template: string): string {
  return TITLES[template] ?? template.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

function show(value: FactValue): string {
  if (value === null) return '–';
  if (typeof value === 'boolean') return value ? 'Ja' : 'Nej';
  if (typeof value === 'number') return value.toLocaleString('sv-SE', { maximumFractionDigits: 2 });
  return value;
}

const PRICE_CHECK: Record<string, string> = { ok: 'stämmer', mismatch: 'STÄMMER INTE – kontrollräkna', not_stated: 'dygnspris ej angivet' };

function showField(key: string, value: FactValue): string {
  if (key === 'bbKind' && typeof value === 'string') return BB_KINDS[value] ?? value;
  if (key === 'priceCheck' && typeof value === 'string') return PRICE_CHECK[value] ?? value;
  return show(value);
}

/** A BB mail's subject names the case and the kind of BB only (the issue's privacy rule). */
function subjectFor(caseRef: string, template: string, data: Record<string, FactValue>): string {
  const kind = typeof data.bbKind === 'string' ? BB_KINDS[data.bbKind] : undefined;
  if (template === 'bb_med_pris') return `Behovsbedömning ${kind ?? ''} ${caseRef}`.replace(/\s+/g, ' ');
  if (template === 'bb_utan_pris_treserva') return `Behovsbedömning ${kind ?? ''} ${caseRef} – kopia utan pris för Treserva`.replace(/\s+/g, ' ');
  return `Boendelotsen: ${caseRef} – ${templateTitle(template)}`;
}

export function renderRoutineMail(about: { caseRef: string; initials: string }, template: string, data: Record<string, FactValue>) {
  const { caseRef, initials } = about;
  const title = templateTitle(template);
  const rows = Object.entries(data).filter(([k]) => k !== 'caseRef').map(([k, v]) => [LABELS[k] ?? k, showField(k, v)] as const);
  const text = [
    'Hej,',
    '',
    `${title} för ärende ${caseRef} (${initials}).`,
    '',
    ...rows.map(([label, value]) => `${label}: ${value}`),
    '',
    'Detta meddelande är skickat automatiskt av Boendelotsen.',
  ].join('\n');
  const html = [
    `<p>Hej,</p><p>${escapeHtml(title)} för ärende <b>${escapeHtml(caseRef)}</b> (${escapeHtml(initials)}).</p>`,
    rows.length ? `<table>${rows.map(([l, v]) => `<tr><td>${escapeHtml(l)}</td><td>${escapeHtml(v)}</td></tr>`).join('')}</table>` : '',
    '<p><i>Detta meddelande är skickat automatiskt av Boendelotsen.</i></p>',
  ].join('');
  return { subject: subjectFor(caseRef, template, data), text, html };
}
