import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../db/client.ts';
import { addDays } from '../../domain/calendar/local-date.ts';
import { stockholmDate } from '../../domain/calendar/stockholm.ts';
import { systemClock } from '../../lib/clock.ts';
import { createLogger } from '../../lib/logger.ts';
import { createPnrCrypto } from '../../lib/pnr-crypto.ts';
import { createProviderTokens } from '../../services/provider-tokens.ts';
import { loadDemoData, PLAYGROUND_USER } from '../../services/demo-data.ts';
import { generateCases, type GeneratedCase } from '../fixtures/bb-generator.ts';
import { startApp, type AppProcess } from '../support/app-process.ts';
import { createTestSender, readMessages, waitFor, type MailServices } from '../support/mailbox.ts';
import { openTeamsClient, startPlayground, type Playground, type TeamsClient } from '../support/teams-client.ts';
import { createPostgresDatabase } from '../support/test-db.ts';
import { shippedRoutines } from '../support/routines.ts';
import { GATEWAY_SERVID } from '../support/dkim.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PNR_KEY = 'd'.repeat(64);
const BOT = 'boendelotsen@example.com';
const ALEX = PLAYGROUND_USER.email;

type Ok = Extract<GeneratedCase['expected'], { ok: true }>;

/** A plain inför köp BB mail from the project's generator: its reference and personnummer drive the journey. */
async function pickBb(): Promise<{ c: GeneratedCase; bb: Ok['bb'] }> {
  const c = (await generateCases(1818, 200)).find((x) => {
    if (!x.expected.ok || x.wrapper !== 'mail') return false;
    const bb = x.expected.bb;
    return bb.kind === 'infor_kop' && bb.priceCheck === 'ok' && bb.exception === null && bb.legalBasis === 'LSS 9 § 9';
  });
  if (!c?.expected.ok) throw new Error('the generator gave no plain inför köp BB');
  return { c, bb: c.expected.bb };
}

