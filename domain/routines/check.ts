import { addDays, compareDates, type LocalDate } from '../calendar/local-date.ts';
import { stockholmInstant } from '../calendar/stockholm.ts';
import { decide } from '../engine/decide.ts';
import type { CaseEvent, CaseState, FactValue } from '../engine/types.ts';
import { evaluateDateRule, factScope } from '../engine/values.ts';
import { nextAuMeeting } from '../engine/au-calendar.ts';
import { placeholdersIn } from '../engine/messages.ts';
import { ROLE_IDS } from '../roles.ts';
import { checkHooks } from './hooks.ts';
import type { Amount, Condition, DateRule, FieldSpec, MailSpec, RoutineDefinition, StepDefinition } from './types.ts';

/**
 * What a routine means, checked when it is loaded and before any case sees it: every reference
 * resolves, every step can be reached, the normal path of each phase (run through the engine with
 * default facts) skips no step the routine requires, every deadline can be computed, and what
 * waits for someone's time to run out opens only after it has. Messages are Swedish and name the
 * step; the loader adds the file.
 */
export type RoutineProblem = { step?: string; message: string; severity: 'error' | 'warning' };

export type CheckOptions = {
  /** Mail templates the mail catalogue can render; price-free ones may carry no price fact. */
  mailTemplates: ReadonlyMap<string, { priceFree: boolean }>;
  /** Facts a mail can show, each with a Swedish label in the catalogue. */
  mailFacts: ReadonlySet<string>;
  priceFacts: ReadonlySet<string>;
  /** Routine ids a step may start a case on (startCase). */
  routineIds: ReadonlySet<string>;
  /** For the AU calendar: a calendar without a future meeting is a warning. */
  today: LocalDate;
};

export function checkRoutine(def: RoutineDefinition, options: CheckOptions): RoutineProblem[] {
  const problems: RoutineProblem[] = [];
  const error = (message: string, step?: string): void => void problems.push(step === undefined ? { message, severity: 'error' } : { step, message, severity: 'error' });
  const warn = (message: string, step?: string): void => void problems.push(step === undefined ? { message, severity: 'warning' } : { step, message, severity: 'warning' });
  checkReferences(def, options, error, warn);
  checkHooks(def, error);
  if (problems.some((p) => p.severity === 'error')) return problems;
  checkSwedishText(def, error);
  checkReachable(def, error);
  checkTimersAfterDeadlines(def, error);
  for (const phase of def.phases) checkNormalPath(def, phase.id, error);
  return problems;
}

type Report = (message: string, step?: string) => void;

