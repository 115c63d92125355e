import { createRequire } from 'node:module';
import type { Express, NextFunction, Request, Response } from 'express';
import type { PeopleDirectory } from '../db/people.ts';
import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { parseQuarter, previousQuarter, quarterContaining, type Quarter } from '../domain/report/quarter.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { COORDINATOR_ROLES } from '../services/case-access.ts';
import type { IdentityService } from '../services/identity.ts';
import type { OverviewService } from '../services/overview.ts';
import { ejVerkstalldaReport, namndCsv, namndSummary, reportCsv, reportPdf, type ReportDeps } from '../services/report-ej-verkstallda.ts';
import type { TabAuthenticator } from './auth.ts';
import { CONFIG_SCRIPT, TAB_SCRIPT } from './client-script.ts';
import { configPage, isViewId, shellPage, STYLES, TAB_CSP, type ViewId } from './layout.ts';
import { areaView, leadTimesView, messageView, queueView, reportView, tasksView, timelineView } from './views.ts';

export type TabDeps = {
  /** Undefined when no SSO app is configured: the pages load, the data answers 503. */
  auth: TabAuthenticator | undefined;
  identity: Pick<IdentityService, 'resolve'>;
  overview: OverviewService;
  report: ReportDeps;
  people: PeopleDirectory;
  clock: Clock;
  logger: Logger;
};

type Person = { id: string };

const TEAMS_JS = createRequire(import.meta.url).resolve('@microsoft/teams-js');

function page(res: Response, type: string, body: string, cache = 'no-store'): void {
  res.set({ 'Content-Type': type, 'Content-Security-Policy': TAB_CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': cache, 'Referrer-Policy': 'no-referrer' });
  res.send(body);
}

/**
 * The overview tab: a page Teams frames, its static parts, and the views it fetches with a Teams
 * SSO token. A view is HTML rendered here from the same services chat uses; a request without a
 * valid token, or from someone the directory does not know, sees nothing.
 */
export function mountTabRoutes(app: Express, deps: TabDeps): void {
  app.get('/tab', (_req, res) => page(res, 'text/html; charset=utf-8', shellPage()));
  app.get('/tab/config', (_req, res) => page(res, 'text/html; charset=utf-8', configPage()));
  app.get('/tab/static/tab.css', (_req, res) => page(res, 'text/css; charset=utf-8', STYLES, 'public, max-age=300'));
  app.get('/tab/static/tab.js', (_req, res) => page(res, 'text/javascript; charset=utf-8', TAB_SCRIPT, 'public, max-age=300'));
  app.get('/tab/static/tab-config.js', (_req, res) => page(res, 'text/javascript; charset=utf-8', CONFIG_SCRIPT, 'public, max-age=300'));
  app.get('/tab/static/teams.js', (_req, res, next) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'public, max-age=3600' });
    res.type('text/javascript').sendFile(TEAMS_JS, (err) => err && next(err));
  });

  /** Every data route: the token, then the directory entry by object id and tenant, as chat does it. */
  const authed = (handler: (person: Person, req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
    void (async () => {
      if (!deps.auth) {
        page(res.status(503), 'text/plain; charset=utf-8', 'Översikten är inte konfigurerad: sätt TAB_SSO_CLIENT_ID (eller MICROSOFT_APP_ID).');
        return;
      }
      const caller = await deps.auth.verify(req.headers.authorization);
      if (!caller) {
        page(res.status(401), 'text/plain; charset=utf-8', 'Inloggningen kunde inte verifieras.');
        return;
      }
      const who = await deps.identity.resolve({ aadObjectId: caller.aadObjectId, tenantIds: [caller.tenantId], lookupEmail: () => Promise.resolve(undefined) });
      if (!who.ok) {
        // Unknown here is not a failed login: the person gets a page that shows nothing.
        page(res, 'text/html; charset=utf-8', messageView('Ingen åtkomst', 'Du finns inte i Boendelotsens personalkatalog. Skriv till Boendelotsen i chatten en gång, eller be administratören lägga in dig.'));
        return;
      }
      await handler({ id: who.person.id }, req, res);
    })().catch(next);
  };

  app.get('/tab/api/vy/:view', authed(async (person, req, res) => {
    const view = String(req.params.view);
    if (!isViewId(view)) {
      page(res.status(404), 'text/html; charset=utf-8', messageView('Okänd vy', 'Välj en vy i menyn.'));
      return;
    }
    page(res, 'text/html; charset=utf-8', await renderView(deps, view, person, req));
  }));

  app.get('/tab/api/arende/:ref', authed(async (person, req, res) => {
    const ref = String(req.params.ref).slice(0, 60).toUpperCase();
    const r = await deps.overview.timeline(person.id, ref);
    page(res, 'text/html; charset=utf-8', r.ok ? timelineView(r.view) : messageView('Ärendet kan inte visas', r.message));
  }));

  app.get('/tab/api/rapport/:file', authed(async (person, req, res) => {
    const file = String(req.params.file);
    const q = chosenQuarter(deps, req);
    if (!q || !['ej-verkstallda.csv', 'ej-verkstallda.pdf', 'namnd.csv'].includes(file)) {
      page(res.status(400), 'text/plain; charset=utf-8', 'Ange kvartal som ÅÅÅÅKn, t.ex. 2026K4.');
      return;
    }
    const scope = await reportScope(deps, person.id);
    if (!scope) {
      page(res.status(403), 'text/plain; charset=utf-8', 'Rapporten tas fram av verksamhetschef eller samordnare LSS/SoL.');
      return;
    }
    const actor = person.id;
    // File names carry the quarter only: never a reference, a name or a number.
    if (file === 'namnd.csv') {
      sendFile(res, `ej-verkstallda-namnd-${q.label}.csv`, 'text/csv; charset=utf-8', namndCsv(await namndSummary({ db: deps.report.db, clock: deps.clock, actor, scope }, q)));
      return;
    }
    const rows = await ejVerkstalldaReport({ ...deps.report, actor, scope }, q);
    if (file.endsWith('.csv')) sendFile(res, `ej-verkstallda-${q.label}.csv`, 'text/csv; charset=utf-8', reportCsv(rows));
    else sendFile(res, `ej-verkstallda-${q.label}.pdf`, 'application/pdf', await reportPdf(q, rows, stockholmDate(deps.clock.now())));
  }));
}

