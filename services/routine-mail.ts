import { escapeHtml } from '../lib/html.ts';
import { isLocalDate } from '../domain/calendar/local-date.ts';
import { formatPriceFact, PRICE_FACTS } from '../domain/engine/price-facts.ts';
import { placeholdersIn } from '../domain/engine/messages.ts';
import type { FactValue } from '../domain/engine/types.ts';

export { PRICE_FACTS };

/**
 * The one catalogue of the mails Boendelotsen writes from routine steps and to providers (the
 * provider told the price, administration told the contract, a LOV order …). Routine definitions
 * name a template; the loader refuses a routine that names one missing here or sends a fact
 * without a Swedish label, and checks every placeholder a written template fills in. Subjects
 * carry the case reference and what the mail is about, never a name or personnummer.
 */
export type RoutineMailTemplate = {
  /** Swedish; the subject is "Boendelotsen: REF – title" unless the template sets its own. */
  title: string;
  /** Mails that must never show a price (the copy for the case system, provider notices). */
  priceFree?: boolean;
  /**
   * A mail written out in full (to a provider): its subject and paragraphs, with {placeholders}
   * from MAIL_VARIABLES. Without, the mail lists the step's facts under the title.
   */
  written?: { subject: string; paragraphs: readonly string[] };
};

/** What a written template may fill in besides labelled facts: each supplied by the code that sends it. */
export const MAIL_VARIABLES = {
  caseRef: 'ärendets referens',
  initials: 'den enskildes initialer',
  token: 'ärendemärkningen inom hakparentes (provider mail: svaret hittar rätt)',
  contact: 'handläggarens namn och e-post, eller "se ärendet"',
  confirmBy: 'sista dag att bekräfta beställningen',
  startBy: 'sista dag att meddela att insatsen påbörjas',
  receivedOn: 'dagen genomförandeplanen kom in',
} as const;
export type MailVariable = keyof typeof MAIL_VARIABLES;

/** Every mail to a provider ends so: the reply must keep the token to find its case. */
const PROVIDER_MAIL_FOOTER = 'Svara på det här mejlet och behåll märkningen inom hakparentes i ämnesraden, så hamnar svaret rätt. Mejlet är skickat automatiskt av Boendelotsen.';

export const ROUTINE_MAIL_TEMPLATES: Readonly<Record<string, RoutineMailTemplate>> = {
  bb_med_pris: { title: 'Behovsbedömning med prisuppgift' },
  bb_utan_pris_treserva: { title: 'Behovsbedömning utan prisuppgifter för Treserva', priceFree: true },
  pris_och_uppfoljande_bb: { title: 'Pris enligt behovsbedömningen och uppföljande behovsbedömning' },
  avtal_till_administration: { title: 'Uppgifter från placeringsavtal för fakturaavstämning' },
  begaran_ny_bb_mottagen: { title: 'Begäran om ny behovsbedömning har kommit in', priceFree: true },
  avtal_och_uppdrag: { title: 'Avtal och uppdrag till utföraren', priceFree: true },
  inflyttning_planerad: { title: 'Planerad inflyttning', priceFree: true },
  bestallning_boendestod: {
    title: 'Beställning av boendestöd',
    priceFree: true,
    written: {
      subject: 'Beställning boendestöd – {caseRef} {token}',
      paragraphs: [
        'Här kommer en skriftlig beställning av boendestöd enligt LOV för ärende {caseRef}, {initials}.',
        '{contact}',
        [
          'Vad ni behöver göra:',
          '- Bekräfta att beställningen mottagits genom att svara på det här mejlet, senast {confirmBy}.',
          '- Meddela när insatsen påbörjas, det vill säga när personal är inbokad, senast {startBy}. Skriv till exempel "Start 3 december".',
          '- Påbörja genomförandeplanen inom 14 dagar och skicka den som bilaga i svar på det här mejlet senast inom 3 månader.',
          '- Meddela frånvaro över 30 dagar i följd eller förändrade förhållanden.',
        ].join('\n'),
      ],
    },
  },
  bestallning_pa_vag: {
    title: 'Beställning på väg',
    priceFree: true,
    written: {
      subject: 'Beställning på väg – {caseRef} {token}',
      paragraphs: [
        'Ni har valts som utförare av boendestöd enligt LOV för en ny kund (ärende {caseRef}, {initials}). Den skriftliga beställningen kommer i ett eget mejl.',
        '{contact}',
      ],
    },
  },
  genomforandeplan_mottagen: {
    title: 'Genomförandeplan mottagen',
    priceFree: true,
    written: {
      subject: 'Genomförandeplan mottagen – {caseRef} {token}',
      paragraphs: [
        'Genomförandeplanen för ärende {caseRef}, {initials} har tagits emot {receivedOn}. Tack!',
        'Handläggaren bokar uppföljning inom 3 månader; boendestödjaren kan delta om den enskilde vill.',
        '{contact}',
      ],
    },
  },
  avslut_boendestod: {
    title: 'Avslut av boendestöd',
    priceFree: true,
    written: { subject: 'Avslut boendestöd – {caseRef} {token}', paragraphs: ['Boendestödet för ärende {caseRef}, {initials} avslutas.', '{contact}'] },
  },
};

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
  exceptionReason: 'Skäl till undantag från prismodellen',
  followUpContractFrom: 'Uppföljande avtal gäller från',
};

