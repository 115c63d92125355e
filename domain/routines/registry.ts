import { boendekoordination } from './boendekoordination.ts';
import { boendestodLov } from './boendestod-lov.ts';
import { externPlacering } from './extern-placering.ts';
import { internFlytt } from './intern-flytt.ts';
import { ramavtalBb } from './ramavtal-bb.ts';
import type { RoutineDefinition } from './types.ts';

export type RoutineLookup = (id: string, version?: number) => RoutineDefinition | undefined;

export const ROUTINES: readonly RoutineDefinition[] = [ramavtalBb, externPlacering, internFlytt, boendestodLov, boendekoordination];

/** Every version of every routine; a running case looks up the version it started with. */
export function findRoutine(id: string, version?: number): RoutineDefinition | undefined {
  return lookupIn(ROUTINES)(id, version);
}

/** A lookup over other definitions (a municipality's configured AU calendar, tests). */
export function lookupIn(routines: readonly RoutineDefinition[]): RoutineLookup {
  return (id, version) => {
    const candidates = routines.filter((r) => r.id === id && (version === undefined || r.version === version));
    return candidates.sort((a, b) => b.version - a.version)[0];
  };
}
