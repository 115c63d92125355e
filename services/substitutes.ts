import { appendAudit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { enqueue } from '../db/outbox.ts';
import { addSubstitute, findPersonById, type PersonRow } from '../db/people.ts';
import { areasOf, inAreas } from '../domain/areas.ts';
import { addDays, isLocalDate, type LocalDate } from '../domain/calendar/local-date.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { ServiceResult } from './types.ts';

export type SubstituteServiceDeps = { db: Db; clock: Clock; logger: Logger; maxWeeks: number };

export type NameSubstituteInput = {
  /** Who is naming: the absent person, or their manager. */
  actorId: string;
  /** The absent person; the actor when left out. */
  absentId?: string | undefined;
  substitute: PersonRow;
  from: LocalDate;
  to: LocalDate;
  today: LocalDate;
};

/**
 * Substitutes within bounds: the absent person or their manager names someone holding one of the
 * absent person's roles (in one of their areas), for at most SUBSTITUTE_MAX_WEEKS. The absent
 * person, the substitute and the manager are told; the nomination is audited.
 */
export function createSubstituteService(deps: SubstituteServiceDeps) {
  const refuse = (message: string) => ({ ok: false, code: 'forbidden', message }) as const;
  const invalid = (message: string) => ({ ok: false, code: 'invalid_input', message }) as const;

  async function nameSubstitute(input: NameSubstituteInput): Promise<ServiceResult<{ message: string }>> {
    const { substitute, from, to, today } = input;
    const absentId = input.absentId ?? input.actorId;
    const absent = await findPersonById(deps.db, absentId);
    if (!absent) return invalid('Personen finns inte i personalkatalogen.');
    const byManager = input.actorId !== absent.id;
    if (byManager && absent.managerId !== input.actorId) return refuse(`Bara ${absent.name} själv eller hens chef kan namnge en ersättare.`);
    if (substitute.id === absent.id) return invalid(byManager ? 'Personen kan inte vara sin egen ersättare.' : 'Du kan inte vara din egen ersättare.');
    if (!isLocalDate(from) || !isLocalDate(to)) return invalid('Datumen kunde inte läsas. Skriv dem som ÅÅÅÅ-MM-DD.');
    if (from > to) return invalid('Perioden slutar före den börjar. Ange från–till i rätt ordning.');
    if (to < today) return invalid('Perioden har redan passerat.');
    const lastDay = addDays(from, deps.maxWeeks * 7 - 1);
    if (to > lastDay) return invalid(`En ersättare kan namnges för högst ${deps.maxWeeks} veckor åt gången (till och med ${lastDay}). Namnge en ny period efter det.`);
    const shared = substitute.roles.filter((r) => absent.roles.includes(r));
    if (shared.length === 0) return refuse(`${substitute.name} har ingen av rollerna som ${absent.name} har och kan inte vara ersättare.`);
    const absentAreas = areasOf(absent.area);
    if (absentAreas.length > 0 && !areasOf(substitute.area).some((a) => inAreas(a, absentAreas))) {
      return refuse(`${substitute.name} arbetar inte i ${absentAreas.join(' eller ')} och kan inte vara ersättare.`);
    }
    const now = deps.clock.now();
    const managerId = absent.managerId;
    await deps.db.transaction(async (tx) => {
      await addSubstitute(tx, { personId: absent.id, substituteId: substitute.id, fromDate: from, toDate: to, createdBy: input.actorId }, now);
      const key = `substitute:${absent.id}:${substitute.id}:${from}:${to}`;
      const tell = (personId: string, message: string) =>
        enqueue(tx, { channel: 'teams', dedupeKey: `teams:${key}:${personId}`, messageId: `teams:${key}:${personId}`, recipient: personId, caseRef: null, payload: { kind: 'info', caseRef: '', personId, message } }, now);
      await tell(substitute.id, `Du är ersättare för ${absent.name} ${from}–${to}. Uppgifter och påminnelser till ${absent.name} kommer till dig under perioden.`);
      if (byManager) await tell(absent.id, `${substitute.name} är din ersättare ${from}–${to}; din chef har namngett ersättaren.`);
      if (managerId && managerId !== input.actorId) await tell(managerId, `${substitute.name} är ersättare för ${absent.name} ${from}–${to}.`);
      await appendAudit(tx, { actor: input.actorId, action: 'substitute.set', detail: { absentId: absent.id, substituteId: substitute.id, from, to, byManager } }, now);
    });
    deps.logger.info({ code: 'SUBSTITUTE_SET', absentId: absent.id, substituteId: substitute.id, from, to }, 'substitute named');
    const whose = byManager ? `${absent.name}s ersättare` : 'din ersättare';
    return { ok: true, message: `✅ ${substitute.name} är ${whose} ${from}–${to}. Uppgifter och påminnelser går dit under perioden; du ser vad som gjorts.` };
  }

  return { nameSubstitute };
}

export type SubstituteService = ReturnType<typeof createSubstituteService>;
