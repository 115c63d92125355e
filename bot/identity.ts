import { TeamsInfo, TurnContext } from 'botbuilder';
import type { PersonRow } from '../db/people.ts';
import type { IdentityRefusal, IdentityService } from '../services/identity.ts';
import type { BotDeps } from './deps.ts';

/** The Swedish answer to each refusal; none says anything about who the directory holds. */
export const IDENTITY_REFUSAL_TEXT: Readonly<Record<IdentityRefusal, string>> = {
  foreign_tenant: 'Boendelotsen svarar bara användare i kommunens egen organisation i Microsoft 365.',
  no_object_id: 'Jag kan inte se vem du är i Microsoft 365, så jag kan inte visa uppgifter eller ärenden.',
  not_in_directory:
    'Du finns inte i Boendelotsens personalkatalog ännu, så jag kan inte visa uppgifter eller ärenden. Be administratören lägga till dig (npx boendelotsen users import).',
  identity_conflict:
    'Ditt Microsoft 365-konto stämmer inte med personalkatalogen (adressen hör till ett annat konto). Kontakta administratören; jag visar inga uppgifter eller ärenden så länge.',
};

/**
 * Who is writing, from what the verified activity says: the Entra object id and the tenant. The
 * roster's e-mail is asked for only when the object id is unknown. Known people are cached
 * briefly (the directory changes by import, not per turn), refusals never.
 */
export function createIdentity(deps: Pick<BotDeps, 'logger' | 'clock'> & { identity: IdentityService }) {
  const cache = new Map<string, { person: PersonRow; at: number }>();
  /** Conversation references already stored by this process (person → conversation key). */
  const stored = new Map<string, string>();
  const TTL_MS = 60_000;

  async function resolve(turn: TurnContext): Promise<{ ok: true; person: PersonRow } | { ok: false; reason: IdentityRefusal }> {
    const activity = turn.activity;
    const aad = activity.from.aadObjectId?.toLowerCase();
    const tenantIds = [activity.conversation.tenantId, (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id];
    const key = `${aad ?? ''}|${tenantIds.join('|')}`;
    const hit = cache.get(key);
    if (aad && hit && deps.clock.now().getTime() - hit.at < TTL_MS) return { ok: true, person: hit.person };
    const result = await deps.identity.resolve({ aadObjectId: aad, tenantIds, lookupEmail: () => memberEmail(turn) });
    if (result.ok) cache.set(key, { person: result.person, at: deps.clock.now().getTime() });
    return result;
  }

  async function memberEmail(turn: TurnContext): Promise<{ email: string; aadObjectId: string | undefined } | undefined> {
    try {
      const member = await TeamsInfo.getMember(turn, turn.activity.from.id);
      const email = (member.email ?? member.userPrincipalName)?.toLowerCase();
      return email ? { email, aadObjectId: member.aadObjectId } : undefined;
    } catch (err) {
      // Outside Teams (the Agents Playground) there is no roster to ask: the person stays unknown.
      deps.logger.debug({ code: 'BOT_MEMBER_LOOKUP_FAILED', err }, 'could not look up the member');
      return undefined;
    }
  }

  /** Stores the 1:1 conversation so the outbox can reach the person later; a channel is not a person. */
  async function remember(turn: TurnContext, person: PersonRow): Promise<void> {
    const conversation = turn.activity.conversation;
    if (conversation.conversationType !== undefined && conversation.conversationType !== 'personal') return;
    const reference = TurnContext.getConversationReference(turn.activity);
    const where = `${reference.serviceUrl ?? ''}|${conversation.id}`;
    if (stored.get(person.id) === where) return;
    await deps.identity.rememberConversation(person.id, reference);
    stored.set(person.id, where);
  }

  return { resolve, remember };
}

export type Identity = ReturnType<typeof createIdentity>;
