import type { TurnContext } from 'botbuilder';
import type { LocalDate } from '../domain/calendar/local-date.ts';
import type { PersonRow } from '../db/people.ts';
import type { BotDeps } from './deps.ts';
import { editDistance, fold, typoBudget } from './fuzzy.ts';
import { showCase } from './handlers/case-view.ts';
import { closeCommand, moveInCommand } from './handlers/case-events.ts';
import { changedNeedCommand } from './handlers/changed-need.ts';
import { completeCommand } from './handlers/complete.ts';
import { newPlacementCommand } from './handlers/placement.ts';
import { snoozeCommand } from './handlers/snooze.ts';
import { substituteCommand } from './handlers/substitute.ts';
import { myTasks } from './handlers/tasks.ts';
import { addToQueueCommand, endQueueCommand, investigationDoneCommand, queueCommand } from './handlers/coordination-queue.ts';
import { acceptCommand, declineCommand, movedInCommand, offerCommand, ordersSentCommand, reserveCommand } from './handlers/coordination-offers.ts';
import { answerInternalCommand, decideInternalCommand, proposeInternalCommand } from './handlers/coordination-internal.ts';
import { listVacanciesCommand, registerVacancyCommand } from './handlers/coordination-vacancies.ts';
import { providersCommand } from './handlers/providers.ts';
import { linkMailCommand } from './handlers/link-mail.ts';
import { helpGroupsFor } from './help.ts';
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
  { id: 'help', phrases: ['hjälp', 'help', 'kommandon', '?'], usage: 'hjälp', summary: 'visar den här listan', run: (ctx) => sendText(ctx.turn, helpText(ctx.person.roles)) },
  { id: 'tasks', phrases: ['mina uppgifter', 'uppgifter', 'att göra'], usage: 'mina uppgifter', summary: 'dina öppna steg, försenade först, med sista dag', run: myTasks },
  { id: 'case', phrases: ['ärende', 'visa ärende'], usage: 'ärende REF', summary: 'ärendets tidslinje: klart, öppet, försenat och vem', run: showCase },
  { id: 'placement', phrases: ['ny placering', 'nytt ärende', 'starta ärende'], usage: 'ny placering', summary: 'ett kort för att starta en rutin', run: newPlacementCommand },
  { id: 'move_in', phrases: ['inflytt', 'inflyttning', 'inflyttat'], usage: 'inflytt REF DATUM', summary: 'rapporterar inflyttningsdatum', run: moveInCommand },
  { id: 'changed_need', phrases: ['förändrat behov', 'förändrade behov', 'ändrat behov'], usage: 'förändrat behov REF sedan DATUM', summary: 'anmäler förändrat behov (ett kort frågar efter resten)', run: changedNeedCommand },
  { id: 'close', phrases: ['avsluta', 'avslut'], usage: 'avsluta REF DATUM ORSAK', summary: 'avslutar ärendet med datum och orsak', run: closeCommand },
  { id: 'complete', phrases: ['klar', 'klart', 'färdig'], usage: 'klar REF [STEG]', summary: 'markerar ditt steg i ärendet som klart (kortet frågar efter uppgifter som behövs)', run: completeCommand },
  { id: 'substitute', phrases: ['ersättare', 'vikarie', 'frånvaro'], usage: 'ersättare @person FRÅN–TILL', summary: 'namnger en ersättare under din frånvaro (utan namn: ett kort)', run: substituteCommand },
  // Boendekoordination (routines 3 and 5): vacancies are named L12, people by case reference.
  { id: 'vacancies', phrases: ['lediga', 'lediga lägenheter'], usage: 'lediga', summary: 'lediga lägenheter med antal dagar tomma och vem de är reserverade för', run: listVacanciesCommand },
  { id: 'register_vacancy', phrases: ['ny ledig', 'registrera ledig', 'ledig lägenhet'], usage: 'ny ledig ENHET LGH BOENDEFORM LAGRUM DATUM', summary: 'registrerar en ledig lägenhet och informerar hyresvärden (utan ord: ett kort)', run: registerVacancyCommand },
  { id: 'queue', phrases: ['kö', 'kön', 'visa kö'], usage: 'kö [byte]', summary: 'kön i erbjudandeordning (byte: väntelistan för byte av boende)', run: (ctx) => queueCommand(ctx) },
  { id: 'change_list', phrases: ['väntelista', 'väntelistan'], usage: 'väntelista', summary: 'väntelistan för byte av boende', run: (ctx) => queueCommand(ctx, 'change_of_home') },
  { id: 'queue_add', phrases: ['ställ i kö', 'sätt i kö', 'ny i kö'], usage: 'ställ i kö REF E.B. DATUM LAGRUM BOENDEFORM [prio 1–3] [område A,B] [byte] [utredning] [dokument DATUM]', summary: 'ställer en person med beslut i kön (myndigheten)', run: addToQueueCommand },
  { id: 'investigation_done', phrases: ['utredning klar'], usage: 'utredning klar REF DATUM', summary: 'ny utredning klar för byte av boende, med dokumentets datum', run: investigationDoneCommand },
  { id: 'queue_end', phrases: ['avsluta kö', 'avsluta beslut'], usage: 'avsluta kö REF ORSAK', summary: 'avslutar ett beslut i kön (bara myndigheten)', run: endQueueCommand },
  { id: 'reserve', phrases: ['reservera', 'anvisa'], usage: 'reservera L12 REF', summary: 'reserverar lägenheten för en person i kön; enhetschefen får besked', run: reserveCommand },
  { id: 'offer', phrases: ['erbjud', 'erbjudande'], usage: 'erbjud L12 [visning DATUM]', summary: 'registrerar erbjudandet och visningen; svar senast räknas i arbetsdagar', run: offerCommand },
  { id: 'decline', phrases: ['tackat nej', 'tacka nej'], usage: 'tackat nej L12 ORSAK', summary: 'registrerar ett nej med orsak; personen står kvar i kön', run: declineCommand },
  { id: 'accept', phrases: ['tackat ja', 'boka'], usage: 'tackat ja L12 DATUM', summary: 'bokar lägenheten med planerat inflyttningsdatum', run: acceptCommand },
  { id: 'orders_sent', phrases: ['beställt', 'beställningar skickade'], usage: 'beställt L12', summary: 'beställningar skickade; hemtjänst, HSO m.fl. informeras (myndigheten)', run: ordersSentCommand },
  { id: 'moved_in', phrases: ['inflyttad', 'flyttat in'], usage: 'inflyttad L12 DATUM', summary: 'bekräftar faktisk inflyttning; alla berörda informeras', run: movedInCommand },
  { id: 'internal_move', phrases: ['intern flytt'], usage: 'intern flytt L12 REF E.B. [direkt | dokument DATUM]', summary: 'föreslår intern flytt innan lägenheten går till förmedling', run: proposeInternalCommand },
  { id: 'internal_answer', phrases: ['intern flytt svar'], usage: 'intern flytt svar L12 tillstyrker|motsätter', summary: 'planeringsledarens svar på en intern flytt', run: answerInternalCommand },
  { id: 'internal_decision', phrases: ['intern flytt beslut'], usage: 'intern flytt beslut L12 genomför|genomför ej', summary: 'verksamhetschefens slutliga beslut om en intern flytt', run: decideInternalCommand },
  { id: 'snooze', phrases: ['påminn mig', 'påminn'], usage: 'påminn mig REF DATUM', summary: 'flyttar nästa påminnelse om dina steg i ärendet (inte sista dagen)', run: snoozeCommand },
  // Providers: ickeval in turn, the person's own choice, replies to read, register edits.
  { id: 'providers', phrases: ['leverantör', 'leverantörer', 'utförare'], usage: 'leverantör ickeval REF | val REF NAMN | svar | NAMN tar emot nya: ja/nej', summary: 'ickeval i turordning, den enskildes val, svar från utförare att läsa, leverantörsregistret', run: providersCommand },
  // Issue 5: a BB whose case reference matched no case waits in quarantine for its sender to link it.
  { id: 'link_mail', phrases: ['koppla', 'koppla mejl'], usage: 'koppla [MEJL-ID REF]', summary: 'dina behovsbedömningar i karantän (okänd ärendereferens); med id och referens kopplas mejlet till rätt ärende', run: linkMailCommand },
];