const BB_KINDS: Record<string, string> = { infor_kop: 'inför köp', uppfoljande: 'uppföljande', forandrade_behov: 'förändrade behov' };
const PRICE_CHECK: Record<string, string> = { ok: 'stämmer', mismatch: 'STÄMMER INTE – kontrollräkna', not_stated: 'dygnspris ej angivet' };
const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

function templateTitle(template: string): string {
  return ROUTINE_MAIL_TEMPLATES[template]?.title ?? 'Meddelande från Boendelotsen';
}

/** "2 450,50 kr" (counted in öre, the domain's formatter), whole kronor without ",00". */
export function formatPrice(value: number): string {
  const text = formatPriceFact(value);
  return `${text.endsWith(',00') ? text.slice(0, -3) : text} kr`;
}

/** "1 mars 2026". */
export function formatSwedishDate(date: string): string {
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

/** Problems in the catalogue's written templates: a placeholder nothing supplies, a provider mail without its token. */
export function checkMailCatalogue(): string[] {
  const problems: string[] = [];
  for (const [name, t] of Object.entries(ROUTINE_MAIL_TEMPLATES)) {
    if (!t.written) continue;
    for (const text of [t.written.subject, ...t.written.paragraphs]) {
      for (const p of placeholdersIn(text)) {
        if (!Object.hasOwn(MAIL_VARIABLES, p) && MAIL_FACT_LABELS[p] === undefined) problems.push(`e-postmallen ”${name}” fyller i ”{${p}}”, som varken är en känd variabel eller en uppgift med svensk etikett`);
      }
    }
    if (!placeholdersIn(t.written.subject).includes('token')) problems.push(`e-postmallen ”${name}” är skriven till en utförare men saknar {token} i ämnesraden`);
  }
  return problems;
}

/**
 * Renders a written template with the values its sender supplies. A placeholder without a value
 * is a bug in the sender (the catalogue check knows every name): it throws rather than mail "{x}".
 */
export function renderWrittenMail(template: string, values: Partial<Record<MailVariable, string>>): { subject: string; text: string; html: string } {
  const written = ROUTINE_MAIL_TEMPLATES[template]?.written;
  if (!written) throw new Error(`mail template ${template} is not written out`);
  const fill = (text: string) =>
    text.replace(/\{(\w{1,60})\}/g, (_, name: string) => {
      const v = (values as Record<string, string | undefined>)[name];
      if (v === undefined) throw new Error(`mail template ${template}: no value for {${name}}`);
      return v;
    });
  const all = ['Hej,', ...written.paragraphs.map(fill), PROVIDER_MAIL_FOOTER];
  return { subject: fill(written.subject), text: all.join('\n\n'), html: all.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('') };
}
