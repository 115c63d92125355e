/** Minimal Adaptive Card shapes: the JSON Teams renders. Version 1.4 is the first with Action.Execute. */
export type CardElement = Record<string, unknown>;
export type AdaptiveCard = {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.4';
  body: CardElement[];
  actions?: CardElement[];
};

export function card(body: CardElement[], actions: CardElement[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

export const text = (value: string, extra: CardElement = {}): CardElement => ({ type: 'TextBlock', text: value, wrap: true, ...extra });
export const heading = (value: string): CardElement => text(value, { weight: 'Bolder', size: 'Medium' });
export const facts = (pairs: Array<[string, string]>): CardElement => ({ type: 'FactSet', facts: pairs.map(([title, value]) => ({ title, value })) });
export const warning = (value: string): CardElement => text(value, { color: 'Attention' });

/** Action.Execute: Teams posts an adaptiveCard/action invoke and replaces the card with our answer. */
export const execute = (title: string, verb: string, data: Record<string, unknown> = {}, style?: 'positive' | 'destructive'): CardElement => ({
  type: 'Action.Execute',
  title,
  verb,
  data,
  ...(style ? { style } : {}),
});

/** Stockholm wall-clock date, for the "klart 2026-03-02 14:05" line. */
export function stockholmStamp(at: Date): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }).format(at);
}
