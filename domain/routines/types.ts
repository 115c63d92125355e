import type { LocalDate } from '../calendar/local-date.ts';
import type { RoleId } from '../roles.ts';
import type { RoutineHook } from './hooks.ts';

/**
 * A routine definition is data: versioned, JSON-serialisable, no closures. A municipality adapts a
 * routine by editing its definition (or its params), never the engine. A running case keeps the
 * routineId + version it started with.
 */
export type RoutineDefinition = {
  id: string;
  version: number;
  /** Swedish title, e.g. "Ramavtal BmSS: behovsbedömning". */
  title: string;
  /** The municipal document the steps come from. */
  source: string;
  /** The roles that may start a case on this routine (the routine document's first actor). */
  startableBy: RoleId[];
  /** Named defaults. Numbers from the routine document say so; others are marked "standard". */
  params: RoutineParams;
  /** Variants/scenarios; a case starts in one and may begin others later (uppföljande BB). */
  phases: PhaseDefinition[];
  steps: StepDefinition[];
  closing: ClosingDefinition;
};

export type ParamValue = number | string | boolean | AuMeeting[];
export type RoutineParams = Record<string, ParamValue>;

/** Routine 2's AU calendar: each meeting and the last day to hand in the tjänsteutlåtande. */
export type AuMeeting = { date: LocalDate; submissionDeadline: LocalDate };

export type PhaseDefinition = {
  id: string;
  title: string;
  /** Who may begin this phase on a running case; absent = only at start or by a timer. */
  beginBy?: RoleId[];
  /** Data asked when the phase begins (e.g. when the changed need arose). */
  captures?: FieldSpec[];
  rules?: RuleSpec[];
  /** A timer armed when a step completes begins this phase later (uppföljande BB). */
  timer?: { armedBy: string; at: DateRule };
};

export type ClosingDefinition = {
  /** Roles that may close (end) a case. */
  by: RoleId[];
  /** Told with reason and date when the case closes. */
  notify: RoleId[];
  mail?: MailSpec[];
};

/** A value (a fact, a field of the event's data, a param) as a condition or rule reads it. */
export type Condition =
  | { fact: string; equals: string | number | boolean | null }
  | { fact: string; in: Array<string | number | boolean> }
  | { fact: string; exists: boolean }
  | { stepDone: string }
  | { phase: string }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/** A fixed role, a role chosen by a condition (exception → LINK), or several roles that may act. */
export type RoleRule = RoleId | { when: Condition; then: RoleId; else: RoleId } | { anyOf: RoleId[] };

export type OpensOn =
  /** When the phase begins (the case starts in it or it is begun later). */
  | { on: 'phase_start' }
  /** When the listed steps of the current round are done (or skipped, for mode 'all'). */
  | { on: 'steps_done'; steps: string[]; mode?: 'all' | 'any' }
  /** A timer set when `armedBy` completes, at the date of `at`; cancelled when any of `cancelledBy` completes. */
  | { on: 'timer'; armedBy: string; at: DateRule; cancelledBy?: string[] }
  /** An ad-hoc action any time while the case runs (after `availableAfter`): a log entry, a deviation. */
  | { on: 'action'; availableAfter?: string };

export type Completion =
  | { by: 'confirmation' }
  /** An incoming document (the BB mail) completes the step and its data becomes facts. */
  | { by: 'document'; kind: 'behovsbedomning' }
  /** A provider's mail; the step's role may also confirm it by hand (the mail came to them). */
  | { by: 'provider_reply'; kind: ProviderReplyKind }
  /** Done by the system as soon as it opens (its effects are the work). */
  | { by: 'system' };

export type ProviderReplyKind = 'confirmed' | 'started' | 'genomforandeplan' | 'manadsrapport' | 'franvaro';

export type FieldKind = 'date' | 'document_date' | 'choice' | 'text' | 'number' | 'boolean';

export type FieldSpec = {
  name: string;
  kind: FieldKind;
  /** Swedish label, shown on the card and in refusals. */
  label: string;
  required: boolean;
  /** Required only when the condition holds over facts + the event's data (a decline's reason). */
  requiredWhen?: Condition;
  options?: Array<{ value: string; label: string }>;
  min?: number;
  max?: number;
  maxLength?: number;
  /** The fact the value is stored as; defaults to the field name. */
  fact?: string;
};

