import type { Clock } from '../../lib/clock.ts';
import { createDefaultMailHandler, type IncomingMailHandler } from '../../mail/handler.ts';
import { enqueueMail } from '../../db/outbox-mail.ts';
import { escapeHtml } from '../../lib/html.ts';

/**
 * Stands in for the BB handler so the
 * exactly-once properties can be proven end to end through main.ts. Senders whose address
 * starts with `pl.` count as planeringsledare; a subject containing [ej-bb] or [okänt-ärende]
 * is quarantined as not_a_bb or unknown_case; anything else is "distributed": one mail to each
 * of `distributeTo`, keyed on the incoming mail so a replay queues nothing new.
 */
export function createTestMailHandler(opts: { distributeTo: readonly string[]; from: string; clock: Clock }): IncomingMailHandler {
  return createDefaultMailHandler({
    findPlaneringsledare: (_tx, email) => Promise.resolve(email.startsWith('pl.') ? { id: email } : undefined),
    actOnBehovsbedomning: async (tx, mail) => {
      if (mail.subject.includes('[ej-bb]')) return { outcome: 'quarantined', reason: 'not_a_bb', missingFields: ['BB-poäng', 'Boendepris'] };
      if (mail.subject.includes('[okänt-ärende]')) return { outcome: 'quarantined', reason: 'unknown_case', caseRef: 'FF-2026-9999' };
      const ref = `${mail.key.mailbox}|${mail.key.uidValidity}|${mail.key.uid}`;
      for (const to of opts.distributeTo) {
        await enqueueMail(
          tx,
          {
            key: `test-distribution:${ref}:${to}`,
            to: [to],
            subject: 'Boendelotsen: behovsbedömning att fördela',
            text: `Fördelning av inkommet mejl ${mail.messageId ?? ''}`,
            html: `<p>Fördelning av inkommet mejl ${escapeHtml(mail.messageId ?? '')}</p>`,
          },
          { from: opts.from, now: opts.clock.now() },
        );
      }
      return { outcome: 'processed', reason: 'test_distribution' };
    },
  });
}
