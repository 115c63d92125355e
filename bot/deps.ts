import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { RoutineDefinition } from '../domain/routines/types.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { PeopleDirectory } from '../db/people.ts';
import type { SubstituteService } from '../services/substitutes.ts';
import type { CaseService } from '../services/types.ts';
import type { CoordinationService } from '../services/coordination.ts';
import type { ProviderServices } from '../services/providers.ts';
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
  /** Vacancies, queues, offers and internal moves (routines 5 and 3). */
  coordination: CoordinationService;
  /** LOV providers: ickeval, choices, replies to read; absent where no provider mail is set up. */
  providers: ProviderServices | undefined;
};
