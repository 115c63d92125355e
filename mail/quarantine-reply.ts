import { escapeHtml } from '../lib/html.ts';
/**
 * The Swedish reply a sender gets when their mail is put in quarantine: what was wrong and what
 * to do. It never quotes the mail (a subject or body may carry a personnummer): the subject is
 * built from a case reference and fixed words only.
 */

export type QuarantineReason = 'not_planeringsledare' | 'not_a_bb' | 'too_large' | 'unknown_case' | 'no_case_reference' | 'case_mismatch' | 'not_expected' | 'provider_not_verified' | 'provider_token_expired' | 'provider_token_other_order' | 'provider_reply_not_expected' | 'processing_failed';

export type QuarantineReplyInput = {
  reason: QuarantineReason;
  /** For not_a_bb: the missing or unreadable fields, in Swedish words ("BB-poäng", "Boendepris"). */
  missingFields?: readonly string[];
  /** For not_expected: why the routine could not take the BB now (no personal data). */
  detail?: string;
  /** The case reference the mail named, when it named one (never a name). */
  caseRef?: string | undefined;
  maxSizeBytes: number;
  original: { messageId: string | null; references: readonly string[] };
};

export type QuarantineReply = {
  subject: string;
  text: string;
  html: string;
  inReplyTo?: string;
  references?: string[];
};

const CLOSING = [
  'Mejlet är sparat och ingenting har raderats.',
  'Det här är ett automatiskt svar från Boendelotsen. Frågor besvaras av er systemadministratör.',
];

function explain(input: QuarantineReplyInput): { heading: string; paragraphs: string[]; list?: readonly string[] } {
  switch (input.reason) {
    case 'not_planeringsledare':
      return {
        heading: 'Ditt mejl till Boendelotsen har inte behandlats.',
        paragraphs: [
          'Boendelotsen tar bara emot behovsbedömningar från personer som är registrerade som planeringsledare, och din e-postadress finns inte registrerad med den rollen.',
          'Vad du kan göra: är du planeringsledare, be administratören registrera din e-postadress med rollen planeringsledare och skicka sedan mejlet igen. Är du inte planeringsledare, lämna behovsbedömningen till den planeringsledare som gjorde den.',
        ],
      };
    case 'not_a_bb': {
      const fields = input.missingFields ?? [];
      return {
        heading: 'Ditt mejl kunde inte läsas som en behovsbedömning.',
        paragraphs: [
          fields.length > 0
            ? 'Följande uppgifter saknas eller gick inte att tolka:'
            : 'Boendelotsen hittade ingen behovsbedömning i mejlet, varken i mejltexten eller i någon bilaga.',
          'Vad du kan göra: komplettera behovsbedömningen och skicka den igen, som PDF, som Word-fil (DOCX) eller inklistrad i mejltexten.',
        ],
        list: fields,
      };
    }
    case 'too_large':
      return {
        heading: 'Ditt mejl är för stort för att tas emot.',
        paragraphs: [
          `Boendelotsen tar emot mejl på högst ${formatMegabytes(input.maxSizeBytes)}, och ditt mejl var större än så. Det har inte lästs.`,
          'Vad du kan göra: skicka behovsbedömningen igen utan andra bilagor, eller spara den som PDF med lägre upplösning.',
        ],
      };
    case 'unknown_case':
      return {
        heading: 'Behovsbedömningen kunde inte kopplas till något ärende.',
        paragraphs: [
          input.caseRef
            ? `Ärendereferensen ${input.caseRef} matchar inget ärende i Boendelotsen.`
            : 'Ärendereferensen i behovsbedömningen matchar inget ärende i Boendelotsen.',
          'Vad du kan göra: kontrollera ärendereferensen och skicka behovsbedömningen igen, eller koppla mejlet till rätt ärende i Boendelotsen i Teams (mejl i karantän).',
        ],
      };
    case 'no_case_reference':
      return {
        heading: 'Behovsbedömningen kunde inte kopplas till något ärende.',
        paragraphs: [
          input.detail ?? 'Behovsbedömningen anger ingen ärendereferens.',
          'Vad du kan göra: koppla mejlet till rätt ärende i Boendelotsen i Teams (mejl i karantän), eller skriv in ärendereferensen i behovsbedömningen och skicka den igen.',
        ],
      };
    case 'case_mismatch':
      return {
        heading: 'Behovsbedömningen stämmer inte med ärendet den anger.',
        paragraphs: [
          `Personnumret i behovsbedömningen är inte detsamma som på ärendet ${input.caseRef ?? ''}. Mejlet har inte kopplats till något ärende.`.replace(/\s+\./, '.'),
          'Vad du kan göra: kontrollera ärendereferensen och personnumret i behovsbedömningen och skicka den igen.',
        ],
      };
    case 'not_expected':
      return {
        heading: 'Ärendet väntar inte på den här behovsbedömningen just nu.',
        paragraphs: [
          input.detail ?? 'Rutinen för ärendet kan inte ta emot behovsbedömningen i det här skedet.',
          'Vad du kan göra: kontrollera vilket slag av behovsbedömning som ska göras (inför köp, uppföljande eller förändrade behov) och att ärendet har kommit till det steget; skicka den sedan igen eller kontakta socialsekreteraren.',
        ],
      };
    case 'provider_not_verified':
      // A reply carrying a case token that we could not verify: say nothing about any case.
      return {
        heading: 'Ditt mejl har inte behandlats.',
        paragraphs: [
          'Mejlet kunde inte kopplas till en beställning som skickats till din organisation.',
          'Vad du kan göra: svara direkt på mejlet med beställningen, från er registrerade e-postadress och utan att ändra ämnesraden, eller kontakta handläggaren.',
        ],
      };
    case 'provider_token_expired':
      return {
        heading: 'Ditt svar har inte behandlats.',
        paragraphs: [
          `Märkningen inom hakparentes i ämnesraden${input.caseRef ? ` (ärende ${input.caseRef})` : ''} har slutat gälla: den kom från ett mejl som skickades för länge sedan.`,
          'Vad du kan göra: svara på det senaste mejlet du fått från Boendelotsen om ärendet, eller kontakta handläggaren och be om ett nytt.',
        ],
      };
    case 'provider_token_other_order':
      return {
        heading: 'Ditt svar har inte behandlats.',
        paragraphs: [
          `Märkningen inom hakparentes i ämnesraden hör till en tidigare beställning${input.caseRef ? ` i ärende ${input.caseRef}` : ''}, som inte längre gäller.`,
          'Vad du kan göra: svara på mejlet med den gällande beställningen, eller kontakta handläggaren.',
        ],
      };
    case 'provider_reply_not_expected':
      return {
        heading: 'Ditt svar har inte behandlats.',
        paragraphs: [
          input.detail ?? 'Beställningen väntar inte på det här svaret just nu.',
          'Vad du kan göra: har något ändrats sedan steget blev klart, kontakta handläggaren.',
        ],
      };
    case 'processing_failed':
      return {
        heading: 'Ditt mejl kunde inte läsas.',
        paragraphs: [
          'Boendelotsen försökte läsa mejlet flera gånger utan att lyckas. Felet är loggat och mejlet har lagts åt sidan så att en administratör kan titta på det.',
          'Vad du kan göra: du behöver inte skicka mejlet igen. Är det brådskande, kontakta administratören.',
        ],
      };
  }
}