export type Amount = number | { param: string };

export type DurationRule = { months?: Amount; days?: Amount; workingDays?: Amount };

export type DateRef = 'opened' | 'today' | { fact: string };

/**
 * deadline: a day by which a person must act; moves to the next working day.
 * validity: a day something takes effect (a contract's start); never moves.
 * after_deadline: the first working day after such a deadline, moved, has passed (what may only
 * happen once someone's time is up).
 */
export type DateKind = 'deadline' | 'validity' | 'after_deadline';

export type DateRule = { from: DateRef; add?: DurationRule; kind: DateKind };

export type DeadlineRule =
  | ({ type: 'offset' } & DateRule)
  /** Routine 2: the submission deadline of the next AU meeting whose deadline has not passed. */
  | { type: 'au_submission'; meetingsParam: string }
  /** Recurring steps: the occurrence's own due date (the 10th of its month; the follow-up date). */
  | { type: 'occurrence' };

export type Recurrence =
  /** One occurrence per month after the anchor; it opens on the 1st and is due on `dueDay`. */
  | { every: 'month'; anchor: DateRef; dueDay: Amount }
  /** Due every `months` after the anchor; each occurrence opens `leadDays` before it is due. */
  | { every: 'months'; months: Amount; anchor: DateRef; leadDays: Amount };

/** Rules of the routine checked before a step is completed or a phase begun. */
export type RuleSpec =
  /** `to` must be at least N months after `from` (a changed need must have lasted 3 months). */
  | { rule: 'min_months'; from: DateRef; to: DateRef; months: Amount; message: string }
  /** `to` may be at most N months after `from` (the BmSS change document ≤ 1 year at förmedling). */
  | { rule: 'max_months'; from: DateRef; to: DateRef; months: Amount; message: string }
  | { rule: 'condition'; when: Condition; message: string };

/** A mail to a role's address; only the named facts travel with it (no price on the case-system copy). */
export type MailSpec = { to: MailRecipient; template: string; when?: Condition; fields?: string[] };

/** A role's address (a person's, or a functional mailbox such as administration). */
export type MailRecipient = RoleId;

export type NotifySpec = { onOpen?: RoleId[]; onComplete?: RoleId[]; onLate?: RoleId[] };

export type StepDefinition = {
  id: string;
  /** Swedish, in the routine's words. */
  title: string;
  /** The phases this step belongs to; it only opens while one of them is begun. */
  phases: string[];
  role: RoleRule;
  opensOn: OpensOn;
  /** Opens only if this holds when triggered; otherwise it is skipped (a branch not taken). */
  when?: Condition;
  completedBy: Completion;
  /** The named hook a service completes this step through (domain/routines/hooks.ts). */
  hook?: RoutineHook;
  captures?: FieldSpec[];
  rules?: RuleSpec[];
  deadline?: DeadlineRule;
  /** Genomförandeplan: the handläggare may extend the due date up to this much in total. */
  extendable?: { by: RoleId; maxTotal: DateRule };
  recurrence?: Recurrence;
  notify?: NotifySpec;
  /** Extra lines in the open notification, with {fact} placeholders (the price mismatch). */
  notes?: Array<{ when: Condition; text: string }>;
  mailOnComplete?: MailSpec[];
  /** Facts computed when the step completes (the new contract's start date). */
  derive?: Array<{ fact: string; rule: DateRule }>;
  /** Open steps this one makes moot when it completes (ickeval replaces the person's own choice). */
  cancels?: string[];
  /** When done with the condition holding, these steps start a new round (a declined offer). */
  restart?: { when: Condition; steps: string[] };
  /** When done with the condition holding, the case ends (egen regi; transfer at 65). */
  closeCase?: { when: Condition; reason: string };
  /** When done with the condition holding, another case starts (transfer at 65, change of home). */
  startCase?: { when: Condition; routineId: string; phase: string | { fact: string }; facts?: string[] };
};
