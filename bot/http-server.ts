import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../lib/logger.ts';
import { errorCodes, toAppError } from '../lib/errors.ts';

/** The Bot Framework's activities are small; a card submit is a few kB. */
const MAX_BODY_BYTES = 1024 * 1024;

export type Health = () => Promise<{ ok: true; detail: Record<string, unknown> } | { ok: false; reason: string }>;

export type HttpServerDeps = {
  logger: Logger;
  health: Health;
  /** Later features (the bot's /api/messages, the tab) add their routes here. */
  mount?: (app: Express) => void;
};

export type HttpServer = {
  app: Express;
  listen: (port: number, host: string) => Promise<AddressInfo>;
  close: (timeoutMs: number) => Promise<void>;
};

export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const app = express();
  app.disable('x-powered-by');
  // The Bot Framework adapter reads req.body: the JSON parser must come before it.
  app.use(express.json({ limit: MAX_BODY_BYTES }));
  // A body that is not JSON or too large is the sender's fault: 400/413, and the log gets its
  // size only (body-parser's error carries the raw body, which may hold anything).
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    const type = (err as { type?: unknown } | null)?.type;
    if (type !== 'entity.parse.failed' && type !== 'entity.too.large') return next(err);
    const tooLarge = type === 'entity.too.large';
    const declared = Number(req.headers['content-length']);
    deps.logger.warn({ code: tooLarge ? 'BODY_TOO_LARGE' : 'BODY_MALFORMED', path: req.path, sizeBytes: Number.isFinite(declared) ? declared : null }, 'request body refused');
    res.status(tooLarge ? 413 : 400).json(tooLarge ? { error: 'BODY_TOO_LARGE', message: 'Begäran är för stor.' } : { error: 'BAD_REQUEST', message: errorCodes.BAD_REQUEST.message });
  });

  app.get('/healthz', (_req, res) => {
    deps.health().then(
      (h) => {
        if (h.ok) res.status(200).json({ status: 'ok', ...h.detail });
        else res.status(503).json({ status: 'unavailable', reason: h.reason });
      },
      (err: unknown) => {
        deps.logger.error({ code: 'HEALTH_CHECK_FAILED', err }, 'health check failed');
        res.status(503).json({ status: 'unavailable', reason: 'health check failed' });
      },
    );
  });

  deps.mount?.(app);

  // One place turns an error into an HTTP answer (STYLE.md §5); the user sees Swedish, the log a code.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const appError = toAppError(err);
    deps.logger.error({ code: appError.code, err: appError.cause ?? appError }, 'request failed');
    if (!res.headersSent) res.status(appError.status).json({ error: appError.code, message: appError.userMessage });
  });

  const server: Server = createServer(app);

  return {
    app,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    close: (timeoutMs) =>
      new Promise((resolve) => {
        if (!server.listening) return resolve();
        // Idle keep-alive sockets would hold close() open; in-flight requests get timeoutMs.
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