function checkReferences(def: RoutineDefinition, options: CheckOptions, error: Report, warn: Report): void {
  const stepIds = new Set<string>();
  for (const s of def.steps) {
    if (stepIds.has(s.id)) error(`steg-id ”${s.id}” finns flera gånger`, s.id);
    stepIds.add(s.id);
  }
  const phaseIds = new Set(def.phases.map((p) => p.id));
  if (phaseIds.size !== def.phases.length) error('ett skede-id finns flera gånger');
  const stepRef = (id: string, where: string, step?: string): void => {
    if (!stepIds.has(id)) error(`${where} hänvisar till steget ”${id}”, som inte finns`, step);
  };
  const paramRef = (amount: Amount | undefined, where: string, step?: string): void => {
    if (amount === undefined || typeof amount === 'number') return;
    const value = def.params[amount.param];
    if (value === undefined) error(`${where} hänvisar till parametern ”${amount.param}”, som inte finns`, step);
    else if (typeof value !== 'number') error(`${where}: parametern ”${amount.param}” ska vara ett tal`, step);
  };
  const dateRuleRefs = (rule: Pick<DateRule, 'add'>, where: string, step?: string): void => {
    paramRef(rule.add?.months, where, step);
    paramRef(rule.add?.days, where, step);
    paramRef(rule.add?.workingDays, where, step);
  };
  const conditionRefs = (c: Condition, where: string, step?: string): void => {
    if ('all' in c) c.all.forEach((x) => conditionRefs(x, where, step));
    else if ('any' in c) c.any.forEach((x) => conditionRefs(x, where, step));
    else if ('not' in c) conditionRefs(c.not, where, step);
    else if ('stepDone' in c) stepRef(c.stepDone, where, step);
    else if ('phase' in c && !phaseIds.has(c.phase)) error(`${where} hänvisar till skedet ”${c.phase}”, som inte finns`, step);
  };
  const mailRefs = (mails: readonly MailSpec[] | undefined, where: string, step?: string): void => {
    for (const m of mails ?? []) {
      const template = options.mailTemplates.get(m.template);
      if (!template) error(`${where}: e-postmallen ”${m.template}” finns inte i mallkatalogen`, step);
      for (const f of m.fields ?? []) {
        if (!options.mailFacts.has(f)) error(`${where}: uppgiften ”${f}” i e-postmallen ”${m.template}” har ingen svensk etikett i mallkatalogen`, step);
        if (template?.priceFree && options.priceFacts.has(f)) error(`${where}: e-postmallen ”${m.template}” ska vara utan pris men får uppgiften ”${f}”`, step);
      }
      if (m.when) conditionRefs(m.when, where, step);
    }
  };
  const fieldRefs = (fields: readonly FieldSpec[] | undefined, where: string, step?: string): void => {
    for (const f of fields ?? []) {
      if (f.kind === 'choice' && !(f.options && f.options.length > 0)) error(`${where}: fältet ”${f.name}” är ett val utan alternativ`, step);
      if (f.requiredWhen) conditionRefs(f.requiredWhen, where, step);
    }
  };
  for (const s of def.steps) {
    for (const p of s.phases) if (!phaseIds.has(p)) error(`steget hör till skedet ”${p}”, som inte finns`, s.id);
    const o = s.opensOn;
    if (o.on === 'steps_done') o.steps.forEach((id) => stepRef(id, 'öppnas efter', s.id));
    if (o.on === 'timer') {
      stepRef(o.armedBy, 'bevakningen startas av', s.id);
      (o.cancelledBy ?? []).forEach((id) => stepRef(id, 'bevakningen avbryts av', s.id));
      dateRuleRefs(o.at, 'bevakningens datum', s.id);
    }
    if (o.on === 'action' && o.availableAfter) stepRef(o.availableAfter, 'åtgärden kan göras efter', s.id);
    if (s.when) conditionRefs(s.when, 'villkoret', s.id);
    if (typeof s.role === 'object' && 'when' in s.role) conditionRefs(s.role.when, 'rollvillkoret', s.id);
    fieldRefs(s.captures, 'uppgifterna', s.id);
    for (const r of s.rules ?? []) if (r.rule === 'condition') conditionRefs(r.when, 'regeln', s.id);
    else paramRef(r.months, 'regeln', s.id);
    const d = s.deadline;
    if (d?.type === 'offset') dateRuleRefs(d, 'tidsfristen', s.id);
    if (d?.type === 'au_submission') checkAuCalendar(def, d.meetingsParam, options.today, s.id, error, warn);
    if (d?.type === 'occurrence' && !s.recurrence) error('tidsfristen ”occurrence” kräver att steget återkommer (recurrence)', s.id);
    if (s.recurrence) {
      paramRef(s.recurrence.every === 'month' ? s.recurrence.dueDay : s.recurrence.months, 'återkomsten', s.id);
      if (s.recurrence.every === 'months') paramRef(s.recurrence.leadDays, 'återkomsten', s.id);
    }
    if (s.extendable) dateRuleRefs(s.extendable.maxTotal, 'förlängningen', s.id);
    for (const n of s.notes ?? []) {
      conditionRefs(n.when, 'anteckningen', s.id);
      // A note is a notification text: what it fills in must be a fact the mail catalogue labels.
      for (const f of placeholdersIn(n.text)) {
        if (!options.mailFacts.has(f)) error(`anteckningen fyller i uppgiften ”{${f}}”, som saknar svensk etikett i mallkatalogen`, s.id);
      }
    }
    mailRefs(s.mailOnComplete, 'e-post när steget är klart', s.id);
    for (const d2 of s.derive ?? []) dateRuleRefs(d2.rule, `beräkningen av ${d2.fact}`, s.id);
    (s.cancels ?? []).forEach((id) => stepRef(id, 'steget avbryter', s.id));
    if (s.restart) {
      conditionRefs(s.restart.when, 'omstarten', s.id);
      s.restart.steps.forEach((id) => stepRef(id, 'omstarten', s.id));
    }
    if (s.closeCase) conditionRefs(s.closeCase.when, 'avslutet', s.id);
    if (s.startCase) {
      conditionRefs(s.startCase.when, 'det nya ärendet', s.id);
      if (!options.routineIds.has(s.startCase.routineId)) error(`det nya ärendet ska starta på rutinen ”${s.startCase.routineId}”, som inte finns`, s.id);
    }
  }
  for (const p of def.phases) {
    fieldRefs(p.captures, `skedet ${p.id}`);
    for (const r of p.rules ?? []) if (r.rule === 'condition') conditionRefs(r.when, `skedet ${p.id}`);
    else paramRef(r.months, `skedet ${p.id}`);
    if (p.timer) {
      stepRef(p.timer.armedBy, `skedet ${p.id} startas efter`);
      dateRuleRefs(p.timer.at, `skedet ${p.id}`);
    }
  }
  mailRefs(def.closing.mail, 'e-post vid avslut');
}

