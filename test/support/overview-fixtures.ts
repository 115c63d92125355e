import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { caseRoles, cases, caseSteps, offers, queueEntries, remindersSent, units, vacancies } from '../../db/schema/index.ts';
import { luhnCheckDigit } from '../../domain/behovsbedomning/personnummer.ts';
import type { FactValue } from '../../domain/engine/types.ts';
import type { PnrCrypto } from '../../lib/pnr-crypto.ts';

/** A valid 12-digit personnummer; `female` sets the second last digit even. */
export function personnummer(birth: string, serial: number, female: boolean): string {
  const nnn = String(serial * 2 + (female ? 0 : 1)).padStart(3, '0').slice(-3);
  const nine = `${birth.slice(2)}${nnn}`;
  return `${birth}${nnn}${luhnCheckDigit(nine)}`;
}

export type CaseSpec = {
  caseRef: string;
  routineId: string;
  initials?: string;
  pnr?: string;
  legalBasis?: string;
  area?: string | null;
  status?: 'open' | 'closed';
  facts?: Record<string, FactValue>;
  roles?: Record<string, string>;
  closedAt?: string;
  closeReason?: string;
  createdAt?: Date;
};

/** A case row as the engine leaves it: the state jsonb with the routine's facts, the roles, the sealed personnummer. */
export async function insertCase(db: Db, crypto: PnrCrypto, s: CaseSpec): Promise<number> {
  const at = s.createdAt ?? new Date('2026-01-05T09:00:00Z');
  const state = {
    caseRef: s.caseRef, routineId: s.routineId, routineVersion: 1, status: s.status ?? 'open', openedAt: at.toISOString(), closedAt: s.closedAt ?? null, closeReason: s.closeReason ?? null,
    phases: [], facts: s.facts ?? {}, roles: s.roles ?? {}, steps: {}, rounds: {}, timers: {}, seq: 0,
  };
  const pnr = s.pnr ?? personnummer('19600101', 1, true);
  const [row] = await db
    .insert(cases)
    .values({
      caseRef: s.caseRef, routineId: s.routineId, routineVersion: 1, status: s.status ?? 'open', clientInitials: s.initials ?? 'E.B.', pnrCipher: crypto.encrypt(pnr), pnrHash: crypto.lookupHash(pnr),
      legalBasis: s.legalBasis ?? 'LSS 9 § 9', area: s.area === undefined ? 'Väster' : s.area, state, createdAt: at, updatedAt: at,
    })
    .returning({ id: cases.id });
  if (!row) throw new Error('case not inserted');
  const roles = Object.entries(s.roles ?? {});
  if (roles.length > 0) await db.insert(caseRoles).values(roles.map(([role, personId]) => ({ caseId: row.id, role, personId })));
  return row.id;
}

export type StepSpec = { caseId: number; stepId: string; title: string; role: string; due?: string | null; status?: 'open' | 'done'; openedAt: Date; completedAt?: Date; seq?: number; key?: string };

export async function insertStep(db: Db, s: StepSpec): Promise<void> {
  await db.insert(caseSteps).values({
    caseId: s.caseId, stepKey: s.key ?? s.stepId, stepId: s.stepId, title: s.title, role: s.role, status: s.status ?? 'open', seq: s.seq ?? 1, due: s.due ?? null, openedAt: s.openedAt,
    completedAt: s.completedAt ?? null, completedBy: s.completedAt ? 'p-test' : null,
  });
}

export async function insertEscalation(db: Db, caseId: number, stepKey: string, recipient: string, sentAt: Date): Promise<void> {
  await db.insert(remindersSent).values({ caseId, stepKey, level: 'escalation', recipient, sentAt });
}

