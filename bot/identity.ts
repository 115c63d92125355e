import { TeamsInfo, TurnContext } from 'botbuilder';
import { findByAadId, findByEmail, linkAadObjectId, upsertConversationRef, type PersonRow } from '../db/people.ts';
import type { BotDeps } from './deps.ts';

/**
 * Who is writing, and remembering where to reach them. Teams gives the Entra object id on every
 * activity; the directory may only know the e-mail, so the first time we ask Teams for the member's
 * e-mail and link the two. Lookups are cached briefly: the directory changes by import, not per turn.
 */
export function createIdentity(deps: Pick<BotDeps, 'db' | 'logger' | 'clock'>) {
  const cache = new Map<string, { person: PersonRow; at: number }>();
  /** Conversation references already stored by this process (person → conversation key). */
  const stored = new Map<string, string>();
  const TTL_MS = 60_000;

  async function resolve(turn: TurnContext): Promise<PersonRow | undefined> {
    const from = turn.activity.from;
    const aad = from.aadObjectId?.toLowerCase();
    const key = aad ?? `id:${from.id}`;
    const hit = cache.get(key);
    if (hit && deps.clock.now().getTime() - hit.at < TTL_MS) return hit.person;
    let person = aad ? await findByAadId(deps.db, aad) : undefined;
    if (!person) {
      const email = await memberEmail(turn);
      if (email) person = await findByEmail(deps.db, email);
      if (person && aad && person.aadObjectId === null) {
        await linkAadObjectId(deps.db, person.id, aad);
        person = { ...person, aadObjectId: aad };
      }
    }
    if (person) cache.set(key, { person, at: deps.clock.now().getTime() });
    return person;
  }

  async function memberEmail(turn: TurnContext): Promise<string | undefined> {
    try {
      const member = await TeamsInfo.getMember(turn, turn.activity.from.id);
      return (member.email ?? member.userPrincipalName)?.toLowerCase();
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
    await upsertConversationRef(deps.db, person.id, reference, deps.clock.now());
    stored.set(person.id, where);
  }

  return { resolve, remember };
}

export type Identity = ReturnType<typeof createIdentity>;