function checkAuCalendar(def: RoutineDefinition, param: string, today: LocalDate, step: string, error: Report, warn: Report): void {
  const meetings = def.params[param];
  if (!Array.isArray(meetings)) {
    error(`tidsfristen hänvisar till AU-kalendern ”${param}”, som inte finns eller inte är en lista med sammanträden`, step);
    return;
  }
  if (meetings.length === 0) {
    error(`AU-kalendern ”${param}” är tom: steget får ingen tidsfrist. Ange AU:s sammanträden (lista eller .ics-fil)`, step);
    return;
  }
  for (const m of meetings) {
    if (compareDates(m.submissionDeadline, m.date) > 0) error(`AU-sammanträdet ${m.date} har sista inlämningsdag ${m.submissionDeadline}, efter sammanträdet`, step);
  }
  if (!nextAuMeeting(meetings, today)) warn(`AU-kalendern ”${param}” har inget sammanträde efter ${today}: steget får ingen tidsfrist förrän kalendern fylls på`, step);
}

/** The Swedish texts a person reads: titles, labels, options, rule messages, notes, reasons. */
function swedishTexts(def: RoutineDefinition): Array<{ step?: string; text: string }> {
  const fields = (fs: readonly FieldSpec[] | undefined): string[] => (fs ?? []).flatMap((f) => [f.label, ...(f.options ?? []).map((o) => o.label)]);
  const rules = (rs: StepDefinition['rules']): string[] => (rs ?? []).map((r) => r.message);
  const out: Array<{ step?: string; text: string }> = [{ text: def.title }];
  for (const p of def.phases) for (const text of [p.title, ...fields(p.captures), ...rules(p.rules)]) out.push({ text });
  for (const s of def.steps) {
    const texts = [s.title, ...fields(s.captures), ...rules(s.rules), ...(s.notes ?? []).map((n) => n.text), s.closeCase?.reason ?? ''];
    for (const text of texts) out.push({ step: s.id, text });
  }
  return out;
}

/**
 * A word the routine itself spells with å, ä or ö must not appear without them elsewhere in it
 * ("uppfoljande" beside "uppföljande"): such text reaches people as it stands.
 */
function checkSwedishText(def: RoutineDefinition, error: Report): void {
  const texts = swedishTexts(def);
  const words = (text: string): string[] => text.replace(/\{[^}]*\}/gu, ' ').toLowerCase().split(/[^a-zåäöé]+/u).filter(Boolean);
  const plainOf = new Map<string, string>();
  for (const { text } of texts) for (const w of words(text)) if (/[åäö]/u.test(w)) plainOf.set(w.replace(/[åä]/gu, 'a').replace(/ö/gu, 'o'), w);
  for (const { step, text } of texts) {
    for (const w of words(text)) {
      const swedish = plainOf.get(w);
      if (swedish !== undefined && swedish !== w) error(`texten ”${text}” skriver ”${w}” där rutinen annars skriver ”${swedish}”`, step);
    }
  }
}

