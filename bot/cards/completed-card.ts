import { card, facts, heading, stockholmStamp, text, type AdaptiveCard } from './card.ts';

/** What a task card becomes once done: no button left to press twice. */
export function completedCard(c: {
  caseRef: string;
  clientInitials: string;
  title: string;
  byName: string | null;
  at: Date | null;
  /** Set when someone had already done it before this click: the service's "Redan klart: …" sentence. */
  already?: string | undefined;
}): AdaptiveCard {
  const who = c.byName ?? 'okänd';
  const when = c.at ? ` ${stockholmStamp(c.at)}` : '';
  const line = c.already ?? `Klart – markerat av ${who}${when}.`;
  return card([heading(`✅ ${c.title}`), facts([['Ärende', `${c.caseRef} ${c.clientInitials}`]]), text(line)]);
}
