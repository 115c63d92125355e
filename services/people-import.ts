import { readTableFile } from '../lib/table-file.ts';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { peopleIdentities, peopleWithManagers, upsertPeople, type NewPerson } from '../db/people.ts';
import { rolesWithDeadlines } from '../domain/reminders/escalation.ts';
import { isRoleId, ROLE_IDS, type RoleId } from '../domain/roles.ts';
import type { RoutineDefinition } from '../domain/routines/types.ts';

/** One person as the file gives it; `manager` is the manager's e-mail (in the file or already imported). */
const personRow = z.object({
  email: z.string({ message: 'e-post saknas' }).trim().toLowerCase().email('e-post är inte en giltig adress'),
  name: z.string({ message: 'namn saknas' }).trim().min(1, 'namn saknas'),
  roles: z
    .array(z.string().trim())
    .transform((roles) => roles.filter(Boolean))
    .superRefine((roles, ctx) => {
      for (const r of roles) if (!isRoleId(r)) ctx.addIssue({ code: 'custom', message: `okänd roll "${r}" (giltiga: ${ROLE_IDS.join(', ')})` });
    })
    .transform((roles) => roles as RoleId[]),
  area: z.string().trim().optional().transform((v) => (v ? v : null)),
  manager: z.string().trim().toLowerCase().optional().transform((v) => (v ? v : null)),
  aadObjectId: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.toLowerCase() : null))
    .refine((v) => v === null || v.length <= 64, 'Entra-id (aadObjectId) är för långt'),
});

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/**
 * Outside production the id only has to look like one Teams sends: hex groups joined by dashes.
 * The Agents Playground's default user has 00000000-0000-0000-0000-0000000000020, one digit too
 * many for a GUID. The check is there to catch a name or an e-mail in the wrong column; the id is
 * compared as an opaque string with the one in the verified token, so a looser shape opens nothing.
 */
const TEAMS_LIKE_ID = /^[0-9a-f]{1,16}(-[0-9a-f]{1,16}){1,7}$/;

function idProblem(id: string | null, allowNonGuidIds: boolean): string | undefined {
  if (id === null || GUID.test(id)) return undefined;
  if (allowNonGuidIds && TEAMS_LIKE_ID.test(id)) return undefined;
  return allowNonGuidIds
    ? 'Entra-id (aadObjectId) ska vara ett GUID eller ett id som Teams skickar (hexadecimala grupper med bindestreck)'
    : 'Entra-id (aadObjectId) ska vara ett GUID';
}
type PersonInput = z.output<typeof personRow>;

export type ImportProblem = { line: number; message: string };
/** A person who holds a role with deadlines and has no manager: their escalations go to the fallback. */
export type Unmanaged = { email: string; name: string; roles: RoleId[] };
export type ImportResult = { ok: true; imported: number; unmanaged: Unmanaged[] } | { ok: false; problems: ImportProblem[] };

/** Column names people actually write, Swedish or English, mapped to ours. */
const ALIASES: Record<string, keyof z.input<typeof personRow>> = {
  email: 'email', 'e-post': 'email', epost: 'email', mail: 'email', 'e-mail': 'email',
  name: 'name', namn: 'name',
  roles: 'roles', roller: 'roles', roll: 'roles', role: 'roles',
  area: 'area', 'område': 'area', omrade: 'area', stadsområde: 'area', verksamhetsområde: 'area',
  manager: 'manager', chef: 'manager', 'manager_email': 'manager', 'chef_e-post': 'manager',
  aadobjectid: 'aadObjectId', aad_object_id: 'aadObjectId', objectid: 'aadObjectId', 'entra-id': 'aadObjectId', entraid: 'aadObjectId', id: 'aadObjectId',
};

type RawRecord = { line: number; value: Record<string, unknown> };