/** Every step can be reached from a way the routine begins (a phase begun at start, by a person or a timer). */
function checkReachable(def: RoutineDefinition, error: Report): void {
  const reached = new Set<string>();
  const phaseBegins = (phaseId: string): boolean => def.phases.some((p) => p.id === phaseId);
  for (let changed = true; changed; ) {
    changed = false;
    for (const s of def.steps) {
      if (reached.has(s.id)) continue;
      const o = s.opensOn;
      const ok =
        (o.on === 'phase_start' && s.phases.some(phaseBegins)) ||
        (o.on === 'steps_done' && (o.mode === 'any' ? o.steps.some((id) => reached.has(id)) : o.steps.some((id) => reached.has(id)))) ||
        (o.on === 'timer' && reached.has(o.armedBy)) ||
        (o.on === 'action' && (o.availableAfter === undefined || reached.has(o.availableAfter))) ||
        def.steps.some((r) => r.restart?.steps.includes(s.id) && reached.has(r.id));
      if (ok) {
        reached.add(s.id);
        changed = true;
      }
    }
  }
  for (const s of def.steps) if (!reached.has(s.id)) error('steget kan aldrig nås: inget skede, steg eller bevakning öppnar det', s.id);
}

/**
 * A step opened by a timer that replaces another (ickeval replaces the person's own choice) must
 * not open before the other's deadline, moved to a working day, has passed. Checked over a year of
 * start dates, so a rule that only breaks around a holiday is found.
 */
function checkTimersAfterDeadlines(def: RoutineDefinition, error: Report): void {
  const state = emptyState(def);
  for (const s of def.steps) {
    if (s.opensOn.on !== 'timer') continue;
    const at = s.opensOn.at;
    for (const replacedId of s.cancels ?? []) {
      const replaced = def.steps.find((x) => x.id === replacedId);
      const deadline = replaced?.deadline;
      if (deadline?.type !== 'offset') continue;
      for (let i = 0; i < 366; i++) {
        const day = addDays('2026-01-01', i);
        const facts: Record<string, FactValue> = {};
        for (const ref of [at.from, deadline.from]) if (typeof ref === 'object') facts[ref.fact] = day;
        const scope = { ...factScope(def, state, day, facts), opened: day };
        const opens = evaluateDateRule(at, scope);
        const due = evaluateDateRule(deadline, scope);
        if (opens !== undefined && due !== undefined && compareDates(opens, due) <= 0) {
          error(`steget öppnas ${opens} men ersätter ”${replacedId}”, vars tidsfrist (flyttad till vardag) är ${due}: det får öppna först när fristen har gått ut (använd kind "after_deadline")`, s.id);
          break;
        }
      }
    }
  }
}

function emptyState(def: RoutineDefinition): CaseState {
  return {
    caseRef: 'KONTROLL', routineId: def.id, routineVersion: def.version, status: 'open', openedAt: '2026-01-01T08:00:00.000Z',
    closedAt: null, closeReason: null, phases: [], facts: {}, roles: {}, steps: {}, rounds: {}, timers: {}, seq: 0,
  };
}

/** A plausible value for each field: the first option, no exception, dates on the day. */
function defaultValue(field: FieldSpec, today: LocalDate): FactValue {
  switch (field.kind) {
    case 'date':
    case 'document_date':
      return today;
    case 'choice':
      return field.options?.[0]?.value ?? null;
    case 'number':
      return Math.max(field.min ?? 0, Math.min(field.max ?? 1000, 1000));
    case 'boolean':
      return defaultBoolean(field);
    case 'text':
      return 'Kontroll';
  }
}

/**
 * The normal path says yes where a yes continues the routine (AU approved, the landlord agreed)
 * and no to exceptions; a field named like an exception is false.
 */
function defaultBoolean(field: FieldSpec): boolean {
  return !/exception|undantag|avvik|declin|nej/i.test(`${field.name} ${field.label}`);
}

function bbKindFor(step: StepDefinition): string {
  for (const r of step.rules ?? []) if (r.rule === 'condition' && 'fact' in r.when && r.when.fact === 'bbKind' && 'equals' in r.when) return String(r.when.equals);
  return 'infor_kop';
}

/**
 * Runs a case through the phase with default facts: completes each open step as its role would,
 * fires the timers that open steps, and reports every step the routine requires (a step without
 * its own condition) that ended up skipped. Rules are left out: they guard data, not the path.
 */