/**
 * A case reference fit for a subject line: the reference shape only. Anything else (a mistyped
 * field that might hold a personnummer) is left out rather than echoed.
 */
export function safeCaseRef(ref: string | undefined): string | undefined {
  if (ref === undefined) return undefined;
  const trimmed = ref.trim();
  return /^[A-ZÅÄÖ]{1,6}-?\d{4}-\d{1,6}$/i.test(trimmed) ? trimmed : undefined;
}

export function buildQuarantineReply(rawInput: QuarantineReplyInput): QuarantineReply {
  const input = { ...rawInput, caseRef: safeCaseRef(rawInput.caseRef) };
  const { heading, paragraphs, list } = explain(input);
  const items = list ?? [];
  const text = [heading, '', ...paragraphs.slice(0, 1), ...items.map((f) => `  - ${f}`), '', ...paragraphs.slice(1), '', ...CLOSING].join('\n');
  const html = [
    `<p><strong>${escapeHtml(heading)}</strong></p>`,
    `<p>${escapeHtml(paragraphs[0] ?? '')}</p>`,
    items.length > 0 ? `<ul>${items.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>` : '',
    ...paragraphs.slice(1).map((p) => `<p>${escapeHtml(p)}</p>`),
    ...CLOSING.map((p) => `<p style="color:#555">${escapeHtml(p)}</p>`),
  ].join('\n');
  const subject = input.caseRef ? `Boendelotsen: mejl om ${input.caseRef} kunde inte tas emot` : 'Boendelotsen: ditt mejl kunde inte tas emot';
  const original = input.original;
  return {
    subject,
    text,
    html,
    ...(original.messageId === null
      ? {}
      : { inReplyTo: original.messageId, references: [...original.references, original.messageId] }),
  };
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toLocaleString('sv-SE', { maximumFractionDigits: 1 })} MB`;
}
