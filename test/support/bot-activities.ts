import { randomUUID } from 'node:crypto';

/** A Teams user as activities name them: the Teams id, and the Entra object id. */
export type TeamsUser = { id: string; aadObjectId: string; name: string; conversationId: string };

export function teamsUser(n: number, name = `Person ${n}`): TeamsUser {
  const aad = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return { id: `29:user-${n}`, aadObjectId: aad, name, conversationId: `a:personal-${n}` };
}

function base(user: TeamsUser, serviceUrl: string) {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: user.id, aadObjectId: user.aadObjectId, name: user.name },
    recipient: { id: '28:boendelotsen', name: 'Boendelotsen' },
    conversation: { id: user.conversationId, conversationType: 'personal', tenantId: 'tenant-1' },
    channelData: { tenant: { id: 'tenant-1' } },
  };
}

export function message(user: TeamsUser, serviceUrl: string, text: string, extra: Record<string, unknown> = {}) {
  return { ...base(user, serviceUrl), type: 'message', text, ...extra };
}

/** A press on an Action.Execute button: the card's inputs merged into the action's data. */
export function cardAction(user: TeamsUser, serviceUrl: string, verb: string, data: Record<string, unknown>) {
  return {
    ...base(user, serviceUrl),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: 'card-activity-1',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

export function installed(user: TeamsUser, serviceUrl: string) {
  return { ...base(user, serviceUrl), type: 'installationUpdate', action: 'add' };
}

export function botAdded(user: TeamsUser, serviceUrl: string) {
  return { ...base(user, serviceUrl), type: 'conversationUpdate', membersAdded: [{ id: '28:boendelotsen' }, { id: user.id }] };
}