/** A decision in the queue (routine 5) with its offers; declined ones carry their reason. */
export async function insertQueuedDecision(
  db: Db,
  q: { caseRef: string; initials: string; decisionDate: string; area: string; legalBasis?: string; status?: string; offers?: Array<{ reservedAt: Date; status: string; declineReason?: string; actualMoveIn?: string }> },
): Promise<number> {
  await db.insert(units).values({ id: 'Solrosen', name: 'Solrosen', area: q.area, landlordEmail: 'hyresvard@kommun.example' }).onConflictDoNothing();
  const [entry] = await db
    .insert(queueEntries)
    .values({ caseRef: q.caseRef, clientInitials: q.initials, kind: 'decision', decisionDate: q.decisionDate, legalBasis: q.legalBasis ?? 'LSS 9 § 9', housingKind: 'gruppbostad', area: q.area, status: q.status ?? 'active', registeredBy: 'p-sara', registeredAt: new Date(`${q.decisionDate}T10:00:00Z`) })
    .returning({ id: queueEntries.id });
  if (!entry) throw new Error('queue entry not inserted');
  for (const [i, o] of (q.offers ?? []).entries()) {
    const [v] = await db
      .insert(vacancies)
      .values({ unitId: 'Solrosen', apartment: `${q.caseRef}-${i}`, housingKind: 'gruppbostad', legalBasis: 'LSS 9 § 9', area: q.area, freeFrom: '2026-08-01', status: o.status === 'moved_in' ? 'occupied' : 'vacant', registeredBy: 'p-erik', registeredAt: o.reservedAt, updatedAt: o.reservedAt })
      .returning({ id: vacancies.id });
    if (!v) throw new Error('vacancy not inserted');
    await db.insert(offers).values({ vacancyId: v.id, queueEntryId: entry.id, status: o.status, reservedBy: 'p-sara', reservedAt: o.reservedAt, declineReason: o.declineReason ?? null, actualMoveIn: o.actualMoveIn ?? null, updatedAt: o.reservedAt });
  }
  return entry.id;
}

/** Many cases fast (the benchmark): one multi-row insert per batch for cases, roles and steps. */
export async function insertManyCases(db: Db, crypto: PnrCrypto, n: number, opts: { holders: string[]; areas: string[]; today: string }): Promise<void> {
  const batch = 500;
  const cipher = crypto.encrypt(personnummer('19600101', 1, true));
  for (let start = 0; start < n; start += batch) {
    const count = Math.min(batch, n - start);
    const values = Array.from({ length: count }, (_, k) => {
      const i = start + k;
      const at = new Date(Date.UTC(2026, 0, 1 + (i % 300), 9));
      return {
        caseRef: `BENCH-${String(i).padStart(6, '0')}`, routineId: i % 3 === 0 ? 'extern-placering' : 'ramavtal-bb', routineVersion: 1, status: 'open', clientInitials: 'A.B.', pnrCipher: cipher, pnrHash: null,
        legalBasis: 'LSS 9 § 9', area: opts.areas[i % opts.areas.length] ?? null,
        state: { facts: i % 3 === 0 ? { auDecisionOn: at.toISOString().slice(0, 10), auApproved: true } : { purchaseDecidedOn: at.toISOString().slice(0, 10), ...(i % 2 === 0 ? { moveInDate: '2026-12-01' } : {}) } },
        createdAt: at, updatedAt: at,
      };
    });
    const ids = await db.insert(cases).values(values).returning({ id: cases.id });
    await db.insert(caseRoles).values(ids.flatMap((r, k) => [{ caseId: r.id, role: 'socialsekreterare', personId: opts.holders[(start + k) % opts.holders.length] ?? 'p-x' }]));
    await db.insert(caseSteps).values(
      ids.flatMap((r, k) => {
        const i = start + k;
        const opened = new Date(Date.UTC(2026, 0, 1 + (i % 300), 9));
        const done = new Date(opened.getTime() + ((i % 20) + 1) * 86_400_000);
        const due = new Date(opened.getTime() + 10 * 86_400_000).toISOString().slice(0, 10);
        return [
          { caseId: r.id, stepKey: 'beslut_kop', stepId: 'beslut_kop', title: 'Besluta om köp av ramavtalsplats', role: 'enhetschef_myndighet', status: 'done', seq: 1, due, openedAt: opened, completedAt: done },
          { caseId: r.id, stepKey: 'kontaktuppgifter', stepId: 'kontaktuppgifter', title: 'Ordna kontaktuppgifter', role: 'socialsekreterare', status: 'open', seq: 2, due: i % 7 === 0 ? opts.today : `2027-0${1 + (i % 5)}-15`, openedAt: done },
        ];
      }),
    );
  }
  await db.execute(sql`analyze`);
}
