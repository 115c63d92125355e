import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
// Deep import: the package index also loads its AI planners, openai and the tokenizers, which the
// bot does not use (about a third of a second of every start).
import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter.js';

/**
 * teams-ai's adapter (a botbuilder CloudAdapter), with one addition: it runs a turn for a request
 * routes.ts has already authenticated, so a bad token is answered before any bot code runs and a
 * good one is not verified twice.
 */
export class BotAdapter extends TeamsAdapter {
  processAuthenticated(auth: AuthenticateRequestResult, activity: Activity, logic: (turn: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}
