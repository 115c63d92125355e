import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { RoutineDefinition } from '../domain/routines/types.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { PeopleDirectory } from '../services/people-directory.ts';
import type { SubstituteService } from '../services/substitutes.ts';
import type { CaseService } from '../services/types.ts';
import type { StepLookup } from './step-lookup.ts';

export type RoutineLookup = (id: string, version?: number) => RoutineDefinition | undefined;

/** Everything the bot's handlers use; built once by createTeamsBot. */
export type BotDeps = {
  config: Config;
  db: Db;
  cases: CaseService;
  people: PeopleDirectory;
  logger: Logger;
  clock: Clock;
  /** The fresh state of one step, for cards rendered at delivery and after a click. */
  steps: StepLookup;
  /** Routine definitions: a step's captures become the card's inputs. */
  routines: RoutineLookup;
  /** Naming substitutes within bounds (role, period, who may name). */
  substitutes: SubstituteService;
  /** Routines offered on the "ny placering" card. */
  startable: () => readonly RoutineDefinition[];
};
