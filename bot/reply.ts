import { randomUUID } from 'node:crypto';
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { Logger } from '../lib/logger.ts';
import type { ServiceRefusal } from '../services/types.ts';
import type { AdaptiveCard } from './cards/card.ts';

export async function sendText(turn: TurnContext, message: string): Promise<void> {
  await turn.sendActivity(MessageFactory.text(message));
}

export async function sendCard(turn: TurnContext, adaptive: AdaptiveCard, summary?: string): Promise<void> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(adaptive));
  if (summary) activity.summary = summary;
  await turn.sendActivity(activity);
}

/**
 * A text with cards under it, as one message (the cards in a list): one call to the Bot
 * Connector instead of one per card, and the cards cannot arrive out of order or without their list.
 */
export async function sendTextWithCards(turn: TurnContext, message: string, cards: Array<{ card: AdaptiveCard; summary: string }>): Promise<void> {
  if (cards.length === 0) return sendText(turn, message);
  const activity = MessageFactory.list(cards.map((c) => CardFactory.adaptiveCard(c.card)), message);
  activity.summary = cards.map((c) => c.summary).join('; ');
  await turn.sendActivity(activity);
}

/** A refusal is an expected answer: the service's Swedish sentence says why and who can. */
export function refusalText(refusal: ServiceRefusal): string {
  return refusal.message;
}

/**
 * The one place an unexpected error becomes chat text: a Swedish sentence with a short reference the
 * user can quote to support; the log gets the same reference and the error, never case data.
 */
export function errorSentence(logger: Logger, err: unknown, what: string): string {
  const ref = randomUUID().slice(0, 8);
  logger.error({ code: 'BOT_HANDLER_FAILED', ref, what, err }, 'bot handler failed');
  return `Något gick fel när jag skulle ${what}. Försök igen om en stund; kvarstår felet, kontakta administratören och ange felkod ${ref}.`;
}
