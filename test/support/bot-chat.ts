import { expect } from 'vitest';
import { cardAction, message, type TeamsUser } from './bot-activities.ts';
import type { BotHarness } from './bot-harness.ts';
import type { SentActivity } from './fake-connector.ts';

export type Card = { body: Array<Record<string, unknown>>; actions?: Array<{ type: string; title: string; verb: string; data: Record<string, unknown> }> };

export const cardText = (card: Card | undefined): string => JSON.stringify(card?.body ?? []);
export const cardOf = (s: SentActivity | undefined): Card | undefined => s?.activity.attachments?.[0]?.content as Card | undefined;
/** Every card of a message: a task list carries its cards under the text, in one message. */
export const cardsOf = (s: SentActivity | undefined): Card[] => (s?.activity.attachments ?? []).map((a) => a.content as Card);
/** The value an input of the card starts with (a pre-filled date). */
export const inputValue = (card: Card | undefined, id: string): unknown => card?.body.find((e) => e.id === id)?.value;

/** A person in a Teams chat with the bot: says things, presses buttons, reads what arrived. */
export function chatAs(h: BotHarness) {
  const conversation = (user: TeamsUser) => h.connector.sent.filter((s) => s.conversationId === user.conversationId);

  /**
   * Posts a message and returns the bot's reply (posted back to the fake connector): the text of
   * every message it answered with, and its last card (a task list is a text with cards under it).
   */
  async function say(user: TeamsUser, text: string): Promise<{ text: string; card: Card | undefined }> {
    const before = conversation(user).length;
    const res = await h.post(message(user, h.connector.url, text));
    expect(res.status).toBe(200);
    const replies = (await h.connector.waitFor(user.conversationId, before + 1)).slice(before);
    const cards = replies.flatMap(cardsOf);
    return { text: replies.map((r) => r.activity.text ?? '').filter(Boolean).join('\n'), card: cards[cards.length - 1] };
  }

  /** Presses a card button; the invoke response carries the card (or sentence) that replaces it. */
  async function press(user: TeamsUser, verb: string, data: Record<string, unknown>): Promise<{ card: Card | undefined; text: string }> {
    const res = await h.post(cardAction(user, h.connector.url, verb, data));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { type: string; value: unknown };
    return typeof body.value === 'string' ? { card: undefined, text: body.value } : { card: body.value as Card, text: '' };
  }

  /** Presses the card's own Action.Execute (the first, or the one with `verb`) with the inputs filled in, as Teams sends it. */
  function pressCard(user: TeamsUser, card: Card | undefined, inputs: Record<string, string> = {}, verb?: string) {
    const action = verb ? card?.actions?.find((a) => a.verb === verb) : card?.actions?.[0];
    if (!action) throw new Error(`the card has no button: ${cardText(card)}`);
    return press(user, action.verb, { ...action.data, ...inputs });
  }

  /** Runs the 'teams' outbox and returns everything the person has received so far. */
  async function delivered(user: TeamsUser): Promise<SentActivity[]> {
    await h.deliverOutbox();
    return conversation(user);
  }

  /** The newest task card delivered to the person for a step (by the button's stepKey). */
  async function taskCardFor(user: TeamsUser, caseRef: string, stepKey: string): Promise<Card> {
    const found = (await delivered(user)).flatMap(cardsOf).filter((c) => c.actions?.some((a) => a.verb === 'complete_step' && a.data.caseRef === caseRef && a.data.stepKey === stepKey));
    const card = found[found.length - 1];
    if (!card) throw new Error(`no card for ${caseRef}/${stepKey} reached ${user.name}`);
    return card;
  }

  return { say, press, pressCard, delivered, taskCardFor, conversation };
}
