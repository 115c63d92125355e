import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SentActivity = {
  method: 'POST' | 'PUT';
  conversationId: string;
  /** Set for a reply or an update. */
  activityId: string | undefined;
  authorization: string | undefined;
  activity: { type?: string; text?: string; attachments?: Array<{ contentType: string; content: Record<string, unknown> }>; [k: string]: unknown };
};

export type Member = { id: string; aadObjectId?: string; email?: string; userPrincipalName?: string; name?: string };

export type FakeConnector = {
  /** serviceUrl for activities: replies and proactive messages come back here. */
  url: string;
  sent: SentActivity[];
  /** Who Teams says is in a conversation (TeamsInfo.getMember). */
  members: Map<string, Member>;
  /** Extra routes (the OpenID configuration and key set in auth tests). */
  routes: Map<string, () => unknown>;
  /** Resolves when `count` activities have arrived in the conversation (proactive delivery is async). */
  waitFor: (conversationId: string, count: number, timeoutMs?: number) => Promise<SentActivity[]>;
  /** Make the next N posts to a conversation fail with this status (403: the user removed the app). */
  failNext: (conversationId: string, status: number, times?: number) => void;
  close: () => Promise<void>;
};

/**
 * The Bot Connector service on loopback: the one part of Teams a test cannot run. It records what
 * the bot sends and answers the member lookups the bot makes.
 */
export async function startFakeConnector(): Promise<FakeConnector> {
  const sent: SentActivity[] = [];
  const members = new Map<string, Member>();
  const routes = new Map<string, () => unknown>();
  const failures = new Map<string, { status: number; times: number }>();
  let counter = 0;

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await readBody(req);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const extra = routes.get(url.pathname);
    if (extra) return json(200, extra());
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && member) {
      const m = members.get(decodeURIComponent(member[2] ?? ''));
      return m ? json(200, m) : json(404, { error: { code: 'MemberNotFound', message: 'not found' } });
    }
    const act = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(url.pathname);
    if (act && (req.method === 'POST' || req.method === 'PUT')) {
      const conversationId = decodeURIComponent(act[1] ?? '');
      const failure = failures.get(conversationId);
      if (failure && failure.times > 0) {
        failure.times--;
        return json(failure.status, { error: { code: 'Forbidden', message: 'simulated' } });
      }
      sent.push({
        method: req.method,
        conversationId,
        activityId: act[2] ? decodeURIComponent(act[2]) : undefined,
        authorization: req.headers.authorization,
        activity: JSON.parse(body || '{}') as SentActivity['activity'],
      });
      return json(200, { id: `sent-${++counter}` });
    }
    json(404, { error: { code: 'NotFound', message: `${req.method ?? ''} ${url.pathname}` } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    sent,
    members,
    routes,
    failNext: (conversationId, status, times = 1) => failures.set(conversationId, { status, times }),
    waitFor: async (conversationId, count, timeoutMs = 10_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const got = sent.filter((s) => s.conversationId === conversationId);
        if (got.length >= count) return got;
        if (Date.now() > until) throw new Error(`expected ${count} activities in ${conversationId}, got ${got.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
