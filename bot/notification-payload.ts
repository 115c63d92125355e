import { z } from 'zod';

/**
 * The payload of an outbox row on channel 'teams' (written by services/apply-effects.ts inside the
 * event's transaction). It names the step, not its content: the card is rendered at delivery from
 * the step's fresh state, so a retry an hour later never shows a stale "Klart" button.
 */
export const teamsNotification = z.object({
  kind: z.enum(['step_opened', 'step_completed', 'step_late', 'reminder', 'info']),
  /** Empty for a notice about no case (a substitute named). */
  caseRef: z.string(),
  stepKey: z.string().min(1).nullable().optional().transform((v) => v ?? null),
  personId: z.string().min(1),
  /** Swedish; case reference and facts only, never a name or personnummer. */
  message: z.string(),
});

export type TeamsNotificationPayload = z.output<typeof teamsNotification>;

/** The mail outbox payload (mail/ delivers it): used when a person cannot be reached in Teams. */
export type MailPayload = { to: string[]; subject: string; text: string; html: string; external?: boolean };
