import type { RoutineDefinition } from './types.ts';

export type RoutineLookup = (id: string, version?: number) => RoutineDefinition | undefined;

/**
 * The routines a running system knows: every version of every routine, read from the routine
 * files when the service starts. A running case looks up the version it started with; a new case
 * gets the newest.
 */
export type RoutineCatalog = {
  /** Every version of every routine. */
  all: readonly RoutineDefinition[];
  /** The newest version of each routine, in file order. */
  latest: readonly RoutineDefinition[];
  find: RoutineLookup;
};

export function catalogOf(routines: readonly RoutineDefinition[]): RoutineCatalog {
  const find = lookupIn(routines);
  const ids = [...new Set(routines.map((r) => r.id))];
  const latest = ids.map((id) => find(id)).filter((r): r is RoutineDefinition => r !== undefined);
  return { all: routines, latest, find };
}

/** A lookup over a list of definitions: a version when given, else the newest. */
export function lookupIn(routines: readonly RoutineDefinition[]): RoutineLookup {
  return (id, version) => {
    const candidates = routines.filter((r) => r.id === id && (version === undefined || r.version === version));
    return [...candidates].sort((a, b) => b.version - a.version)[0];
  };
}
