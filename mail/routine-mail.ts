import type { FactValue } from '../domain/engine/types.ts';

/**
 * Mails a routine step sends (the provider told the price, administration told the contract …).
 * Subjects carry the case reference and what the mail is about, never a name or personnummer.
 */
const TITLES: Record<string, string> = {
  pris_till_leverantor: 'Pris enligt behovsbedömning',
  avtal_till_leverantor: 'Placeringsavtal med behovsbedömning',
  avtalsinfo_administration: 'Uppgifter från placeringsavtal för fakturaavstämning',
  avslut: 'Uppsägning/avslut av placering',
  bestallning: 'Beställning',
  hyresvard_ledig: 'Ledig lägenhet',
};

const LABELS: Record<string, string> = {
  caseRef: 'Ärende',
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

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderRoutineMail(caseRef: string, template: string, data: Record<string, FactValue>) {
  const title = templateTitle(template);
  const rows = Object.entries(data).filter(([k]) => k !== 'caseRef').map(([k, v]) => [LABELS[k] ?? k, show(v)] as const);
  const text = [
    'Hej,',
    '',
    `${title} för ärende ${caseRef}.`,
    '',
    ...rows.map(([label, value]) => `${label}: ${value}`),
    '',
    'Detta meddelande är skickat automatiskt av Boendelotsen.',
  ].join('\n');
  const html = [
    `<p>Hej,</p><p>${escapeHtml(title)} för ärende <b>${escapeHtml(caseRef)}</b>.</p>`,
    rows.length ? `<table>${rows.map(([l, v]) => `<tr><td>${escapeHtml(l)}</td><td>${escapeHtml(v)}</td></tr>`).join('')}</table>` : '',
    '<p><i>Detta meddelande är skickat automatiskt av Boendelotsen.</i></p>',
  ].join('');
  return { subject: `Boendelotsen: ${caseRef} – ${title}`, text, html };
}
