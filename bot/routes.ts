import type { Activity } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
import type { Express, Request, Response } from 'express';
import type { Logger } from '../lib/logger.ts';
import type { BotMode } from './auth-options.ts';
import type { TeamsBot } from './teams-app.ts';

const NOT_CONFIGURED = {
  error: 'BOT_NOT_CONFIGURED',
  message:
    'Teams-boten är inte konfigurerad: sätt MICROSOFT_APP_ID (och MICROSOFT_APP_PASSWORD), eller BOT_ALLOW_ANONYMOUS=true för lokal provkörning. / ' +
    'The Teams bot is not configured: set MICROSOFT_APP_ID (and MICROSOFT_APP_PASSWORD), or BOT_ALLOW_ANONYMOUS=true for local use.',
};

/** Says once, at start, how /api/messages is guarded; anonymous and disabled are never silent. */
export function logBotMode(logger: Logger, mode: BotMode): void {
  if (mode === 'anonymous') {
    logger.warn({ code: 'BOT_ANONYMOUS' }, 'BOT_ALLOW_ANONYMOUS=true: /api/messages accepts requests WITHOUT authentication (local use with the Agents Playground only)');
  } else if (mode === 'disabled') {
    logger.warn({ code: 'BOT_NOT_CONFIGURED' }, 'MICROSOFT_APP_ID is not set and anonymous mode is off: /api/messages answers 503');
  } else {
    logger.info({ code: 'BOT_AUTHENTICATED' }, 'Teams bot: every request to /api/messages must carry a valid Bot Framework token');
  }
}

/**
 * POST /api/messages. The request is authenticated here, before the adapter or any handler sees
 * it: an unauthenticated request gets 401 and runs no bot code. The adapter then gets the
 * authentication result, so the token is not checked twice.
 */
/** What the route needs of a bot (an echo bot on the same setup serves the bench as a baseline). */
export type RoutableBot = Pick<TeamsBot, 'mode' | 'auth' | 'adapter' | 'app'>;

export function mountBotRoutes(app: Express, bot: RoutableBot | undefined, logger: Logger): void {
  app.post('/api/messages', (req: Request, res: Response) => {
    if (!bot || bot.mode === 'disabled') {
      res.status(503).json(NOT_CONFIGURED);
      return;
    }
    void handle(bot, req, res, logger);
  });
}

async function handle(bot: RoutableBot, req: Request, res: Response, logger: Logger): Promise<void> {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || typeof (body as { type?: unknown }).type !== 'string') {
    res.status(400).json({ error: 'BAD_REQUEST', message: 'Begäran är ingen Bot Framework-aktivitet.' });
    return;
  }
  const activity = body as Activity;
  if (typeof activity.timestamp === 'string') activity.timestamp = new Date(activity.timestamp);
  const header = req.headers.authorization ?? '';
  let auth: AuthenticateRequestResult;
  try {
    auth = await bot.auth.authenticateRequest(activity, header);
  } catch (err) {
    // Whatever failed (no token, unknown key, wrong audience, expired, bad signature): 401.
    logger.warn({ code: 'BOT_UNAUTHORIZED', reason: err instanceof Error ? err.message.slice(0, 200) : 'unknown' }, 'rejected an unauthenticated request to /api/messages');
    if (!res.headersSent) res.status(401).json({ error: 'UNAUTHORIZED', message: 'Inloggningen kunde inte verifieras.' });
    return;
  }
  try {
    const invoke = await bot.adapter.processAuthenticated(auth, activity, (turn) => bot.app.run(turn).then(() => undefined));
    res.status(invoke?.status ?? 200);
    if (invoke?.body !== undefined) res.json(invoke.body);
    else res.end();
  } catch (err) {
    logger.error({ code: 'BOT_TURN_FAILED', err }, 'bot turn failed');
    if (!res.headersSent) res.status(500).json({ error: 'INTERNAL', message: 'Något gick fel hos Boendelotsen.' });
  }
}