function checkNormalPath(def: RoutineDefinition, phaseId: string, error: Report): void {
  const noRules: RoutineDefinition = {
    ...def,
    phases: def.phases.map(({ rules: _r, ...p }) => p),
    steps: def.steps.map(({ rules: _r, closeCase: _c, startCase: _s, ...s }) => s),
  };
  const lookup = (id: string): RoutineDefinition | undefined => (id === def.id ? noRules : undefined);
  let now = stockholmInstant('2030-01-07', 9);
  const today = (): LocalDate => now.toISOString().slice(0, 10);
  const allFields = [...def.phases.flatMap((p) => p.captures ?? []), ...def.steps.flatMap((s) => s.captures ?? [])];
  const facts: Record<string, FactValue> = {};
  for (const f of allFields) facts[f.fact ?? f.name] = defaultValue(f, today());
  const roles = Object.fromEntries(ROLE_IDS.map((r) => [r, `kontroll-${r}`]));
  const actor = { personId: 'kontroll', roles: [...ROLE_IDS] };
  const start = decide(null, { type: 'start', caseRef: 'KONTROLL', routineId: def.id, phase: phaseId, facts, roles }, now, lookup);
  if (!start.ok) {
    error(`skedet ${phaseId} kan inte starta med standardvärden: ${start.message}`);
    return;
  }
  let state = start.next;
  const horizon = stockholmInstant('2032-01-07', 9);
  for (let guard = 0; guard < 400 && state.status === 'open'; guard++) {
    const open = Object.values(state.steps).filter((s) => s.status === 'open').sort((a, b) => a.seq - b.seq)[0];
    let event: CaseEvent | undefined;
    if (open) {
      const step = noRules.steps.find((s) => s.id === open.stepId);
      if (!step) break;
      const data: Record<string, FactValue> = {};
      for (const f of step.captures ?? []) data[f.name] = defaultValue(f, today());
      if (step.completedBy.by === 'document') {
        event = { type: 'document', kind: 'behovsbedomning', bb: { kind: bbKindFor(def.steps.find((s) => s.id === step.id) ?? step) as 'infor_kop', assessedOn: today(), dailyPrice: 1000, statedDailyPrice: 1000, priceCheck: 'ok', exception: null } };
      } else if (step.completedBy.by === 'provider_reply') {
        event = { type: 'provider_reply', kind: step.completedBy.kind, date: today(), data };
      } else {
        event = { type: 'complete', stepKey: open.key, actor, data };
      }
    } else {
      const next = Object.entries(state.timers)
        .filter(([, t]) => t.action.type === 'open_step' || t.action.type === 'open_occurrence')
        .sort((a, b) => a[1].at.localeCompare(b[1].at))[0];
      if (!next || new Date(next[1].at) > horizon) break;
      if (new Date(next[1].at) > now) now = new Date(next[1].at);
      event = { type: 'timer', key: next[0] };
    }
    const d = decide(state, event, now, lookup);
    if (!d.ok) {
      const stepId = open?.stepId;
      error(`skedet ${phaseId}: normala vägen med standardvärden stannar: ${d.message}`, stepId);
      return;
    }
    state = d.next;
    now = new Date(now.getTime() + 60 * 60 * 1000);
  }
  for (const s of def.steps) {
    if (!s.phases.includes(phaseId) || s.when) continue;
    const skipped = Object.values(state.steps).some((i) => i.stepId === s.id && i.status === 'skipped');
    if (skipped) {
      const waits = s.opensOn.on === 'steps_done' ? s.opensOn.steps.join(', ') : '';
      error(`skedet ${phaseId}: steget hoppas över i den normala vägen (utan undantag) fast rutinen kräver det; det väntar bara på steg som hoppats över (${waits})`, s.id);
    }
  }
  for (const i of Object.values(state.steps)) {
    const s = def.steps.find((x) => x.id === i.stepId);
    if (s?.deadline?.type === 'offset' && i.status !== 'skipped' && i.due === null) error(`skedet ${phaseId}: tidsfristen kan inte räknas ut (datumet den utgår från saknas)`, s.id);
  }
}

