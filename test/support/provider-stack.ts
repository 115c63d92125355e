import { randomBytes } from 'node:crypto';
import type { DbHandle } from '../../db/client.ts';
import { createPeopleDirectory } from '../../db/people.ts';
import type { Clock } from '../../lib/clock.ts';
import { createPnrCrypto } from '../../lib/pnr-crypto.ts';
import type { IncomingMailHandler } from '../../mail/handler.ts';
import { withProviderReplies } from '../../mail/provider-replies.ts';
import { createCaseService } from '../../services/cases.ts';
import { providerMailHooks } from '../../services/provider-mail.ts';
import type { createProviderTokens } from '../../services/provider-tokens.ts';
import { importProviders } from '../../services/providers.ts';
import { readProvidersFile } from '../../services/providers-file.ts';
import { startMailStack, testLogger, type MailServices } from './mailbox.ts';
import { shippedRoutines } from './routines.ts';

/**
 * What the provider tests share, composed as main.ts composes it: the case service with the
 * providers' mail hooks, a register read from CSV lines, and the mailbox reading provider replies
 * (anything else is quarantined: these tests send no BB).
 */
export async function startProviderStack(opts: {
  handle: DbHandle;
  services: MailServices;
  bot: string;
  clock: Clock;
  tokens: ReturnType<typeof createProviderTokens>;
  /** The provider register as CSV lines, header first. */
  register: string[];
}) {
  const logger = testLogger();
  const caseService = createCaseService({ routines: shippedRoutines,
    db: opts.handle.db,
    directory: createPeopleDirectory,
    pnr: createPnrCrypto(randomBytes(32).toString('hex')),
    clock: opts.clock,
    logger,
    mailDomain: 'kommun.test',
    ...providerMailHooks(opts.tokens),
  });
  const file = readProvidersFile(opts.register.join('\n'), 'leverantorer.csv');
  if (!file.ok) throw new Error(JSON.stringify(file.problems));
  await importProviders(opts.handle.db, file.providers, 'test', opts.clock.now());
  const rejectBb: IncomingMailHandler = () => Promise.resolve({ outcome: 'quarantined', reason: 'not_planeringsledare' });
  const stack = startMailStack({
    handle: opts.handle,
    services: opts.services,
    bot: opts.bot,
    clock: opts.clock,
    handler: withProviderReplies({ engine: caseService.engine, tokens: opts.tokens, from: opts.bot, clock: opts.clock, logger }, rejectBb),
  });
  return { caseService, stack, logger };
}
