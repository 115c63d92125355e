import type { TurnContext } from 'botbuilder';
import type { LocalDate } from '../domain/calendar/local-date.ts';
import type { PersonRow } from '../db/people.ts';
import type { AdaptiveCard } from './cards/card.ts';
import type { BotDeps } from './deps.ts';

/** A card button press (Action.Execute): the inputs and the button's own data arrive together. */
export type InvokeContext = {
  turn: TurnContext;
  person: PersonRow;
  data: Record<string, unknown>;
  deps: BotDeps;
  today: LocalDate;
};

/** What replaces the card in place: a card, or a short message. */
export type InvokeResult = AdaptiveCard | string;

export type CardAction = { verb: string; what: string; run: (ctx: InvokeContext) => Promise<InvokeResult> };
