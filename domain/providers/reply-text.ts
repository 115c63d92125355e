import type { FactValue } from '../engine/types.ts';
import type { LocalDate } from '../calendar/local-date.ts';
import type { ProviderReplyKind } from '../routines/types.ts';
import { findDates, findReportMonth } from './swedish-dates.ts';

/**
 * Reads what a provider's reply says, in the Swedish providers write: a confirmation that the
 * order arrived, the day the insats starts, an attached genomförandeplan or monthly report, an
 * absence. A reply may say several things ("Vi bekräftar beställningen, start 3 december").
 * Anything it cannot read for certain (a negation, a start without a date, a plan mentioned but
 * not attached) is "unclear": the handläggare reads that mail, nothing is guessed.
 */

export type ReplyFinding = { kind: ProviderReplyKind; date: LocalDate; data?: Record<string, FactValue> };

export type ReplyReading = {
  findings: ReplyFinding[];
  /** Codes of what could not be read; non-empty means a person must read the mail. */
  unclear: UnclearCode[];
};

export type UnclearCode = 'nothing_recognised' | 'negated' | 'start_without_date' | 'document_not_attached' | 'absence_negated';

export type ReplyInput = {
  /** The plain text body. */
  text: string;
  /** File names of the attachments (not their content). */
  attachmentNames: readonly string[];
  /** The Stockholm day the mail was sent: "idag" and year-less dates resolve against it. */
  mailDate: LocalDate;
};

const CONFIRM = /(bekräftar|bekräftas|bekräftat|bekräftelse|kvitterar|har mottagit|har tagit emot|har fått|mottagen|mottaget|mottagits|tagit del av|tack för beställningen)/u;
const START = /(?<!\p{L})(start\p{L}*|påbörja\p{L}*|börjar|inleds|kommer igång|första besöket|första insatsen)(?!\p{L})/u;
const NEGATION = /(?<!\p{L})(inte|ej|icke|inga|ingen|inget|kan vi inte|kan ej)(?!\p{L})/u;
const PLAN = /genomförandeplan/u;
const REPORT = /(månadsrapport|manadsrapport|månadsuppföljning|månadsredovisning)/u;
const ABSENCE = /(frånvar\p{L}*|franvaro|inlagd|sjukhus|bortrest|vistas\s+på|ej\s+anträffbar|tar inte emot|vill inte ta emot|avböj\p{L}*|förändrade förhållanden|ändrade förhållanden)/u;

/** Drops the quoted original (Outlook's "Från:" block, "> " lines, "Den … skrev:") and signatures. */
export function ownText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const l = line.trim();
    if (/^(från|from|skickat|sent)\s*:/i.test(l) && out.length > 0) break;
    if (/^(-{2,}\s*(ursprungligt|original)|_{5,})/i.test(l)) break;
    if (/^(den|on)\s.+(skrev|wrote)\s*:?\s*$/i.test(l)) break;
    if (l.startsWith('>')) continue;
    if (l === '--') break;
    out.push(line);
  }
  return out.join('\n');
}

function sentences(text: string): string[] {
  // A date such as "3 dec." or "2026-12-03" must not end a sentence: split on ". " before a capital or at a line break.
  return text
    .split(/\n+|(?<=[!?])\s+|(?<=\.)\s+(?=\p{Lu})/u)
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
}

export function readProviderReply(input: ReplyInput): ReplyReading {
  const body = ownText(input.text);
  const findings = new Map<ProviderReplyKind, ReplyFinding>();
  const unclear = new Set<UnclearCode>();
  const attachments = input.attachmentNames.map((n) => n.toLowerCase());
  const add = (f: ReplyFinding) => {
    if (!findings.has(f.kind)) findings.set(f.kind, f);
  };

  for (const s of sentences(body)) {
    const negated = NEGATION.test(s);
    const aboutPlan = PLAN.test(s);
    const aboutReport = REPORT.test(s);
    if (CONFIRM.test(s) && !aboutPlan && !aboutReport) {
      if (negated) unclear.add('negated');
      else add({ kind: 'confirmed', date: input.mailDate });
    }
    // "Upprättandet av genomförandeplanen har påbörjats" is about the plan, not the insats.
    const start = START.exec(s);
    if (start && !aboutPlan && !aboutReport) {
      // "fick beställningen 2026-11-23, start 3/12": the date after the word start is the start.
      const dates = findDates(s, input.mailDate);
      const date = (dates.find((d) => d.index > start.index) ?? dates[0])?.date;
      if (negated) unclear.add('negated');
      else if (date) add({ kind: 'started', date });
      else unclear.add('start_without_date');
    }
    if (ABSENCE.test(s)) {
      if (/^(ingen|inga|ej)\s/u.test(s) || /ingen frånvaro/u.test(s)) unclear.add('absence_negated');
      else add({ kind: 'franvaro', date: findDates(s, input.mailDate)[0]?.date ?? input.mailDate, data: { reportKind: absenceKind(s) } });
    }
  }

  const planFile = attachments.some((n) => /genomf(ö|o)randeplan|gfp/.test(n));
  const reportFile = attachments.some((n) => /(månads|manads)rapport|rapport/.test(n));
  const mentionsPlan = PLAN.test(body.toLowerCase());
  const mentionsReport = REPORT.test(body.toLowerCase());
  if (planFile || (mentionsPlan && attachments.length > 0 && !reportFile)) add({ kind: 'genomforandeplan', date: input.mailDate });
  else if (mentionsPlan && attachments.length === 0 && !findings.has('started') && /bifoga|skicka|här kommer|översänd/u.test(body.toLowerCase())) unclear.add('document_not_attached');
  if (reportFile || (mentionsReport && attachments.length > 0 && !planFile)) {
    const month = findReportMonth([body, ...attachments].join(' '), input.mailDate);
    add({ kind: 'manadsrapport', date: input.mailDate, ...(month ? { data: { reportMonth: month } } : {}) });
  } else if (mentionsReport && attachments.length === 0) unclear.add('document_not_attached');

  if (findings.size === 0 && unclear.size === 0) unclear.add('nothing_recognised');
  // Order matters to the routine: the order is confirmed before the insats starts.
  const order: ProviderReplyKind[] = ['confirmed', 'started', 'genomforandeplan', 'manadsrapport', 'franvaro'];
  return { findings: order.flatMap((k) => (findings.has(k) ? [findings.get(k) as ReplyFinding] : [])), unclear: [...unclear] };
}

function absenceKind(sentence: string): string {
  if (/förändrade förhållanden|ändrade förhållanden/u.test(sentence)) return 'forandrade_forhallanden';
  if (/tar inte emot|vill inte ta emot|avböj/u.test(sentence)) return 'ej_enligt_bestallning';
  return 'franvaro_over_30_dagar';
}

/** Swedish words for the handläggare: why a reply became a task. */
export function unclearText(codes: readonly UnclearCode[]): string {
  const words: Record<UnclearCode, string> = {
    nothing_recognised: 'svaret gick inte att tolka',
    negated: 'svaret innehåller en negation (t.ex. "kan inte starta") som en person behöver läsa',
    start_without_date: 'svaret nämner start men inget datum',
    document_not_attached: 'ett dokument nämns men är inte bifogat',
    absence_negated: 'svaret nämner frånvaro men är oklart',
  };
  return codes.map((c) => words[c]).join('; ');
}