/** Reads CSV (comma or semicolon, header row) or JSON (an array of objects) into raw records. */
export function readPeopleFile(text: string, fileName: string): RawRecord[] | ImportProblem {
  const table = readTableFile(text, fileName);
  if (!Array.isArray(table)) return table;
  return table.map(({ line, value }) => ({ line, value: normalise(value) }));
}

function normalise(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[ALIASES[k.trim().toLowerCase()] ?? k.trim()] = v;
  if (!Array.isArray(out.roles)) out.roles = splitRoles(out.roles);
  return out;
}

function splitRoles(value: unknown): string[] {
  return typeof value === 'string' ? value.split(/[,;|\s]+/).filter(Boolean) : [];
}


/** Validates every record and writes all of them in one transaction, or nothing when any is bad. */
/** `routines`: the routines in force, whose deadline roles need a manager to escalate to. */
export async function importPeople(db: Db, records: RawRecord[], routines: readonly RoutineDefinition[], opts: { allowNonGuidIds: boolean } = { allowNonGuidIds: false }): Promise<ImportResult> {
  const problems: ImportProblem[] = [];
  const valid: Array<{ line: number; person: PersonInput }> = [];
  const seen = new Map<string, number>();
  for (const record of records) {
    const parsed = personRow.safeParse(record.value);
    if (!parsed.success) {
      problems.push({ line: record.line, message: parsed.error.issues.map((i) => i.message).join('; ') });
      continue;
    }
    const badId = idProblem(parsed.data.aadObjectId, opts.allowNonGuidIds);
    if (badId) {
      problems.push({ line: record.line, message: badId });
      continue;
    }
    const earlier = seen.get(parsed.data.email);
    if (earlier !== undefined) {
      problems.push({ line: record.line, message: `${parsed.data.email} finns redan på rad ${earlier}` });
      continue;
    }
    seen.set(parsed.data.email, record.line);
    valid.push({ line: record.line, person: parsed.data });
  }
  if (records.length === 0) problems.push({ line: 1, message: 'filen innehåller inga personer' });

  return db.transaction(async (tx) => {
    const existing = await peopleIdentities(tx);
    const idByEmail = new Map(existing.map((p) => [p.email, p.id]));
    const rows: NewPerson[] = valid.map(({ person }) => ({
      // Keep a person's id stable across imports; a new person gets the Entra id or a uuid.
      id: idByEmail.get(person.email) ?? person.aadObjectId ?? randomUUID(),
      aadObjectId: person.aadObjectId,
      email: person.email,
      name: person.name,
      roles: person.roles,
      area: person.area,
      managerId: null,
    }));
    rows.forEach((r) => idByEmail.set(r.email, r.id));
    valid.forEach(({ line, person }, i) => {
      const row = rows[i];
      if (!row || person.manager === null) return;
      const managerId = idByEmail.get(person.manager);
      if (managerId === undefined) problems.push({ line, message: `chefen ${person.manager} finns varken i filen eller i katalogen` });
      else row.managerId = managerId;
    });
    for (const { line, person } of valid) {
      const clash = existing.find((p) => p.aadObjectId !== null && p.aadObjectId === person.aadObjectId && p.email !== person.email);
      if (clash) problems.push({ line, message: `Entra-id ${person.aadObjectId ?? ''} tillhör redan ${clash.email}` });
    }
    if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) } as const;
    await upsertPeople(tx, rows);
    return { ok: true, imported: rows.length, unmanaged: await unmanagedWithDeadlines(tx, routines) } as const;
  });
}

/** Everyone in the directory (not only this file) whose late steps would escalate to nobody's manager. */
async function unmanagedWithDeadlines(tx: Db, routines: readonly RoutineDefinition[]): Promise<Unmanaged[]> {
  const deadlineRoles = rolesWithDeadlines(routines);
  const all = await peopleWithManagers(tx);
  return all.flatMap((p) => {
    const roles = p.roles.filter(isRoleId).filter((r) => deadlineRoles.has(r));
    return p.managerId === null && roles.length > 0 ? [{ email: p.email, name: p.name, roles }] : [];
  });
}