function sendFile(res: Response, name: string, type: string, body: string | Buffer): void {
  res.set({ 'Content-Type': type, 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.send(body);
}

/** The quarter asked for, else the one before today's (what is reported at the start of a quarter). */
function chosenQuarter(deps: TabDeps, req: Request): Quarter | undefined {
  const asked = typeof req.query.kvartal === 'string' ? req.query.kvartal : undefined;
  return asked === undefined ? previousQuarter(quarterContaining(stockholmDate(deps.clock.now()))) : parseQuarter(asked);
}

/** The per-decision report carries födelseår and kön: only a coordinator, for the cases of their areas they may see. */
async function mayReport(deps: TabDeps, personId: string): Promise<boolean> {
  const profile = await deps.people.profile(personId);
  return !!profile?.roles.some((r) => COORDINATOR_ROLES.includes(r));
}

async function reportScope(deps: TabDeps, personId: string) {
  return (await mayReport(deps, personId)) ? deps.overview.scopeOf(personId) : undefined;
}

async function renderView(deps: TabDeps, view: ViewId, person: Person, req: Request): Promise<string> {
  switch (view) {
    case 'uppgifter':
      return tasksView(await deps.overview.myTasks(person.id));
    case 'omrade':
      return areaView(await deps.overview.area(person.id));
    case 'ko':
      return queueView(await deps.overview.queue(person.id));
    case 'ledtider':
      return leadTimesView(await deps.overview.leadTimes(person.id));
    case 'ej-verkstallda': {
      const today = stockholmDate(deps.clock.now());
      const q = chosenQuarter(deps, req) ?? previousQuarter(quarterContaining(today));
      const choices: string[] = [];
      for (let c = quarterContaining(today), i = 0; i < 8; c = previousQuarter(c), i++) choices.push(c.label);
      // One read of the decisions serves the heads-up list, the report and the nämnd's counts.
      const { scope, tracked, approaching } = await deps.overview.approaching(person.id);
      const detailed = await mayReport(deps, person.id);
      const rows = detailed ? await ejVerkstalldaReport({ ...deps.report, actor: person.id, scope }, q, tracked) : null;
      const namnd = detailed ? await namndSummary({ db: deps.report.db, clock: deps.clock, actor: person.id, scope }, q, tracked) : null;
      return reportView({ quarter: q, choices, approaching, rows, namnd });
    }
  }
}
