import type { Db } from '../db/client.ts';
import { findPersonById, holdersFor } from '../db/people.ts';
import { findProviderById, findProviderByIdOrName, openProviderOrder, type ProviderRow } from '../db/providers.ts';
import { addDays, isLocalDate } from '../domain/calendar/local-date.ts';
import { nextWorkingDay } from '../domain/calendar/working-days.ts';
import type { CaseState, FactValue } from '../domain/engine/types.ts';
import { enqueueMail } from '../db/outbox-mail.ts';
import { renderRoutineMail } from './routine-mail.ts';
import type { CaseRow } from './case-store.ts';
import type { ProviderTokens } from './provider-tokens.ts';

/**
 * Mail to providers. Every one carries the case token in its subject, so the provider's reply
 * finds its case; none carries more than the case reference, the initials and what the provider
 * needs to act (DESIGN.md, Privacy): no personnummer, no name, no price unless the routine sends it.
 */

export type RenderedMail = { subject: string; text: string; html: string };

/** The provider a case is ordered from: the case's provider column holds its id (or, from a BB, its name). */
export async function providerOfCase(db: Db, row: CaseRow): Promise<ProviderRow | undefined> {
  if (row.provider) {
    const byId = (await findProviderById(db, row.provider)) ?? (await findProviderByIdOrName(db, row.provider));
    if (byId) return byId;
  }
  const fact = (row.state as CaseState).facts.provider;
  return typeof fact === 'string' ? findProviderByIdOrName(db, fact) : undefined;
}

async function handlaggare(tx: Db, row: CaseRow): Promise<{ name: string; email: string } | undefined> {
  const [holder] = await holdersFor(tx, row.caseRef, 'socialsekreterare');
  const person = holder ? await findPersonById(tx, holder.personId) : undefined;
  return person ? { name: person.name, email: person.email } : undefined;
}

/** The token for this case's order with the provider: the order is opened (and another provider's ended) here. */
async function caseToken(tx: Db, tokens: ProviderTokens, row: CaseRow, provider: ProviderRow): Promise<string> {
  const order = await openProviderOrder(tx, { caseRef: row.caseRef, providerId: provider.id, now: tokens.now() });
  return tokens.tokenFor({ caseRef: row.caseRef, providerId: provider.id, orderId: order.id });
}

function mail(subject: string, paragraphs: string[]): RenderedMail {
  const footer = 'Svara på det här mejlet och behåll märkningen inom hakparentes i ämnesraden, så hamnar svaret rätt. Mejlet är skickat automatiskt av Boendelotsen.';
  const all = ['Hej,', ...paragraphs, footer];
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return { subject, text: all.join('\n\n'), html: all.map((p) => `<p>${esc(p).replace(/\n/g, '<br>')}</p>`).join('') };
}

function day(value: FactValue | undefined): string | undefined {
  return typeof value === 'string' && isLocalDate(value) ? value : undefined;
}

/** A routine's mail to the provider, rendered with the case token (the engine's send_mail to 'leverantor'). */
export async function renderProviderMail(
  tx: Db,
  tokens: ProviderTokens,
  params: { template: string; data: Record<string, FactValue>; row: CaseRow },
): Promise<RenderedMail | undefined> {
  const { row, template, data } = params;
  const provider = await providerOfCase(tx, row);
  if (!provider) return undefined;
  const token = await caseToken(tx, tokens, row, provider);
  const who = `ärende ${row.caseRef}, ${row.clientInitials}`;
  const contact = await handlaggare(tx, row);
  const contactLine = contact ? `Handläggare: ${contact.name}, ${contact.email}.` : 'Handläggare: se ärendet.';
  switch (template) {
    case 'bestallning_boendestod': {
      const sent = day(data.orderSentOn) ?? day(data.date);
      const lines = [
        `Här kommer en skriftlig beställning av boendestöd enligt LOV för ${who}.`,
        contactLine,
        [
          'Vad ni behöver göra:',
          `- Bekräfta att beställningen mottagits genom att svara på det här mejlet${sent ? `, senast ${nextWorkingDay(sent)}` : ' senast dagen efter'}.`,
          `- Meddela när insatsen påbörjas, det vill säga när personal är inbokad${sent ? `, senast ${addDays(sent, 14)}` : ', senast 14 dagar efter beställningen'}. Skriv till exempel "Start 3 december".`,
          '- Påbörja genomförandeplanen inom 14 dagar och skicka den som bilaga i svar på det här mejlet senast inom 3 månader.',
          '- Meddela frånvaro över 30 dagar i följd eller förändrade förhållanden.',
        ].join('\n'),
      ];
      return mail(`Beställning boendestöd – ${row.caseRef} ${token}`, lines);
    }
    case 'genomforandeplan_mottagen': {
      const received = day(data.gpReceivedOn) ?? day(data.date);
      return mail(`Genomförandeplan mottagen – ${row.caseRef} ${token}`, [
        `Genomförandeplanen för ${who} har tagits emot${received ? ` ${received}` : ''}. Tack!`,
        'Handläggaren bokar uppföljning inom 3 månader; boendestödjaren kan delta om den enskilde vill.',
        contactLine,
      ]);
    }
    case 'avslut_boendestod':
      return mail(`Avslut boendestöd – ${row.caseRef} ${token}`, [`Boendestödet för ${who} avslutas.`, contactLine]);
    default: {
      // Other routines' provider mails (price, contract) keep their content and gain the token.
      const plain = renderRoutineMail({ caseRef: row.caseRef, initials: row.clientInitials }, template, data);
      return { ...plain, subject: `${plain.subject} ${token}` };
    }
  }
}

/** "Vid ny kund kontaktas utföraren och informeras om att beställningen är på väg" (routine 4). */
export async function enqueuePreNotice(
  tx: Db,
  tokens: ProviderTokens,
  params: { row: CaseRow; provider: ProviderRow; from: string; now: Date },
): Promise<void> {
  const { row, provider } = params;
  const contact = await handlaggare(tx, row);
  const body = mail(`Beställning på väg – ${row.caseRef} ${await caseToken(tx, tokens, row, provider)}`, [
    `Ni har valts som utförare av boendestöd enligt LOV för en ny kund (ärende ${row.caseRef}, ${row.clientInitials}). Den skriftliga beställningen kommer i ett eget mejl.`,
    contact ? `Handläggare: ${contact.name}, ${contact.email}.` : 'Handläggaren återkommer med beställningen.',
  ]);
  await enqueueMail(
    tx,
    { key: `provider-prenotice:${row.caseRef}:${provider.id}`, to: [provider.mailbox], caseRef: row.caseRef, external: true, ...body },
    { from: params.from, now: params.now },
  );
}

/** The case engine's hooks for the provider role: its functional mailbox, and mail carrying the case token. */
export function providerMailHooks(tokens: ProviderTokens) {
  return {
    roleMailboxes: async (role: string, row: CaseRow, tx: Db): Promise<string[]> => {
      if (role !== 'leverantor') return [];
      const provider = await providerOfCase(tx, row);
      return provider ? [provider.mailbox] : [];
    },
    roleMail: (role: string, template: string, data: Record<string, FactValue>, row: CaseRow, tx: Db): Promise<RenderedMail | undefined> =>
      role === 'leverantor' ? renderProviderMail(tx, tokens, { template, data, row }) : Promise.resolve(undefined),
  };
}
