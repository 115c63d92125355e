import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPeople } from '../../db/people.ts';
import { message, teamsUser, type TeamsUser } from '../support/bot-activities.ts';
import { startBotHarness, type BotHarness } from '../support/bot-harness.ts';
import { startTokenIssuer, type TokenIssuer } from '../support/bot-tokens.ts';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.ts';
import { nextCaseRef } from '../support/case-fixtures.ts';

const APP_ID = '11111111-2222-4333-8444-555555555555';
const TENANT = 'tenant-1';
const anna = teamsUser(11, 'Anna Andersson');
/** Someone in the same tenant whose roster entry reports Anna's address, with an object id of their own. */
const probe = teamsUser(12, 'Prober');
/** Bert was imported without an object id; his first turn links it. */
const bert = teamsUser(13, 'Bert Berg');
const bertImpostor = teamsUser(14, 'Not Bert');

describe('who is speaking: the Entra object id in the allowed tenant', () => {
  let connector: FakeConnector;
  let issuer: TokenIssuer;
  let h: BotHarness;
  let caseRef: string;

  beforeAll(async () => {
    connector = await startFakeConnector();
    issuer = await startTokenIssuer(connector);
    h = await startBotHarness({ engine: 'postgres', appId: APP_ID, metadataUrl: issuer.metadataUrl, connector, env: { BOT_ALLOWED_TENANTS: TENANT } });
    await upsertPeople(h.db.db, [
      { id: 'p-anna', aadObjectId: anna.aadObjectId, email: 'anna@kommun.se', name: 'Anna Andersson', roles: ['socialsekreterare'], area: 'Väster' },
      { id: 'p-bert', aadObjectId: null, email: 'bert@kommun.se', name: 'Bert Berg', roles: ['planeringsledare'], area: 'Väster' },
    ]);
    caseRef = nextCaseRef();
    const started = await h.cases.startCase(
      { routineId: 'ramavtal-bb', phase: 'infor_kop', caseRef, clientInitials: 'E.B.', personnummer: '194001019803', legalBasis: 'LSS 9 § 9', area: 'Väster', roles: { socialsekreterare: 'p-anna' } },
      'p-anna',
    );
    expect(started.ok).toBe(true);
    connector.members.set(probe.id, { id: probe.id, aadObjectId: probe.aadObjectId, email: 'Anna@kommun.se', name: 'Prober' });
    connector.members.set(bert.id, { id: bert.id, aadObjectId: bert.aadObjectId, email: 'bert@kommun.se', name: 'Bert Berg' });
    connector.members.set(bertImpostor.id, { id: bertImpostor.id, aadObjectId: bertImpostor.aadObjectId, userPrincipalName: 'BERT@kommun.se', name: 'Not Bert' });
  });
  afterAll(async () => {
    await h.stop();
    await connector.close();
  });

  const token = () => issuer.sign({ aud: APP_ID, serviceUrl: connector.url });
  const inTenant = (user: TeamsUser, tenant: string, text: string) =>
    message(user, connector.url, text, { conversation: { id: user.conversationId, conversationType: 'personal', tenantId: tenant }, channelData: { tenant: { id: tenant } } });
  const count = async (query: ReturnType<typeof sql>) => (await h.db.query<{ n: number }>(query))[0]?.n ?? -1;
  const refsOf = (personId: string) => count(sql`select count(*)::int as n from conversation_refs where person_id = ${personId}`);
  const auditCount = (action: string) => count(sql`select count(*)::int as n from audit_log where action = ${action}`);
  async function reply(user: TeamsUser, activity: Record<string, unknown>): Promise<string> {
    const before = connector.sent.filter((s) => s.conversationId === user.conversationId).length;
    const res = await h.post(activity, await token());
    expect(res.status).toBe(200);
    const all = await connector.waitFor(user.conversationId, before + 1);
    return JSON.stringify(all[all.length - 1]?.activity ?? {});
  }

  it('answers the directory person whose object id the activity carries', async () => {
    const text = await reply(anna, inTenant(anna, TENANT, `ärende ${caseRef}`));
    expect(text).toContain(caseRef);
    expect(await refsOf('p-anna')).toBe(1);
  });

  it('refuses an activity from another tenant, even with a known object id, and stores nothing', async () => {
    const refsBefore = await count(sql`select count(*)::int as n from conversation_refs`);
    const text = await reply(anna, inTenant(anna, 'other-tenant', `ärende ${caseRef}`));
    expect(text).toContain('kommunens egen organisation');
    expect(text).not.toContain(caseRef);
    expect(await count(sql`select count(*)::int as n from conversation_refs`)).toBe(refsBefore);
  });

  it('refuses an activity whose two tenant fields disagree', async () => {
    const activity = message(anna, connector.url, 'mina uppgifter', { conversation: { id: anna.conversationId, conversationType: 'personal', tenantId: TENANT }, channelData: { tenant: { id: 'other-tenant' } } });
    expect(await reply(anna, activity)).toContain('kommunens egen organisation');
  });

  it('a probe reporting another person\'s e-mail with a new object id reads nothing and moves nothing', async () => {
    const refBefore = await h.db.query<{ reference: unknown }>(sql`select reference from conversation_refs where person_id = 'p-anna'`);
    const conflictsBefore = await auditCount('identity.conflict');
    const text = await reply(probe, inTenant(probe, TENANT, `ärende ${caseRef}`));
    expect(text).toContain('stämmer inte med personalkatalogen');
    expect(text).not.toContain(caseRef);
    expect(text).not.toContain('E.B.');
    const refAfter = await h.db.query<{ reference: unknown }>(sql`select reference from conversation_refs where person_id = 'p-anna'`);
    expect(refAfter).toEqual(refBefore);
    const [row] = await h.db.query<{ aad: string }>(sql`select aad_object_id as aad from people where id = 'p-anna'`);
    expect(row?.aad).toBe(anna.aadObjectId);
    expect(await auditCount('identity.conflict')).toBe(conflictsBefore + 1);
    // Asking again changes nothing either: a refusal is never cached as a person.
    expect(await reply(probe, inTenant(probe, TENANT, 'mina uppgifter'))).toContain('stämmer inte med personalkatalogen');
  });

  it('links an entry imported without an object id once, audited, and never to a second object id', async () => {
    const text = await reply(bert, inTenant(bert, TENANT, 'mina uppgifter'));
    expect(text).not.toContain('personalkatalog');
    const [row] = await h.db.query<{ aad: string }>(sql`select aad_object_id as aad from people where id = 'p-bert'`);
    expect(row?.aad).toBe(bert.aadObjectId);
    expect(await auditCount('identity.link')).toBe(1);
    const refused = await reply(bertImpostor, inTenant(bertImpostor, TENANT, 'mina uppgifter'));
    expect(refused).toContain('stämmer inte med personalkatalogen');
    const [still] = await h.db.query<{ aad: string }>(sql`select aad_object_id as aad from people where id = 'p-bert'`);
    expect(still?.aad).toBe(bert.aadObjectId);
    expect(await auditCount('identity.link')).toBe(1);
  });

  it('refuses an activity without an object id', async () => {
    const activity = inTenant(anna, TENANT, 'mina uppgifter');
    const from = { id: anna.id, name: anna.name };
    expect(await reply(anna, { ...activity, from })).toContain('kan inte se vem du är');
  });

  it.each([
    ['alg: none', () => issuer.forge('alg-none', { aud: APP_ID, serviceUrl: connector.url })],
    ['HS256 made with the published public key', () => issuer.forge('hs256-public-key', { aud: APP_ID, serviceUrl: connector.url })],
    ['a serviceurl claim that does not match the activity', () => issuer.sign({ aud: APP_ID, serviceUrl: 'https://smba.example.invalid/' })],
  ])('answers 401 and runs no bot code for %s', async (_what, forged) => {
    const sentBefore = connector.sent.length;
    const refsBefore = await count(sql`select count(*)::int as n from conversation_refs`);
    const auditBefore = await count(sql`select count(*)::int as n from audit_log`);
    const res = await h.post(inTenant(anna, TENANT, `ärende ${caseRef}`), await forged());
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(connector.sent.length).toBe(sentBefore);
    expect(await count(sql`select count(*)::int as n from conversation_refs`)).toBe(refsBefore);
    expect(await count(sql`select count(*)::int as n from audit_log`)).toBe(auditBefore);
  });
});
