import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPeople } from '../../db/people.ts';
import { message, teamsUser } from '../support/bot-activities.ts';
import { startBotHarness, type BotHarness } from '../support/bot-harness.ts';
import { startTokenIssuer, type TokenIssuer } from '../support/bot-tokens.ts';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.ts';

const APP_ID = '11111111-2222-4333-8444-555555555555';
const user = teamsUser(1, 'Anna Andersson');

describe('/api/messages with an app id configured', () => {
  let connector: FakeConnector;
  let issuer: TokenIssuer;
  let h: BotHarness;

  beforeAll(async () => {
    connector = await startFakeConnector();
    issuer = await startTokenIssuer(connector);
    h = await startBotHarness({ engine: 'postgres', appId: APP_ID, metadataUrl: issuer.metadataUrl, connector });
    await upsertPeople(h.db.db, [{ id: 'p-anna', aadObjectId: user.aadObjectId, email: 'anna@kommun.se', name: 'Anna Andersson', roles: ['socialsekreterare'] }]);
  });
  afterAll(async () => {
    await h.stop();
    await connector.close();
  });

  const repliesSoFar = () => connector.sent.filter((s) => s.conversationId === user.conversationId).length;

  it('accepts a token signed by the published key for this app id and answers through the connector', async () => {
    const token = await issuer.sign({ aud: APP_ID, serviceUrl: connector.url });
    const res = await h.post(message(user, connector.url, 'hjälp'), token);
    expect(res.status).toBe(200);
    const [reply] = await connector.waitFor(user.conversationId, 1);
    expect(reply?.activity.text).toContain('mina uppgifter');
    expect(reply?.authorization).toBe('Bearer test-outbound');
  });

  it.each([
    ['no token', () => Promise.resolve(undefined)],
    ['a token signed by a key nobody published', async () => issuer.sign({ aud: APP_ID, serviceUrl: connector.url, key: 'unknown' })],
    ['a token for another app (wrong audience)', async () => issuer.sign({ aud: 'another-app', serviceUrl: connector.url })],
    ['an expired token', async () => issuer.sign({ aud: APP_ID, serviceUrl: connector.url, expiresInSeconds: -3600 })],
    ['a token that is not a JWT', () => Promise.resolve('not-a-jwt')],
  ])('answers 401 and runs no bot code for %s', async (_what, token) => {
    const before = repliesSoFar();
    const refsBefore = await h.db.query<{ n: number }>((await import('drizzle-orm')).sql`select count(*)::int as n from conversation_refs`);
    const res = await h.post(message(user, connector.url, 'mina uppgifter'), await token());
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(repliesSoFar()).toBe(before);
    const refsAfter = await h.db.query<{ n: number }>((await import('drizzle-orm')).sql`select count(*)::int as n from conversation_refs`);
    expect(refsAfter[0]?.n).toBe(refsBefore[0]?.n);
  });
});

describe('/api/messages without an app id', () => {
  it('answers 503 with an explanation when anonymous mode is not switched on', async () => {
    const { createHttpServer } = await import('../../bot/http-server.ts');
    const { createTeamsRuntime } = await import('../../bot/start.ts');
    const { loadConfig } = await import('../../config.ts');
    const { pino } = await import('pino');
    const { systemClock } = await import('../../lib/clock.ts');
    const logs: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
    const runtime = createTeamsRuntime({ config: loadConfig({ NODE_ENV: 'test' }), db: undefined as never, cases: undefined, people: undefined as never, coordination: undefined as never, providers: undefined, identity: undefined as never, substitutes: undefined as never, logger, clock: systemClock });
    const http = createHttpServer({ logger, health: () => Promise.resolve({ ok: true, detail: {} }), mount: runtime.mount });
    const { port } = await http.listen(0, '127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"message"}' });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { message: string }).message).toMatch(/MICROSOFT_APP_ID.*BOT_ALLOW_ANONYMOUS/);
    expect(logs.join('')).toContain('BOT_NOT_CONFIGURED');
    await http.close(100);
  });

  it('refuses anonymous mode in production', async () => {
    const { loadConfig } = await import('../../config.ts');
    expect(() => loadConfig({ NODE_ENV: 'production', BOT_ALLOW_ANONYMOUS: 'true', PNR_ENCRYPTION_KEY: 'a'.repeat(64) })).toThrow(/BOT_ALLOW_ANONYMOUS/);
  });
});
