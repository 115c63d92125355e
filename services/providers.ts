import { appendAudit } from '../db/audit.ts';
import { setCaseProvider } from '../db/case-lookup.ts';
import type { Db } from '../db/client.ts';
import { findPersonById } from '../db/people.ts';
import {
  advanceRotation, closeInboxTask, confirmAssignment, findAssignment, findProviderById, findProviderByIdOrName,
  insertAssignment, listOpenInboxTasks, listProviders, lockRotation, setTakesNewCustomers, upsertProviders,
  type ProviderInboxTaskRow, type ProviderRow,
} from '../db/providers.ts';
import type { CaseState } from '../domain/engine/types.ts';
import { stepIdForHook, type RoutineHook } from '../domain/routines/hooks.ts';
import { nextInRotation } from '../domain/providers/rotation.ts';
import type { ProviderService } from '../domain/providers/services.ts';
import type { Clock } from '../lib/clock.ts';
import type { CaseEngine } from './case-service.ts';
import { loadCaseForUpdate, type CaseRow } from '../db/cases.ts';
import { enqueuePreNotice } from './provider-mail.ts';
import type { ProviderTokens } from './provider-tokens.ts';
import type { ProviderInput } from './providers-file.ts';
import type { ServiceRefusal, ServiceResult } from './types.ts';
import { noCase } from './case-access.ts';

export type ProviderServiceDeps = { db: Db; engine: CaseEngine; tokens: ProviderTokens; clock: Clock; mailFrom: string };

/** Who may edit the register in chat (DESIGN.md roles: samordnare LSS/SoL keeps provider matters). */
const PROVIDER_ADMIN_ROLE = 'samordnare_lss_sol';
const LOV: ProviderService = 'boendestod_lov';

const refuse = (code: ServiceRefusal['code'], message: string): ServiceRefusal => ({ ok: false, code, message });

/**
 * Writes a checked register file in one transaction: all rows or none. The file's order is the
 * ickeval rotation's order.
 */
export async function importProviders(db: Db, rows: ProviderInput[], by: string, now: Date): Promise<{ imported: number }> {
  await db.transaction(async (tx) => {
    await upsertProviders(tx, rows.map((r, i) => ({ ...r, position: i + 1, updatedAt: now, updatedBy: by })));
    await appendAudit(tx, { actor: by, action: 'providers.import', detail: { ids: rows.map((r) => r.id) } }, now);
  });
  return { imported: rows.length };
}

/**
 * The provider register, ickeval in turn, and the provider choice on a LOV case. Every change is
 * one transaction with its audit entry; chat and the CLI call these.
 */