/** The generated mail as the planeringsledare (Alex) sends it to the shared mailbox. */
function addressed(raw: Buffer, from: string, to: string): Buffer {
  const text = raw.toString('latin1');
  const split = text.search(/\r?\n\r?\n/);
  const head = text.slice(0, split).replace(/^(From|To|Cc):.*(\r?\n[ \t].*)*\r?\n?/gim, '');
  return Buffer.from(`From: ${from}\r\nTo: ${to}\r\n${head.trimEnd()}${text.slice(split)}`, 'latin1');
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'boendelotsen.js'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('end to end: the app as started in production, the Agents Playground as the Teams client', () => {
  const mail: MailServices = { imapPort: inject('mailImapPort'), smtpPort: inject('mailSmtpPort'), lmtpPort: inject('mailLmtpPort'), password: inject('mailPassword') };
  let env: Record<string, string>;
  let app: AppProcess;
  let playground: Playground;
  let client: TeamsClient;
  const sender = createTestSender(mail.smtpPort);

  beforeAll(async () => {
    const url = await createPostgresDatabase();
    env = {
      DATABASE_URL: url,
      PNR_ENCRYPTION_KEY: PNR_KEY,
      BOT_ALLOW_ANONYMOUS: 'true',
      // The app process has no test DNS: it trusts the test gateway's verdict, as behind a municipal gateway.
      MAIL_AUTH_SERVID: GATEWAY_SERVID,
      IMAP_HOST: '127.0.0.1', IMAP_PORT: String(mail.imapPort), IMAP_SECURE: 'false', IMAP_USER: BOT, IMAP_PASSWORD: mail.password, IMAP_POLL_INTERVAL_MS: '1000',
      SMTP_HOST: '127.0.0.1', SMTP_PORT: String(mail.smtpPort), MAIL_FROM: BOT, MAIL_INTERNAL_DOMAINS: 'example.com',
    };
    // `npx boendelotsen demo`'s data, loaded in-process on the same database and key.
    const handle = await createDb({ url, poolSize: 2 });
    try {
      await loadDemoData({ db: handle.db, routines: shippedRoutines, pnr: createPnrCrypto(PNR_KEY), providerTokens: createProviderTokens(Buffer.from(PNR_KEY, 'hex'), { clock: systemClock }), mailFrom: BOT, offerAnswerWorkingDays: 3, logger: createLogger({ level: 'silent', format: 'json' }), now: new Date() });
    } finally {
      await handle.close();
    }
    // Started as an operator starts it; SIGTERM to npm must reach the app (server tests prove it).
    app = await startApp(env, { command: 'npm-start', healthyWithinMs: 120_000 });
    playground = await startPlayground(app.baseUrl);
    client = await openTeamsClient(playground.url, 'e2e');
  });
  afterAll(async () => {
    await client?.close();
    await playground?.stop();
    await app?.stop();
    sender.close();
  });

  it('routine 1: ny placering on the card, Klart on the first steps, a BB by mail, the socialadministratör’s card, the copy without price, the timeline, a whole audit chain', async () => {
    const { c, bb } = await pickBb();
    const { step, say, card } = client;

    await step('hjälp visar grupperade kommandon', async () => {
      await say('hjälp');
      await client.reply(/dina roller/);
    });

    await step('ny placering på kortet', async () => {
      await say('ny placering');
      const form = await card('Ny placering');
      // Alex may start every routine: choose the purchase on ramavtal.
      await client.selectChoice(form, 'Ramavtal BmSS: behovsbedömning – Nytt avrop inför köp');
      await form.getByLabel(/Ärendereferens/).fill(bb.caseRef);
      await form.getByLabel(/Klientens initialer/).fill('T.T.');
      await form.getByLabel(/Personnummer/).fill(bb.client.personnummer);
      // The people pickers list the role's people in Alex's area; typing filters them.
      for (const role of ['socialsekreterare/handläggare', 'planeringsledare', 'socialadministratör', 'LINK-samordnare', 'enhetschef på myndighet']) {
        await client.pickPerson(form, role, 'Ale', new RegExp(`Alex Wilber \\(${ALEX}\\)`));
      }
      await form.getByRole('button', { name: 'Starta' }).click();
      const started = await card(`${bb.caseRef} är startat`);
      expect(await started.textContent()).toContain('Nästa steg');
    });

    await step('Klart på beslutet om köp', async () => {
      const task = await card(/Besluta om köp av ramavtalsplats[\s\S]*Klart|Klart[\s\S]*Besluta om köp/, 60_000);
      await client.fillDate(task, stockholmDate(new Date()));
      await task.getByRole('button', { name: 'Klart' }).click();
      await card(/Klart – markerat av Alex Wilber/);
    });

    await step('Klart på kontaktuppgifterna', async () => {
      const task = await card(/Ordna kontaktuppgifter/, 60_000);
      await client.selectChoice(task, 'korttidsboende');
      await task.getByRole('button', { name: 'Klart' }).click();
      await card(/Ordna kontaktuppgifter[\s\S]*Klart – markerat av Alex Wilber/);
    });

    await step('behovsbedömningen skickas med e-post', async () => {
      await sender.sendRaw({ from: ALEX, to: [BOT] }, addressed(c.bytes, ALEX, BOT));
    });

    await step('socialadministratörens kort kommer', async () => {
      await card(/Kontrollräkna/, 90_000);
    });

    await step('kopian utan pris mejlas', async () => {
      await waitFor('kopian utan pris i inkorgen', async () => (await readMessages(mail, ALEX)).some((m) => m.subject?.includes(bb.caseRef) && /utan pris/i.test(m.subject)), 60_000);
    });

    await step(`ärende visar tidslinjen`, async () => {
      await say(`ärende ${bb.caseRef}`);
      const timeline = await card(new RegExp(`${bb.caseRef}[\\s\\S]*✅`));
      expect(await timeline.textContent()).toContain('Besluta om köp av ramavtalsplats');
    });

    await step('audit verify godkänner kedjan', async () => {
      const r = await runCli(['audit', 'verify'], env);
      expect(r.code, r.out).toBe(0);
    });
  });

  it('routine 5: a vacancy, an offer, a decline with its reason, an acceptance, the move-in', async () => {
    const { step, say, reply } = client;
    const ref = 'E2E-501';
    const today = stockholmDate(new Date());
    let label = '';

    await step('ställ i kö', async () => {
      await say(`ställ i kö ${ref} K.L. ${addDays(today, -30)} LSS gruppbostad`);
      await reply(new RegExp(`${ref} K\\.L\\. står nu i`));
    });
    await step('ny ledig lägenhet', async () => {
      await say(`ny ledig ekbacken 3301 gruppbostad LSS ${today}`);
      const line = await reply(/Ledig lägenhet L\d+ registrerad/);
      label = /L\d+/.exec((await line.textContent()) ?? '')?.[0] ?? '';
      expect(label).not.toBe('');
    });
    await step('reservera och erbjud', async () => {
      await say(`reservera ${label} ${ref}`);
      await reply(new RegExp(`${label} är reserverad för ${ref}`));
      await say(`erbjud ${label}`);
      await reply(new RegExp(`${label} är erbjuden till ${ref}`));
    });
    await step('tackat nej med orsak', async () => {
      await say(`tackat nej ${label} vill bo närmare familjen`);
      await reply(new RegExp(`Tackat nej registrerat för ${ref}`));
    });
    await step('erbjuds igen och tackar ja', async () => {
      await say(`reservera ${label} ${ref}`);
      await reply(new RegExp(`${label} är reserverad för ${ref}[\\s\\S]*`));
      await say(`erbjud ${label}`);
      await say(`tackat ja ${label} ${today}`);
      await reply(new RegExp(`${label} är bokad för ${ref}`));
    });
    await step('beställt och inflyttad', async () => {
      await say(`beställt ${label}`);
      await reply(new RegExp(`Beställningarna för ${ref}`));
      await say(`inflyttad ${label} ${today}`);
      await reply(new RegExp(`Inflyttning ${today} bekräftad för ${ref}`));
    });
  });
});
