import { appendAudit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { linkObjectIdIfUnset } from '../db/identity.ts';
import { findByAadId, findByEmail, upsertConversationRef, type PersonRow } from '../db/people.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';

/** What Teams told us about the speaker, after the token was verified. */
export type TeamsSpeaker = {
  /** The Entra object id from the activity (`from.aadObjectId`). */
  aadObjectId: string | undefined;
  /** The tenant the activity came from; both places Teams puts it, to catch a disagreement. */
  tenantIds: Array<string | undefined>;
  /** The e-mail or UPN the roster reports: a hint for a first link, never an identity. */
  lookupEmail: () => Promise<{ email: string; aadObjectId: string | undefined } | undefined>;
};

export type IdentityRefusal = 'foreign_tenant' | 'no_object_id' | 'not_in_directory' | 'identity_conflict';

export type IdentityResult = { ok: true; person: PersonRow } | { ok: false; reason: IdentityRefusal };

export type IdentityServiceDeps = { db: Db; clock: Clock; logger: Logger; allowedTenants: readonly string[] };

/**
 * Who is speaking in Teams: the Entra object id in an allowed tenant. A directory entry imported
 * without an object id may be linked once by the e-mail the roster reports; an entry already
 * linked to another object id is never handed to a new one (that would give the caller the other
 * person's cases, audit trail and notifications).
 */
export function createIdentityService(deps: IdentityServiceDeps) {
  const allowed = new Set(deps.allowedTenants.map((t) => t.toLowerCase()));

  function tenantAllowed(tenantIds: Array<string | undefined>): boolean {
    const seen = new Set(tenantIds.filter((t): t is string => typeof t === 'string' && t !== '').map((t) => t.toLowerCase()));
    // Two different tenants on one activity is not a state Teams produces: refuse it.
    if (seen.size > 1) return false;
    if (allowed.size === 0) return true;
    const [tenant] = [...seen];
    return tenant !== undefined && allowed.has(tenant);
  }

  async function resolve(speaker: TeamsSpeaker): Promise<IdentityResult> {
    if (!tenantAllowed(speaker.tenantIds)) {
      deps.logger.warn({ code: 'BOT_FOREIGN_TENANT', tenants: speaker.tenantIds.filter(Boolean) }, 'refused an activity from a tenant that is not allowed');
      return { ok: false, reason: 'foreign_tenant' };
    }
    const aad = speaker.aadObjectId?.trim().toLowerCase();
    if (!aad) {
      deps.logger.warn({ code: 'BOT_NO_OBJECT_ID' }, 'refused an activity without an Entra object id');
      return { ok: false, reason: 'no_object_id' };
    }
    const known = await findByAadId(deps.db, aad);
    if (known) return { ok: true, person: known };
    const hint = await speaker.lookupEmail();
    // The roster answering for someone else (a different object id) is no hint at all.
    if (!hint || (hint.aadObjectId !== undefined && hint.aadObjectId.toLowerCase() !== aad)) return { ok: false, reason: 'not_in_directory' };
    const entry = await findByEmail(deps.db, hint.email);
    if (!entry) return { ok: false, reason: 'not_in_directory' };
    if (entry.aadObjectId !== null) {
      deps.logger.warn({ code: 'BOT_IDENTITY_CONFLICT', personId: entry.id }, 'an e-mail matched a directory entry linked to another Entra object id; refused');
      await audit(entry.id, 'identity.conflict', { aadObjectId: aad });
      return { ok: false, reason: 'identity_conflict' };
    }
    const linked = await deps.db.transaction(async (tx) => {
      const done = await linkObjectIdIfUnset(tx, entry.id, aad);
      if (done) await appendAudit(tx, { actor: entry.id, action: 'identity.link', detail: { aadObjectId: aad } }, deps.clock.now());
      return done;
    });
    if (!linked) {
      // Someone else linked it between our read and our write: the same conflict as above.
      deps.logger.warn({ code: 'BOT_IDENTITY_CONFLICT', personId: entry.id }, 'the directory entry was linked to another Entra object id meanwhile; refused');
      return { ok: false, reason: 'identity_conflict' };
    }
    deps.logger.info({ code: 'BOT_IDENTITY_LINKED', personId: entry.id }, 'linked a directory entry to its Entra object id');
    return { ok: true, person: { ...entry, aadObjectId: aad } };
  }

  async function audit(actor: string, action: string, detail: Record<string, unknown>): Promise<void> {
    await appendAudit(deps.db, { actor, action, detail }, deps.clock.now());
  }

  /** Where the outbox reaches the person; only ever for the person the object id resolved to. */
  async function rememberConversation(personId: string, reference: unknown): Promise<void> {
    await upsertConversationRef(deps.db, personId, reference, deps.clock.now());
  }

  return { resolve, rememberConversation };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
