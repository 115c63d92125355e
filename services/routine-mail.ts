import { escapeHtml } from '../lib/html.ts';
import { isLocalDate } from '../domain/calendar/local-date.ts';
import type { FactValue } from '../domain/engine/types.ts';

/**
 * The one catalogue of the mails routine steps send (the provider told the price, administration
 * told the contract …). Routine definitions name a template; the loader refuses a routine that
 * names one missing here or sends a fact without a Swedish label. Subjects carry the case
 * reference and what the mail is about, never a name or personnummer.
 */
export type RoutineMailTemplate = {
  /** Swedish; the subject is "Boendelotsen: REF – title" unless the template sets its own. */
  title: string;
  /** Mails that must never show a price (the copy for the case system, provider notices). */
  priceFree?: boolean;
};

export const ROUTINE_MAIL_TEMPLATES: Readonly<Record<string, RoutineMailTemplate>> = {
  bb_med_pris: { title: 'Behovsbedömning med prisuppgift' },
  bb_utan_pris_treserva: { title: 'Behovsbedömning utan prisuppgifter för Treserva', priceFree: true },
  pris_och_uppfoljande_bb: { title: 'Pris enligt behovsbedömningen och uppföljande behovsbedömning' },
  avtal_till_administration: { title: 'Uppgifter från placeringsavtal för fakturaavstämning' },
  begaran_ny_bb_mottagen: { title: 'Begäran om ny behovsbedömning har kommit in', priceFree: true },
  avtal_och_uppdrag: { title: 'Avtal och uppdrag till utföraren', priceFree: true },
  inflyttning_planerad: { title: 'Planerad inflyttning', priceFree: true },
  bestallning_boendestod: { title: 'Beställning av boendestöd', priceFree: true },
  genomforandeplan_mottagen: { title: 'Genomförandeplan mottagen', priceFree: true },
  avslut_boendestod: { title: 'Avslut av boendestöd', priceFree: true },
};

/** Facts that are prices: written "2 450,50 kr", and never in a price-free mail. */
export const PRICE_FACTS: ReadonlySet<string> = new Set(['dailyPrice', 'statedDailyPrice', 'negotiatedDailyPrice', 'controlledDailyPrice', 'proposedDailyPrice']);

/** A Swedish label for every fact a routine mail may carry. */
export const MAIL_FACT_LABELS: Readonly<Record<string, string>> = {
  caseRef: 'Ärende',
  bbKind: 'Slag av behovsbedömning',
  assessedOn: 'Bedömningsdatum',
  dailyPrice: 'Dygnspris enligt behovsbedömningen',
  statedDailyPrice: 'Angivet dygnspris',
  negotiatedDailyPrice: 'Överenskommet dygnspris (undantag från prismodellen)',
  controlledDailyPrice: 'Kontrollräknat dygnspris',
  proposedDailyPrice: 'Föreslaget dygnspris',
  priceCheck: 'Priskontroll',
  exception: 'Undantag från prismodellen',
  moveInDate: 'Inflyttningsdatum',
  plannedMoveIn: 'Planerad inflyttning',
  contractFrom: 'Avtalet gäller från',
  contractUntil: 'Avtalet gäller till',
  changeRequestedOn: 'Datum för begäran',
  orderSentOn: 'Beställningen skickad',
  gpReceivedOn: 'Genomförandeplanen inkom',
  date: 'Datum',
  reason: 'Orsak',
  provider: 'Utförare',
  unit: 'Enhet',
};

const BB_KINDS: Record<string, string> = { infor_kop: 'inför köp', uppfoljande: 'uppföljande', forandrade_behov: 'förändrade behov' };
const PRICE_CHECK: Record<string, string> = { ok: 'stämmer', mismatch: 'STÄMMER INTE – kontrollräkna', not_stated: 'dygnspris ej angivet' };
const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

function templateTitle(template: string): string {
  return ROUTINE_MAIL_TEMPLATES[template]?.title ?? 'Meddelande från Boendelotsen';
}

/** "2 450,50 kr": Swedish grouping with a non-breaking space, öre always shown when there are any. */
export function formatPrice(value: number): string {
  const whole = Number.isInteger(value);
  return `${value.toLocaleString('sv-SE', { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 })} kr`;
}

/** "1 mars 2026". */
function formatSwedishDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${d} ${MONTHS[(m ?? 1) - 1] ?? ''} ${y}`;
}

function showField(key: string, value: FactValue): string {
  if (value === null) return 'uppgift saknas';
  if (typeof value === 'boolean') return value ? 'ja' : 'nej';
  if (typeof value === 'number') return PRICE_FACTS.has(key) ? formatPrice(value) : value.toLocaleString('sv-SE', { maximumFractionDigits: 2 });
  if (key === 'bbKind') return BB_KINDS[value] ?? value;
  if (key === 'priceCheck') return PRICE_CHECK[value] ?? value;
  return isLocalDate(value) ? formatSwedishDate(value) : value;
}


/** A BB mail's subject names the case and the kind of BB only (the privacy rule). */
function subjectFor(caseRef: string, template: string, data: Record<string, FactValue>): string {
  const kind = typeof data.bbKind === 'string' ? BB_KINDS[data.bbKind] : undefined;
  if (template === 'bb_med_pris') return `Behovsbedömning ${kind ?? ''} ${caseRef}`.replace(/\s+/g, ' ');
  if (template === 'bb_utan_pris_treserva') return `Behovsbedömning ${kind ?? ''} ${caseRef} – kopia utan pris för Treserva`.replace(/\s+/g, ' ');
  return `Boendelotsen: ${caseRef} – ${templateTitle(template)}`;
}

/**
 * Renders a routine mail. Only labelled facts are shown (the step key and other engine bookkeeping
 * stay out), and a price-free template drops price facts even if a definition named them.
 */
export function renderRoutineMail(about: { caseRef: string; initials: string }, template: string, data: Record<string, FactValue>) {
  const { caseRef, initials } = about;
  const title = templateTitle(template);
  const priceFree = ROUTINE_MAIL_TEMPLATES[template]?.priceFree === true;
  const rows = Object.entries(data)
    .filter(([k]) => k !== 'caseRef' && MAIL_FACT_LABELS[k] !== undefined && !(priceFree && PRICE_FACTS.has(k)))
    .map(([k, v]) => [MAIL_FACT_LABELS[k] ?? k, showField(k, v)] as const);
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
