import type { LocalDate } from '../calendar/local-date.ts';
import type { RoleId } from '../roles.ts';
import type { ProviderReplyKind } from '../routines/types.ts';
import type { RefusalCode } from './refusals.ts';

/**
 * The state of one running case: plain JSON data, stored as is (jsonb) by the persistence layer.
 * Instants are ISO strings (UTC); days are LocalDate 'YYYY-MM-DD' (Stockholm).
 */
export type CaseState = {
  caseRef: string;
  routineId: string;
  /** The definition version the case started with; it keeps it to the end. */
  routineVersion: number;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt: string | null;
  closeReason: string | null;
  /** Phases begun, in order (infor_kop, then uppfoljande three months later …). */
  phases: string[];
  /** Captured data: moveInDate, exception, placementStart, dailyPrice … No names, no personnummer. */
  facts: Record<string, FactValue>;
  /** Person ids holding each role on this case. */
  roles: Partial<Record<RoleId, string>>;
  /** Keyed by step key: 'kontrollrakning', 'reservation#2' (second round), 'manadsrapport:2027-01'. */
  steps: Record<string, StepState>;
  /** Current round per step id; a restart or a repeated phase bumps it. */
  rounds: Record<string, number>;
  /** Pending timers by key; the shell keeps a row per timer and feeds `{type:'timer', key}` back. */
  timers: Record<string, Timer>;
  /** Increments with every step instance; orders the timeline. */
  seq: number;
};

export type FactValue = string | number | boolean | null;

export type StepStatus = 'open' | 'done' | 'skipped' | 'cancelled';

export type StepState = {
  key: string;
  stepId: string;
  round: number;
  /** For recurring steps: '2027-01' (monthly) or the due date (half-yearly). */
  occurrence: string | null;
  status: StepStatus;
  /** Resolved when the step opened (an exception routes the contract to LINK). */
  role: RoleId;
  seq: number;
  openedAt: string;
  /** The day by which the role must act, already moved to a working day; null = no deadline. */
  due: LocalDate | null;
  completedAt: string | null;
  completedBy: { personId: string; role: RoleId } | null;
  data: Record<string, FactValue>;
  lateNotifiedAt: string | null;
};

export type Timer = { at: string; action: TimerAction };

export type TimerAction =
  | { type: 'step_late'; stepKey: string }
  | { type: 'open_step'; stepId: string }
  /** index: the n-th occurrence after the anchor, so the next one can be computed. */
  | { type: 'open_occurrence'; stepId: string; occurrence: string; index: number; due: LocalDate }
  | { type: 'begin_phase'; phase: string };

/** Who acts: the person, the roles they hold on this case (incl. as a substitute), and for whom. */
export type Actor = { personId: string; roles: RoleId[]; substituteFor?: string };

/** The parts of a parsed behovsbedömning the routine needs (never the client's name or number). */
export type BbSummary = {
  kind: 'infor_kop' | 'uppfoljande' | 'forandrade_behov';
  assessedOn: LocalDate;
  dailyPrice: number;
  statedDailyPrice: number | null;
  priceCheck: 'ok' | 'mismatch' | 'not_stated';
  exception: { reason: string } | null;
};

export type CaseEvent =
  | {
      type: 'start';
      caseRef: string;
      routineId: string;
      /** Absent: the newest version. */
      routineVersion?: number;
      phase: string;
      facts?: Record<string, FactValue>;
      roles?: Partial<Record<RoleId, string>>;
    }
  /** A later phase on a running case, begun by a person (förändrade behov). */
  | { type: 'begin_phase'; phase: string; actor: Actor; data?: Record<string, FactValue> }
  | { type: 'complete'; stepKey: string; actor: Actor; data?: Record<string, FactValue> }
  /** An ad-hoc action step: a contact log entry, a deviation reported. */
  | { type: 'record'; stepId: string; actor: Actor; data?: Record<string, FactValue> }
  | { type: 'document'; kind: 'behovsbedomning'; bb: BbSummary; from?: string }
  | { type: 'provider_reply'; kind: ProviderReplyKind; date: LocalDate; data?: Record<string, FactValue> }
  | { type: 'timer'; key: string }
  | { type: 'extend'; stepKey: string; until: LocalDate; actor: Actor }
  | { type: 'assign_role'; role: RoleId; personId: string }
  | { type: 'close'; actor: Actor; date: LocalDate; reason: string };

export type { MailRecipient } from '../routines/types.ts';
import type { MailRecipient } from '../routines/types.ts';

export type Effect =
  | {
      type: 'notify';
      role: RoleId;
      /** Person holding the role on the case, when known; the shell resolves substitutes. */
      personId: string | null;
      stepKey?: string;
      kind: 'step_opened' | 'step_completed' | 'step_late' | 'info';
      /** Swedish; only the case ref and facts, never a name or personnummer. */
      message: string;
    }
  | { type: 'send_mail'; to: MailRecipient; template: string; data: Record<string, FactValue> }
  | { type: 'set_timer'; key: string; at: string; action: TimerAction }
  | { type: 'cancel_timer'; key: string }
  | {
      type: 'start_case';
      routineId: string;
      phase: string;
      /** The case this one came from; the shell makes a new case ref. */
      fromCaseRef: string;
      facts: Record<string, FactValue>;
      roles: Partial<Record<RoleId, string>>;
    };

export type Decision =
  | { ok: true; next: CaseState; effects: Effect[] }
  | { ok: false; reason: RefusalCode; message: string };