/** The commands grouped, the groups of the reader's own roles first (bot/help.ts). */
export function helpText(roles: readonly string[] = []): string {
  const byId = new Map(CHAT_COMMANDS.map((c) => [c.id, c]));
  const sections = helpGroupsFor(roles).map((g) => {
    const lines = g.commandIds.flatMap((id) => {
      const c = byId.get(id);
      return c ? [`- **${c.usage}** – ${c.summary}`] : [];
    });
    return [`**${g.title}**${g.own ? ' – dina roller' : ''}`, ...lines, ''].join('\n');
  });
  return ['Det här kan jag:', '', ...sections, 'Datum kan skrivas 2026-12-01, 1 december 2026 eller 1/12.'].join('\n');
}

/** How many words may come before a command ("kan du visa mina uppgifter"). */
const MAX_LEADING_WORDS = 3;

type Match = { command: ChatCommand; typos: number; phraseWords: number; at: number; end: number };

export type ParsedCommand = { command: ChatCommand; words: string[] } | { command: undefined; suggestions: ChatCommand[] };

/**
 * Finds the command in a chat line: case-insensitive, extra words allowed, small typos forgiven
 * when only one command is that close. Ambiguity is not guessed at: it returns suggestions.
 */
/** Each command's phrases as folded words, folded once rather than on every message. */
let foldedPhrases: ReadonlyMap<ChatCommand, string[][]> | undefined;

