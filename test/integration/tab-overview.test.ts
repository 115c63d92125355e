import { sql } from 'drizzle-orm';
import { substitutes } from '../../db/schema/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROACHING, LEAD_DAYS, NOT_REPORTABLE, REPORTABLE, SARA_LATE_STEP, SCENARIO_NOW, seedOverviewScenario, STRANGER_AAD, TAB_STAFF } from '../support/overview-scenario.ts';
import { startTabHarness, type TabHarness } from '../support/tab-harness.ts';
import { FOREIGN_TENANT, TAB_RESOURCE } from '../support/tab-tokens.ts';
import { ENGINES } from '../support/test-db.ts';

describe.each(ENGINES)('the overview tab over HTTP with Teams SSO tokens (%s)', (engine) => {
  let t: TabHarness;
  const token = (who: keyof typeof TAB_STAFF) => t.issuer.sign({ oid: TAB_STAFF[who].aad });
  const view = async (name: string, who: keyof typeof TAB_STAFF) => {
    const res = await t.get(`/tab/api/vy/${name}`, await token(who));
    expect(res.status).toBe(200);
    return res.text();
  };
  const auditCount = async (actor: string) => (await t.db.query<{ n: number }>(sql`select count(*)::int as n from audit_log where actor = ${actor}`))[0]?.n ?? 0;

  beforeAll(async () => {
    t = await startTabHarness({ engine, now: SCENARIO_NOW });
    await seedOverviewScenario(t.db.db, t.crypto);
  });
  afterAll(() => t.stop());

  it('serves the page Teams frames, with the Teams library from node_modules and a strict content policy', async () => {
    const page = await t.get('/tab');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain('frame-ancestors https://teams.microsoft.com');
    const html = await page.text();
    expect(html).toContain('<html lang="sv">');
    expect(html).not.toMatch(/FF-20/);
    const lib = await t.get('/tab/static/teams.js');
    expect(lib.status).toBe(200);
    expect(await lib.text()).toContain('authentication');
    expect((await t.get('/tab/config')).status).toBe(200);
  });

  it('shows a verksamhetschef the late and coming steps of her area by person, with the escalation sent', async () => {
    const html = await view('omrade', 'vera');
    expect(html).toContain(REPORTABLE.notCarriedOut);
    expect(html).toContain(SARA_LATE_STEP);
    expect(html).toContain('Sara Socialsekreterare');
    expect(html).toContain('2027-01-08 till Erik Enhetschef');
    expect(html).toContain('Pia Planeringsledare');
    expect(html).toContain(REPORTABLE.carriedOutLate);
    expect(html).not.toContain(REPORTABLE.oster);
    expect(html).not.toContain('Steg i Öster');
    expect(html).toContain(APPROACHING);
  });

  it('shows a socialsekreterare only the cases she holds a role on, and her tasks', async () => {
    const area = await view('omrade', 'sara');
    expect(area).toContain(REPORTABLE.notCarriedOut);
    expect(area).not.toContain(REPORTABLE.oster);
    const tasks = await view('uppgifter', 'sara');
    expect(tasks).toContain(SARA_LATE_STEP);
    expect(tasks).toContain('försenad');
  });

  it('shows someone without a role on any case nothing, and someone outside the directory nothing at all', async () => {
    for (const name of ['omrade', 'uppgifter', 'ledtider', 'ej-verkstallda']) {
      const html = await view(name, 'olle');
      expect(html).not.toMatch(/FF-2026-08|KO-2026/);
    }
    const stranger = await t.get('/tab/api/vy/omrade', await t.issuer.sign({ oid: STRANGER_AAD }));
    expect(stranger.status).toBe(200);
    const text = await stranger.text();
    expect(text).toContain('Ingen åtkomst');
    expect(text).not.toMatch(/FF-2026|KO-2026/);
    const timeline = await t.get(`/tab/api/arende/${REPORTABLE.notCarriedOut}`, await token('olle'));
    expect(await timeline.text()).toContain('Hittar inget ärende');
  });

  it('refuses a token with the wrong audience, from another tenant, expired, signed by an unknown key, or none, with 401', async () => {
    const bad = [
      await t.issuer.sign({ oid: TAB_STAFF.vera.aad, aud: 'api://someone-else/123' }),
      await t.issuer.sign({ oid: TAB_STAFF.vera.aad, tid: FOREIGN_TENANT }),
      await t.issuer.sign({ oid: TAB_STAFF.vera.aad, expiresInSeconds: -600 }),
      await t.issuer.sign({ oid: TAB_STAFF.vera.aad, key: 'unknown' }),
      await t.issuer.sign({ oid: TAB_STAFF.vera.aad, issuer: 'https://login.microsoftonline.com/common/v2.0' }),
      `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ oid: TAB_STAFF.vera.aad, tid: '11111111-2222-3333-4444-555555555555' })).toString('base64url')}.`,
    ];
    for (const tok of bad) {
      const res = await t.get('/tab/api/vy/omrade', tok);
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain('FF-2026');
    }
    expect((await t.get('/tab/api/vy/omrade')).status).toBe(401);
    // The Application ID URI is an audience Teams may use too.
    expect((await t.get('/tab/api/vy/omrade', await t.issuer.sign({ oid: TAB_STAFF.vera.aad, aud: TAB_RESOURCE }))).status).toBe(200);
  });

  it('leaves an audit entry for every view, naming the cases it showed', async () => {
    for (const name of ['uppgifter', 'omrade', 'ko', 'ledtider', 'ej-verkstallda']) {
      const before = await auditCount(TAB_STAFF.vera.id);
      await view(name, 'vera');
      expect(await auditCount(TAB_STAFF.vera.id), name).toBeGreaterThan(before);
    }
    const before = await auditCount(TAB_STAFF.vera.id);
    await t.get(`/tab/api/arende/${REPORTABLE.notCarriedOut}`, await token('vera'));
    expect(await auditCount(TAB_STAFF.vera.id)).toBe(before + 1);
    const [area] = await t.db.query<{ detail: { caseRefs: string[] } }>(sql`select detail from audit_log where actor = ${TAB_STAFF.vera.id} and action = 'overview.area' order by id desc limit 1`);
    expect(area?.detail.caseRefs).toContain(REPORTABLE.notCarriedOut);
  });

  it('opens a case timeline the viewer may see', async () => {
    const res = await t.get(`/tab/api/arende/${REPORTABLE.notCarriedOut}`, await token('vera'));
    const html = await res.text();
    expect(html).toContain(`${REPORTABLE.notCarriedOut} A.A.`);
    expect(html).toContain(SARA_LATE_STEP);
  });

  it('gives lead times per routine step with median and 90th percentile, the chart and the table alike', async () => {
    const html = await view('ledtider', 'vera');
    expect(html).toMatch(/<td>Besluta om köp av ramavtalsplats<\/td><td class="num">3<\/td><td class="num">4<\/td><td class="num">10<\/td>/);
    expect(html).toContain('data-label="Besluta om köp av ramavtalsplats" data-series="median" data-value="4"');
    expect(html).toContain('data-label="Besluta om köp av ramavtalsplats" data-series="90:e percentil" data-value="10"');
    expect(html).toMatch(/<td>2026-12<\/td><td class="num">3<\/td><td class="num">1<\/td>/);
    expect(LEAD_DAYS).toHaveLength(3);
  });

  it('lists exactly the decisions built to be reportable for the verksamhetschef’s area, and lets her download them', async () => {
    const html = await view('ej-verkstallda', 'vera');
    for (const ref of [REPORTABLE.notCarriedOut, REPORTABLE.carriedOutLate, REPORTABLE.queued, REPORTABLE.interrupted]) expect(html).toContain(ref);
    for (const ref of [REPORTABLE.oster, ...Object.values(NOT_REPORTABLE)]) expect(html).not.toContain(ref);
    const csv = await t.get('/tab/api/rapport/ej-verkstallda.csv?kvartal=2026K4', await token('vera'));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="ej-verkstallda-2026K4.csv"');
    const text = await csv.text();
    expect(text.trim().split('\r\n')).toHaveLength(5);
    const pdf = await t.get('/tab/api/rapport/ej-verkstallda.pdf?kvartal=2026K4', await token('vera'));
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const namnd = await (await t.get('/tab/api/rapport/namnd.csv?kvartal=2026K4', await token('vera'))).text();
    expect(namnd).not.toMatch(/FF-2026|KO-2026|19\d\d|kvinna|man,/);
  });

  it('does not give the per-decision report to someone without a coordinator role', async () => {
    const res = await t.get('/tab/api/rapport/ej-verkstallda.csv?kvartal=2026K4', await token('sara'));
    expect(res.status).toBe(403);
    const html = await view('ej-verkstallda', 'sara');
    expect(html).not.toContain('Födelseår');
  });

  it('lists the tasks of someone the viewer stands in for, named as such (last: it adds an absence)', async () => {
    await t.db.db.insert(substitutes).values({ personId: TAB_STAFF.sara.id, substituteId: TAB_STAFF.pia.id, fromDate: '2027-01-10', toDate: '2027-01-20', createdBy: TAB_STAFF.sara.id, createdAt: SCENARIO_NOW });
    const html = await view('uppgifter', 'pia');
    expect(html).toContain(SARA_LATE_STEP);
    expect(html).toContain('ersättare för Sara Socialsekreterare');
  });
});
