/**
 * The contract between the front doors (bot, mail, CLI) and the case services. Views carry case
 * references and initials only: never a personnummer or a full name (DESIGN.md, Privacy).
 */
import type { LocalDate } from '../domain/calendar/local-date.ts';
import type { FactValue } from '../domain/engine/types.ts';
import type { RefusalCode } from '../domain/engine/refusals.ts';
import type { RoleId } from '../domain/roles.ts';
import type { RoutineCatalog } from '../domain/routines/registry.ts';
import type { StartByPersonInput } from './case-start.ts';

export type ServiceRefusal = {
  ok: false;
  /** A routine refusal, or a service-level one. */
  code: RefusalCode | 'not_found' | 'forbidden' | 'conflict' | 'invalid_input';
  /** Swedish, says what to do or who can. */
  message: string;
};

export type ServiceResult<T> = ({ ok: true } & T) | ServiceRefusal;

/** One open step as its holder sees it. */
export type TaskView = {
  caseRef: string;
  clientInitials: string;
  routineId: string;
  routineVersion: number;
  stepKey: string;
  stepId: string;
  /** The routine's words. */
  title: string;
  role: RoleId;
  due: LocalDate | null;
  late: boolean;
  openedAt: string;
  /** Set when the viewer holds it as a substitute: the absent holder's person id. */
  onBehalfOf: string | null;
};

export type TimelineEntry = {
  stepKey: string;
  stepId: string;
  title: string;
  role: RoleId;
  status: 'open' | 'done' | 'skipped' | 'cancelled';
  late: boolean;
  openedAt: string;
  due: LocalDate | null;
  completedAt: string | null;
  /** Display name of who completed it, or who holds it (staff names are fine; clients' are not). */
  completedByName: string | null;
  holderName: string | null;
};

export type CaseView = {
  caseRef: string;
  clientInitials: string;
  routineId: string;
  routineTitle: string;
  routineVersion: number;
  status: 'open' | 'closed';
  legalBasis: string | null;
  timeline: TimelineEntry[];
};

export type StartCaseInput = {
  routineId: string;
  phase: string;
  caseRef: string;
  clientInitials: string;
  /** 12 digits; stored encrypted with a keyed hash for lookup, never shown again. */
  personnummer: string;
  legalBasis: string | null;
  provider?: string | null;
  unit?: string | null;
  area?: string | null;
  /** Person ids per role on this case. */
  roles: Partial<Record<RoleId, string>>;
  facts?: Record<string, FactValue>;
};

export type CaseService = {
  /** The routines the service runs: every version, read from ROUTINES_DIR at start. */
  routines: RoutineCatalog;
  /** Open steps the person holds (or holds as a substitute), late first, then by due date. */
  listTasks: (personId: string) => Promise<TaskView[]>;
  /** Whether the person may see the case at all (a role on it, or a coordinator role in its area). */
  mayAccess: (caseRef: string, personId: string) => Promise<boolean>;
  /** Audited read; refused unless the viewer has a role on the case or a coordinator role. */
  viewCase: (caseRef: string, viewerPersonId: string) => Promise<ServiceResult<{ view: CaseView }>>;
  startCase: (input: StartCaseInput, actorPersonId: string) => Promise<ServiceResult<{ caseRef: string }>>;
  /**
   * A person starting a case (Teams): only a role the routine names as starter, in one of the
   * starter's areas, with holders the directory gives that role in that area.
   */
  startCaseByPerson: (input: StartByPersonInput, actorPersonId: string) => Promise<ServiceResult<{ caseRef: string }>>;
  /** Compare-and-set: of two people confirming at once, one wins, the other gets step_not_open. */
  completeStep: (params: {
    caseRef: string;
    stepKey: string;
    personId: string;
    data?: Record<string, FactValue>;
    /** Whether to read the steps the completion opened for the person (`opened`); default true. A card that only shows the done step needs none. */
    listOpened?: boolean;
  }) => Promise<ServiceResult<{ title: string; completedAt: string | null; opened: TaskView[] }>>;
  reportMoveIn: (params: { caseRef: string; date: LocalDate; personId: string }) => Promise<ServiceResult<{ title: string }>>;
  /** Begins förändrade behov: `since` is when the need arose; `data` carries the phase's other fields. */
  reportChangedNeed: (params: {
    caseRef: string;
    since: LocalDate;
    personId: string;
    data?: Record<string, FactValue>;
  }) => Promise<ServiceResult<{ title: string }>>;
  closeCase: (params: { caseRef: string; date: LocalDate; reason: string; personId: string }) => Promise<ServiceResult<{ title: string }>>;
};