export function parseCommand(text: string): ParsedCommand {
  foldedPhrases ??= new Map(CHAT_COMMANDS.map((c) => [c, c.phrases.map((phrase) => phrase.split(' ').map(fold))]));
  const original = text.replace(/<at>[^<]*<\/at>/g, ' ').trim().split(/\s+/).filter(Boolean);
  const folded = original.map((w) => fold(w).replace(/[.,!]+$/, ''));
  const matches: Match[] = [];
  for (const command of CHAT_COMMANDS) {
    let best: Match | undefined;
    for (const words of foldedPhrases.get(command) ?? []) {
      for (let at = 0; at <= Math.min(MAX_LEADING_WORDS, folded.length - words.length); at++) {
        let typos = 0;
        const ok = words.every((w, i) => {
          const typed = folded[at + i] ?? '';
          const budget = typoBudget(w);
          // Words whose lengths differ by more than the budget are too far apart already.
          const d = typed === w ? 0 : Math.abs(typed.length - w.length) > budget ? budget + 1 : editDistance(typed, w);
          typos += d;
          return d <= budget;
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
  const words = original.slice(first.end);
  if (MOVE_IN_IDS.has(first.command.id)) return { command: moveInByArgument(words), words };
  if (second && first.typos > 0 && rank(second) === rank(first)) return { command: undefined, suggestions: [first.command, second.command] };
  return { command: first.command, words };
}

/**
 * "inflyttad L12 DATUM" (a vacancy, routine 5) and "inflyttat REF DATUM" (a case) are one typo
 * apart, so the word alone cannot choose: the argument does. A vacancy is named L12; anything
 * else is a case reference.
 */
const MOVE_IN_IDS = new Set(['move_in', 'moved_in']);
function moveInByArgument(words: string[]): ChatCommand {
  const id = words.some((w) => /^L-?\d+$/i.test(w)) ? 'moved_in' : 'move_in';
  const command = CHAT_COMMANDS.find((c) => c.id === id);
  if (!command) throw new Error(`command table lacks ${id}`);
  return command;
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
