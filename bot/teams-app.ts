import { ActivityTypes, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
// Deep imports: see bot/adapter.ts (the package index loads openai and the tokenizers too).
import { Application } from '@microsoft/teams-ai/lib/Application.js';
import { TurnState } from '@microsoft/teams-ai/lib/TurnState.js';
import { BotAdapter } from './adapter.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import type { PersonRow } from '../db/people.ts';
import { botAuthOptions, botMode, type BotMode } from './auth-options.ts';
import { CHAT_COMMANDS, parseCommand, unknownCommandText } from './commands.ts';
import type { BotDeps } from './deps.ts';
import { caseActions } from './handlers/case-events.ts';
import { changedNeedAction } from './handlers/changed-need.ts';
import { completeAction } from './handlers/complete.ts';
import { COORDINATION_CARD_ACTIONS } from './handlers/coordination-actions.ts';
import { startCaseAction } from './handlers/placement.ts';
import { snoozeAction } from './handlers/snooze.ts';
import { setSubstituteAction } from './handlers/substitute.ts';
import { createIdentity, IDENTITY_REFUSAL_TEXT } from './identity.ts';
import type { IdentityService } from '../services/identity.ts';
import { searchPeople } from '../services/people-search.ts';
import type { CardAction } from './invoke.ts';
import { createDeliverer } from './proactive.ts';
import { errorSentence, sendText } from './reply.ts';
import { createStepLookup } from './step-lookup.ts';

export type TeamsBotDeps = Pick<BotDeps, 'config' | 'db' | 'cases' | 'people' | 'logger' | 'clock' | 'coordination' | 'providers' | 'substitutes'> &
  Partial<Pick<BotDeps, 'steps' | 'routines' | 'startable'>> & {
    /** Where outbound tokens come from; tests give one that needs no Entra ID. */
    credentialsFactory?: ServiceClientCredentialsFactory;
    /** Who is speaking (Entra object id in an allowed tenant); main.ts builds it. */
    identity: IdentityService;
  };

const CARD_ACTIONS: CardAction[] = [completeAction, startCaseAction, setSubstituteAction, changedNeedAction, snoozeAction, ...caseActions, ...COORDINATION_CARD_ACTIONS];

/** Commands whose answer holds nothing about a case or a person; everything else only in a 1:1 chat. */
const ANSWERED_IN_ANY_CHAT = new Set(['help']);

/**
 * Inre sekretess holds within the authority too: a case's timeline, holders and tasks are shown
 * only in the person's own chat with the bot, never where a team or a group reads along.
 */
function inPersonalChat(turn: TurnContext): boolean {
  const type = turn.activity.conversation.conversationType;
  return type === undefined || type === 'personal';
}

const OUTSIDE_PERSONAL_CHAT =
  'Ärenden och uppgifter visar jag bara i din personliga chatt med Boendelotsen, inte i en kanal eller gruppchatt där andra läser. Öppna chatten med Boendelotsen och skriv där.';

/** The Teams bot: a teams-ai Application on botbuilder's CloudAdapter, plus the outbox deliverer. */
export function createTeamsBot(input: TeamsBotDeps) {
  const deps: BotDeps = {
    ...input,
    steps: input.steps ?? createStepLookup(input.db),
    routines: input.routines ?? input.cases.routines.find,
    startable: input.startable ?? (() => input.cases.routines.latest),
  };
  const mode: BotMode = botMode(deps.config.bot);
  const options = botAuthOptions(deps.config.bot);
  const adapter = new BotAdapter(options, input.credentialsFactory);
  // The same settings as the adapter's own: routes.ts authenticates before any bot code runs.
  const auth = new ConfigurationBotFrameworkAuthentication(options, input.credentialsFactory);
  const app = new Application<TurnState>({ adapter, botAppId: deps.config.bot.appId ?? '', removeRecipientMention: true, startTypingTimer: false, longRunningMessages: false });
  const identity = createIdentity({ ...deps, identity: input.identity });
  const today = () => stockholmDate(deps.clock.now());

  function refuseOutsidePersonalChat(turn: TurnContext): string {
    deps.logger.info({ code: 'BOT_NOT_PERSONAL_CHAT', conversationType: turn.activity.conversation.conversationType }, 'case content asked for outside a personal chat');
    return OUTSIDE_PERSONAL_CHAT;
  }

  /** Runs a handler for a known person; a thrown error becomes a Swedish sentence, never silence. */
  async function asPerson(turn: TurnContext, what: string, run: (person: PersonRow) => Promise<void>): Promise<void> {
    try {
      const who = await identity.resolve(turn);
      if (!who.ok) return await sendText(turn, IDENTITY_REFUSAL_TEXT[who.reason]);
      await identity.remember(turn, who.person);
      await run(who.person);
    } catch (err) {
      await sendText(turn, errorSentence(deps.logger, err, what));
    }
  }

  app.activity(ActivityTypes.InstallationUpdate, async (turn) => {
    if (turn.activity.action !== 'add' && turn.activity.action !== 'add-upgrade') return;
    await asPerson(turn, 'registrera installationen', () => sendText(turn, 'Hej! Jag är Boendelotsen. Här får du dina uppgifter i rutinerna. Skriv **hjälp** för att se vad jag kan.'));
  });

  app.conversationUpdate('membersAdded', async (turn) => {
    const added = turn.activity.membersAdded ?? [];
    // The bot itself being added (install in a chat) is when we learn where to reach the person.
    if (!added.some((m) => m.id === turn.activity.recipient.id)) return;
    try {
      const who = await identity.resolve(turn);
      if (who.ok) await identity.remember(turn, who.person);
    } catch (err) {
      deps.logger.warn({ code: 'BOT_CONVERSATION_REF_FAILED', err }, 'could not store the conversation reference');
    }
  });

  for (const action of CARD_ACTIONS) {
    app.adaptiveCards.actionExecute(action.verb, async (turn, _state, data: Record<string, unknown>) => {
      // Everyone in a channel or group chat would see the card that replaces this one.
      if (!inPersonalChat(turn)) return refuseOutsidePersonalChat(turn);
      try {
        const who = await identity.resolve(turn);
        if (!who.ok) return IDENTITY_REFUSAL_TEXT[who.reason];
        await identity.remember(turn, who.person);
        return await action.run({ turn, person: who.person, data, deps, today: today() });
      } catch (err) {
        return errorSentence(deps.logger, err, action.what);
      }
    });
  }

  // The people picker's typeahead (Data.Query): results only for a known person, from their areas.
  app.adaptiveCards.search(
    (turn) => Promise.resolve(turn.activity.type === 'invoke' && turn.activity.name === 'application/search'),
    async (turn, _state, query) => {
      try {
        const who = await identity.resolve(turn);
        if (!who.ok) return [];
        return await searchPeople(deps.db, who.person, { dataset: String(query.parameters.dataset), text: String(query.parameters.queryText), skip: query.skip, count: query.count });
      } catch (err) {
        deps.logger.error({ code: 'BOT_SEARCH_FAILED', err }, 'people search failed');
        return [];
      }
    },
  );

  // The catch-all message route comes last: teams-ai takes the first route that matches.
  app.activity(ActivityTypes.Message, async (turn) => {
    await asPerson(turn, 'svara', async (person) => {
      const text = (turn.activity.text ?? '').trim();
      const parsed = parseCommand(text);
      if (!parsed.command) return sendText(turn, unknownCommandText(parsed.suggestions));
      if (!inPersonalChat(turn) && !ANSWERED_IN_ANY_CHAT.has(parsed.command.id)) return sendText(turn, refuseOutsidePersonalChat(turn));
      deps.logger.debug({ code: 'BOT_COMMAND', command: parsed.command.id, personId: person.id }, 'chat command');
      await parsed.command.run({ turn, person, words: parsed.words, deps, today: today() });
    });
  });

  app.error(async (turn, err) => {
    deps.logger.error({ code: 'BOT_TURN_FAILED', err, activityType: turn.activity.type }, 'bot turn failed');
    await Promise.resolve();
  });

  return { app, adapter, auth, mode, deps, deliver: createDeliverer(deps, adapter), commands: CHAT_COMMANDS };
}

export type TeamsBot = ReturnType<typeof createTeamsBot>;
