import type { Db } from '../db/client.ts';
import { findPersonById, holdersFor } from '../db/people.ts';
import { findProviderById, findProviderByIdOrName, openProviderOrder, type ProviderRow } from '../db/providers.ts';
import { addDays, isLocalDate } from '../domain/calendar/local-date.ts';
import { nextWorkingDay } from '../domain/calendar/working-days.ts';
import type { CaseState, FactValue } from '../domain/engine/types.ts';
import { enqueueMail } from '../db/outbox-mail.ts';
import { formatSwedishDate, renderRoutineMail, renderWrittenMail, ROUTINE_MAIL_TEMPLATES } from './routine-mail.ts';
import type { CaseRow } from '../db/cases.ts';
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

function day(value: FactValue | undefined): string | undefined {
  return typeof value === 'string' && isLocalDate(value) ? value : undefined;
}

/** "Handläggare: Hanna Handläggare, hanna@kommun.se." for the provider to reach the case's handläggare. */
async function contactLine(tx: Db, row: CaseRow): Promise<string> {
  const contact = await handlaggare(tx, row);
  return contact ? `Handläggare: ${contact.name}, ${contact.email}.` : 'Handläggare: se ärendet.';
}

/** A routine's mail to the provider, rendered with the case token (the engine's send_mail to 'leverantor'). */
async function renderProviderMail(
  tx: Db,
  tokens: ProviderTokens,
  params: { template: string; data: Record<string, FactValue>; row: CaseRow },
): Promise<RenderedMail | undefined> {
  const { row, template, data } = params;
  const provider = await providerOfCase(tx, row);
  if (!provider) return undefined;
  const token = await caseToken(tx, tokens, row, provider);
  if (ROUTINE_MAIL_TEMPLATES[template]?.written) {
    const sent = day(data.orderSentOn) ?? day(data.date);
    const received = day(data.gpReceivedOn) ?? day(data.date);
    // Written out in the catalogue: its placeholders are checked there, dates in Swedish.
    return renderWrittenMail(template, {
      caseRef: row.caseRef,
      initials: row.clientInitials,
      token,
      contact: await contactLine(tx, row),
      confirmBy: sent ? formatSwedishDate(nextWorkingDay(sent)) : 'dagen efter att beställningen kom',
      startBy: sent ? formatSwedishDate(addDays(sent, 14)) : '14 dagar efter beställningen',
      receivedOn: received ? formatSwedishDate(received) : 'av handläggaren',
    });
  }
  // Other routines' provider mails (price, contract) keep their content and gain the token.
  const plain = renderRoutineMail({ caseRef: row.caseRef, initials: row.clientInitials }, template, data);
  return { ...plain, subject: `${plain.subject} ${token}` };
}

/** "Vid ny kund kontaktas utföraren och informeras om att beställningen är på väg" (routine 4). */
export async function enqueuePreNotice(
  tx: Db,
  tokens: ProviderTokens,
  params: { row: CaseRow; provider: ProviderRow; from: string; now: Date },
): Promise<void> {
  const { row, provider } = params;
  const body = renderWrittenMail('bestallning_pa_vag', { caseRef: row.caseRef, initials: row.clientInitials, token: await caseToken(tx, tokens, row, provider), contact: await contactLine(tx, row) });
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
