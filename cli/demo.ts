import { stockholmDate } from '../domain/calendar/stockholm.ts';
import { localPnrKey } from '../lib/local-key.ts';
import { createLogger } from '../lib/logger.ts';
import { createPnrCrypto } from '../lib/pnr-crypto.ts';
import { DEMO_DOMAIN, loadDemoData, PLAYGROUND_USER } from '../services/demo-data.ts';
import { providerTokensFromConfig } from '../services/provider-tokens.ts';
import { loadCatalog } from './catalog.ts';
import type { CliCommand } from './types.ts';

/**
 * `demo`: fictional staff, providers, units, vacancies and a dozen cases, so that the Agents
 * Playground shows tasks, late steps and cards at once. Safe to run again; refused in production,
 * where invented people and cases would mix with real ones.
 */
export const demoCommand: CliCommand = {
  run: async (args, ctx) => {
    const { io, services } = ctx;
    if (!services) throw new Error('demo needs the database');
    if (args.length > 0) {
      io.stderr('Användning: boendelotsen demo\n');
      return 64;
    }
    const { config, handle, clock } = services;
    if (config.nodeEnv === 'production') {
      io.stderr('Demodata läses aldrig in när NODE_ENV=production: påhittade personer och ärenden skulle blandas med riktiga.\n');
      return 2;
    }
    const catalog = await loadCatalog(ctx, { today: stockholmDate(clock.now()) });
    if (!catalog) return 78;
    const summary = await loadDemoData({
      db: handle.db,
      routines: catalog,
      // The same keys the service seals with (the key ring), so the demo's cases are readable.
      pnr: services.crypto ?? createPnrCrypto(config.pnrKeyHex ?? localPnrKey(config.db.dataDir)),
      providerTokens: providerTokensFromConfig(config, clock),
      mailFrom: config.mail.from ?? `boendelotsen@${DEMO_DOMAIN}`,
      offerAnswerWorkingDays: config.coordination.offerAnswerWorkingDays,
      logger: createLogger({ level: 'warn', format: config.log.format, toStderr: true }),
      now: clock.now(),
    });
    io.stdout(
      [
        `Demodata inläst: ${summary.people} personer, ${summary.providers} leverantörer, ${summary.units} enheter.`,
        `Ärenden skapade: ${summary.casesCreated.length === 0 ? 'inga (alla fanns redan)' : summary.casesCreated.join(', ')}.`,
        summary.casesKept.length > 0 ? `Ärenden som redan fanns och lämnades orörda: ${summary.casesKept.join(', ')}.` : '',
        `Agents Playground chattar som ${PLAYGROUND_USER.name} (${PLAYGROUND_USER.email}), som har en roll i varje rutin.`,
        'Starta: npm run playground  — och skriv ”mina uppgifter” eller ”hjälp”.',
      ]
        .filter(Boolean)
        .join('\n') + '\n',
    );
    return 0;
  },
};