export function createProviderService(deps: ProviderServiceDeps) {
  async function setNewCustomers(nameOrId: string, value: boolean, personId: string): Promise<ServiceResult<{ provider: ProviderRow }>> {
    const person = await findPersonById(deps.db, personId);
    if (!person?.roles.includes(PROVIDER_ADMIN_ROLE)) return refuse('forbidden', 'Bara samordnare LSS/SoL kan ändra i leverantörsregistret.');
    return deps.db.transaction(async (tx) => {
      const found = await findProviderByIdOrName(tx, nameOrId);
      if (!found) return refuse('not_found', `Leverantören ”${nameOrId}” finns inte i registret.`);
      const now = deps.clock.now();
      const provider = await setTakesNewCustomers(tx, found.id, value, personId, now);
      if (!provider) return refuse('not_found', `Leverantören ”${nameOrId}” finns inte i registret.`);
      await appendAudit(tx, { actor: personId, action: 'provider.takes_new_customers', detail: { providerId: found.id, value } }, now);
      return { ok: true, provider } as const;
    });
  }

  /** The case, locked, and the handläggare's right to act on it. */
  async function lockLovCase(tx: Db, caseRef: string, personId: string): Promise<{ row: CaseRow; state: CaseState } | ServiceRefusal> {
    const row = await loadCaseForUpdate(tx, caseRef);
    if (!row) return noCase(caseRef);
    const actor = await deps.engine.actorOn(tx, row, personId);
    // Nothing about the case (not even its routine) to someone without a role on it.
    if (actor.roles.length === 0) return noCase(caseRef);
    if (row.routineId !== 'boendestod-lov') return refuse('invalid_input', `Ärendet ${caseRef} är inte ett boendestödsärende (LOV).`);
    if (!actor.roles.includes('socialsekreterare')) return refuse('forbidden', `Bara handläggaren på ${caseRef} kan välja utförare.`);
    return { row, state: row.state as CaseState };
  }

  /**
   * Ickeval: proposes the next LOV provider in turn. The case row is locked first and then the
   * rotation row (always in that order, so two handläggare cannot deadlock); the rotation lock
   * makes two proposals at once take consecutive providers. Asking again for the same case shows
   * the same proposal instead of using up another turn.
   */
  async function proposeIckeval(caseRef: string, personId: string): Promise<ServiceResult<{ provider: ProviderRow; again: boolean }>> {
    return deps.db.transaction(async (tx) => {
      const locked = await lockLovCase(tx, caseRef, personId);
      if ('ok' in locked) return locked;
      if (openHookedStep(locked.row, locked.state, 'provider.ickeval') === undefined) {
        return refuse('step_not_open', `Ärendet ${caseRef} väntar inget ickeval: valperioden på två månader har inte gått ut, eller utförare är redan vald.`);
      }
      const existing = await findAssignment(tx, caseRef, 'ickeval');
      const existingProvider = existing ? await findProviderById(tx, existing.providerId) : undefined;
      if (existingProvider) return { ok: true, provider: existingProvider, again: true } as const;
      const now = deps.clock.now();
      const rotation = await lockRotation(tx, LOV, now);
      const all = (await listProviders(tx)).filter((p) => p.services.includes(LOV));
      const next = nextInRotation(all, rotation.lastProviderId);
      const provider = next ? all.find((p) => p.id === next.id) : undefined;
      if (!provider) return refuse('rule_not_met', 'Ingen LOV-utförare tar emot nya kunder just nu. Kontakta samordnaren.');
      // Compare-and-set behind the row lock: a writer that skipped the lock cannot advance twice.
      if (!(await advanceRotation(tx, { service: LOV, providerId: provider.id, expectedVersion: rotation.version, now }))) {
        throw new Error(`provider rotation for ${LOV} changed under its lock`);
      }
      await insertAssignment(tx, { caseRef, service: LOV, providerId: provider.id, kind: 'ickeval', status: 'proposed', proposedBy: personId, createdAt: now });
      await appendAudit(tx, { actor: personId, action: 'provider.ickeval.propose', caseRef, detail: { providerId: provider.id, after: rotation.lastProviderId } }, now);
      return { ok: true, provider, again: false } as const;
    });
  }

  /** The open step the routine file names for a hook (its own version of the routine), if any. */
  function openHookedStep(row: CaseRow, state: CaseState, hook: RoutineHook) {
    const def = deps.engine.routineOf(row);
    const stepId = def ? stepIdForHook(def, hook) : undefined;
    return stepId === undefined ? undefined : Object.values(state.steps).find((s) => s.stepId === stepId && s.status === 'open');
  }

  /** Sets the case's provider, completes the step and tells a provider of a new customer that the order is coming. */
  async function choose(tx: Db, caseRef: string, provider: ProviderRow, hook: 'provider.ickeval' | 'provider.choice', personId: string) {
    const ickeval = hook === 'provider.ickeval';
    const outcome = await deps.engine.applyIn(
      tx,
      caseRef,
      async (state, row, t) => {
        const step = openHookedStep(row, state, hook);
        if (!step) return refuse('step_not_open', ickeval ? `Ärendet ${caseRef} väntar inget ickeval.` : `Ärendet ${caseRef} väntar inte på den enskildes val av utförare.`);
        return { type: 'complete', stepKey: step.key, actor: await deps.engine.actorOn(t, row, personId), data: { provider: provider.name } };
      },
      { actor: personId, action: ickeval ? 'provider.ickeval.confirm' : 'provider.choice', detail: { providerId: provider.id } },
    );
    if (!outcome.ok) return outcome;
    const now = deps.clock.now();
    await setCaseProvider(tx, outcome.caseRow.id, provider.id);
    // A person moving from socialpsykiatri may keep their boendestödjare: then it is no new customer.
    const carried = outcome.before.facts.provider;
    if (typeof carried !== 'string' || carried.toLowerCase() !== provider.name.toLowerCase()) {
      await enqueuePreNotice(tx, deps.tokens, { row: { ...outcome.caseRow, provider: provider.id }, provider, from: deps.mailFrom, now });
    }
    return { ok: true, provider } as const;
  }

  async function confirmIckeval(caseRef: string, personId: string): Promise<ServiceResult<{ provider: ProviderRow }>> {
    return deps.db.transaction(async (tx) => {
      const proposal = await findAssignment(tx, caseRef, 'ickeval');
      const provider = proposal ? await findProviderById(tx, proposal.providerId) : undefined;
      if (!proposal || !provider) return refuse('invalid_input', `Inget förslag finns för ${caseRef}. Skriv först: leverantör ickeval ${caseRef}`);
      if (proposal.status !== 'proposed') return refuse('step_not_open', `Ickevalet för ${caseRef} är redan bekräftat (${provider.name}).`);
      const chosen = await choose(tx, caseRef, provider, 'provider.ickeval', personId);
      // Compare-and-set: of two confirmations at once the case lock lets one through; this guards the row too.
      if (chosen.ok && !(await confirmAssignment(tx, proposal.id, deps.clock.now()))) return refuse('conflict', `Ickevalet för ${caseRef} bekräftades just av någon annan.`);
      return chosen;
    });
  }

  /** The person's own choice within the two months. */
  async function registerChoice(caseRef: string, nameOrId: string, personId: string): Promise<ServiceResult<{ provider: ProviderRow }>> {
    return deps.db.transaction(async (tx) => {
      const provider = await findProviderByIdOrName(tx, nameOrId);
      if (!provider?.active || !provider.services.includes(LOV)) return refuse('not_found', `”${nameOrId}” är ingen aktiv LOV-utförare av boendestöd i registret.`);
      if (!provider.takesNewCustomers) return refuse('rule_not_met', `${provider.name} tar inte emot nya kunder just nu.`);
      const chosen = await choose(tx, caseRef, provider, 'provider.choice', personId);
      if (chosen.ok) await insertAssignment(tx, { caseRef, service: LOV, providerId: provider.id, kind: 'val', status: 'confirmed', proposedBy: personId, createdAt: deps.clock.now(), confirmedAt: deps.clock.now() });
      return chosen;
    });
  }

  /** Open provider replies the person must read; the listing is an audited read. */
  async function inboxTasks(personId: string): Promise<ProviderInboxTaskRow[]> {
    const tasks = await listOpenInboxTasks(deps.db, { assigneeId: personId });
    await appendAudit(deps.db, { actor: personId, action: 'provider.inbox.list', detail: { ids: tasks.map((t) => t.id) } }, deps.clock.now());
    return tasks;
  }

  async function closeTask(id: number, personId: string): Promise<ServiceResult<{ task: ProviderInboxTaskRow }>> {
    return deps.db.transaction(async (tx) => {
      const [open] = (await listOpenInboxTasks(tx, {})).filter((t) => t.id === id);
      if (!open) return refuse('not_found', `Det finns inget öppet leverantörssvar nummer ${id}.`);
      if (open.assigneeId !== personId) return refuse('forbidden', `Svaret nummer ${id} är tilldelat handläggaren på ${open.caseRef}.`);
      const now = deps.clock.now();
      const task = await closeInboxTask(tx, { id, by: personId, now });
      if (!task) return refuse('conflict', `Svaret nummer ${id} är redan hanterat.`);
      await appendAudit(tx, { actor: personId, action: 'provider.inbox.close', caseRef: task.caseRef, detail: { id } }, now);
      return { ok: true, task } as const;
    });
  }

  return { importProviders: (rows: ProviderInput[], by: string) => importProviders(deps.db, rows, by, deps.clock.now()), setNewCustomers, proposeIckeval, confirmIckeval, registerChoice, inboxTasks, closeTask, list: () => listProviders(deps.db) };
}

export type ProviderServices = ReturnType<typeof createProviderService>;
