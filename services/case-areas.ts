import { appendAudit } from '../db/audit.ts';
import { setAreaIfUnset } from '../db/case-areas.ts';
import type { Db } from '../db/client.ts';

export { casesWithoutArea } from '../db/case-areas.ts';

/**
 * An administrator gives an area to a case that has none, so that the area's coordinators (and
 * only they) see it. A case that already has an area keeps it; audited.
 */
export async function assignCaseArea(db: Db, params: { caseRef: string; area: string; actor: string }, now: Date): Promise<{ ok: true } | { ok: false; message: string }> {
  const area = params.area.trim();
  if (area === '' || area.length > 100 || /[;|]/.test(area)) return { ok: false, message: 'Ange ett område (ett namn, högst 100 tecken).' };
  return db.transaction(async (tx) => {
    if (!(await setAreaIfUnset(tx, params.caseRef, area))) return { ok: false, message: `Ärendet ${params.caseRef} finns inte eller har redan ett område.` } as const;
    await appendAudit(tx, { actor: params.actor, action: 'case.area_set', caseRef: params.caseRef, detail: { area } }, now);
    return { ok: true } as const;
  });
}
