import type { RoleId } from '../domain/roles.ts';

/** What the case services need to know about people; implemented over the people tables. */
export type PeopleDirectory = {
  /** Ids of the people `personId` stands in for on `date` (their active substitutions). */
  coveredBy: (personId: string, date: string) => Promise<string[]>;
  /** The person standing in for `personId` on `date`, if any. */
  activeSubstitute: (personId: string, date: string) => Promise<string | null>;
  /** Display names of staff (never clients). */
  names: (ids: string[]) => Promise<Map<string, string>>;
  emails: (ids: string[]) => Promise<Map<string, string>>;
  /** Roles and area the person holds in the organisation (for coordinator-level access). */
  profile: (personId: string) => Promise<{ roles: RoleId[]; area: string | null } | null>;
  /** The person's manager (enhetschef), for escalation. */
  managerOf: (personId: string) => Promise<string | null>;
};
