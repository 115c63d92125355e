import type { TurnContext } from 'botbuilder';
import type { LocalDate } from '../domain/calendar/local-date.ts';
import type { PersonRow } from '../db/people.ts';
import type { BotDeps } from './deps.ts';
import { editDistance, fold, typoBudget } from './fuzzy.ts';
import { showCase } from './handlers/case-view.ts';
import { changedNeedCommand, closeCommand, moveInCommand } from './handlers/case-events.ts';
import { completeCommand } from './handlers/complete.ts';
import { newPlacementCommand } from './handlers/placement.ts';
import { substituteCommand } from './handlers/substitute.ts';
import { myTasks } from './handlers/tasks.ts';
import { sendText } from './reply.ts';

export type CommandContext = {
  turn: TurnContext;
  person: PersonRow;
  /** The words after the command, as typed (case kept: references and names). */
  words: string[];
  deps: BotDeps;
  today: LocalDate;
};

export type ChatCommand = {
  id: string;
  /** Ways to say it; the first is shown in the help. Each phrase is matched word by word. */
  phrases: string[];
  usage: string;
  summary: string;
  run: (ctx: CommandContext) => Promise<void>;
};

/** The one table: dispatch and the `hjälp` text both come from it. */
export const CHAT_COMMANDS: readonly ChatCommand[] = [
  { id: 'help', phrases: ['hjälp', 'help', 'kommandon', '?'], usage: 'hjälp', summary: 'visar den här listan', run: (ctx) => sendText(ctx.turn, helpText()) },
  { id: 'tasks', phrases: ['mina uppgifter', 'uppgifter', 'att göra'], usage: 'mina uppgifter', summary: 'dina öppna steg, försenade först, med sista dag', run: myTasks },
  { id: 'case', phrases: ['ärende', 'visa ärende'], usage: 'ärende REF', summary: 'ärendets tidslinje: klart, öppet, försenat och vem', run: showCase },
  { id: 'placement', phrases: ['ny placering', 'nytt ärende', 'starta ärende'], usage: 'ny placering', summary: 'ett kort för att starta en rutin', run: newPlacementCommand },
  { id: 'move_in', phrases: ['inflytt', 'inflyttning', 'inflyttat'], usage: 'inflytt REF DATUM', summary: 'rapporterar inflyttningsdatum', run: moveInCommand },
  { id: 'changed_need', phrases: ['förändrat behov', 'förändrade behov', 'ändrat behov'], usage: 'förändrat behov REF sedan DATUM', summary: 'anmäler förändrat behov', run: changedNeedCommand },
  { id: 'close', phrases: ['avsluta', 'avslut'], usage: 'avsluta REF DATUM ORSAK', summary: 'avslutar ärendet med datum och orsak', run: closeCommand },
  { id: 'complete', phrases: ['klar', 'klart', 'färdig'], usage: 'klar REF [STEG]', summary: 'markerar ditt steg i ärendet som klart (kortet frågar efter uppgifter som behövs)', run: completeCommand },
  { id: 'substitute', phrases: ['ersättare', 'vikarie', 'frånvaro'], usage: 'ersättare @person FRÅN–TILL', summary: 'namnger en ersättare under din frånvaro (utan namn: ett kort)', run: substituteCommand },
];

export function helpText(): string {
  const lines = CHAT_COMMANDS.map((c) => `- **${c.usage}** – ${c.summary}`);
  return ['Det här kan jag:', '', ...lines, '', 'Datum kan skrivas 2026-12-01, 1 december 2026 eller 1/12.'].join('\n');
}

/** How many words may come before a command ("kan du visa mina uppgifter"). */
const MAX_LEADING_WORDS = 3;

type Match = { command: ChatCommand; typos: number; phraseWords: number; at: number; end: number };

export type ParsedCommand = { command: ChatCommand; words: string[] } | { command: undefined; suggestions: ChatCommand[] };

/**
 * Finds the command in a chat line: case-insensitive, extra words allowed, small typos forgiven
 * when only one command is that close. Ambiguity is not guessed at: it returns suggestions.
 */
export function parseCommand(text: string): ParsedCommand {
  const original = text.replace(/<at>[^<]*<\/at>/g, ' ').trim().split(/\s+/).filter(Boolean);
  const folded = original.map((w) => fold(w).replace(/[.,!]+$/, ''));
  const matches: Match[] = [];
  for (const command of CHAT_COMMANDS) {
    let best: Match | undefined;
    for (const phrase of command.phrases) {
      const words = phrase.split(' ').map(fold);
      for (let at = 0; at <= Math.min(MAX_LEADING_WORDS, folded.length - words.length); at++) {
        let typos = 0;
        const ok = words.every((w, i) => {
          const d = editDistance(folded[at + i] ?? '', w);
          typos += d;
          return d <= typoBudget(w);
        });
        const m = { command, typos, phraseWords: words.length, at, end: at + words.length };
        if (ok && (!best || rank(m) < rank(best))) best = m;
      }
    }
    if (best) matches.push(best);
  }
  matches.sort((a, b) => rank(a) - rank(b));
  const [first, second] = matches;
  if (!first) return { command: undefined, suggestions: [] };
  if (second && first.typos > 0 && rank(second) === rank(first)) return { command: undefined, suggestions: [first.command, second.command] };
  return { command: first.command, words: original.slice(first.end) };
}

/** Exact before typo, earlier before later, longer phrase before shorter. */
function rank(m: Match): number {
  return m.typos * 1000 + m.at * 10 - m.phraseWords;
}

/** Short help for a line we could not place; the text itself is not echoed (it may hold a personnummer). */
export function unknownCommandText(suggestions: ChatCommand[]): string {
  const guess = suggestions.length > 0 ? ` Menade du ${suggestions.map((c) => `**${c.usage}**`).join(' eller ')}?` : '';
  return `Det kommandot känner jag inte igen.${guess} Skriv **hjälp** för alla kommandon, t.ex. **mina uppgifter** eller **ärende REF**.`;
}
