import { roleTitle } from '../roles.ts';
import type { Amount, Condition, DateKind, DateRef, DeadlineRule, DurationRule, OpensOn, ParamValue, RoleRule, RoutineDefinition, RuleSpec, StepDefinition } from './types.ts';

/** A routine in Swedish, step by step, for the people who configure it (`routine show`). */
export function describeRoutine(def: RoutineDefinition): string {
  const lines = [
    `${def.title} (${def.id} version ${def.version})`,
    `Källa: ${def.source}`,
    `Kan startas av: ${def.startableBy.map(roleTitle).join(' eller ')}`,
    '',
    'Parametrar (ändras i rutinfilen, utan kod):',
    ...Object.entries(def.params).map(([name, value]) => `  ${name} = ${param(value)}`),
    '',
  ];
  for (const phase of def.phases) {
    lines.push(`${phase.title} [${phase.id}]`);
    if (phase.beginBy) lines.push(`  Startas av: ${phase.beginBy.map(roleTitle).join(' eller ')}`);
    if (phase.timer) lines.push(`  Startas automatiskt: ${dateRule(phase.timer.at.from, phase.timer.at.add, phase.timer.at.kind, def)}`);
    for (const r of phase.rules ?? []) lines.push(`  Regel: ${rule(r, def)}`);
    // A step shared by several phases is listed under each, so every phase reads complete.
    for (const step of def.steps.filter((s) => s.phases.includes(phase.id))) lines.push(...describeStep(step, def));
    lines.push('');
  }
  lines.push(`Avslut: ${def.closing.by.map(roleTitle).join(' eller ')}; informeras: ${def.closing.notify.map(roleTitle).join(', ') || '–'}`);
  return lines.join('\n') + '\n';
}

function describeStep(step: StepDefinition, def: RoutineDefinition): string[] {
  const out = [`  • ${step.title} [${step.id}]`, `      Ansvarig: ${role(step.role)}`, `      Startar: ${opens(step.opensOn, def)}`];
  if (step.when) out.push(`      Bara om: ${condition(step.when)}`);
  if (step.deadline) out.push(`      Tidsfrist: ${deadline(step.deadline, def)}`);
  for (const r of step.rules ?? []) out.push(`      Regel: ${rule(r, def)}`);
  for (const d of step.derive ?? []) out.push(`      Räknar ut ${d.fact}: ${dateRule(d.rule.from, d.rule.add, d.rule.kind, def)}`);
  if (step.phases.length > 1) out.push(`      Hör till skedena: ${step.phases.join(', ')}`);
  if (step.recurrence) {
    const r = step.recurrence;
    out.push(r.every === 'month'
      ? `      Återkommande: varje månad, senast den ${amount(r.dueDay, def)}:e`
      : `      Återkommande: var ${amount(r.months, def)}:e månad från ${ref(r.anchor)}`);
  }
  if (step.extendable) out.push(`      Kan förlängas av ${roleTitle(step.extendable.by)} till högst ${amountDate(step.extendable.maxTotal.from, step.extendable.maxTotal.add, def)}`);
  const notified = [...(step.notify?.onComplete ?? [])].map(roleTitle);
  if (notified.length > 0) out.push(`      Informeras när klart: ${notified.join(', ')}`);
  return out;
}

function role(rule: RoleRule): string {
  if (typeof rule === 'string') return roleTitle(rule);
  if ('anyOf' in rule) return rule.anyOf.map(roleTitle).join(' eller ');
  return `${roleTitle(rule.then)} om ${condition(rule.when)}, annars ${roleTitle(rule.else)}`;
}

function opens(o: OpensOn, def: RoutineDefinition): string {
  switch (o.on) {
    case 'phase_start':
      return 'när skedet startar';
    case 'steps_done':
      return `när ${o.steps.join(o.mode === 'any' ? ' eller ' : ' och ')} är klart`;
    case 'timer':
      return `automatiskt ${dateRule(o.at.from, o.at.add, o.at.kind, def)}${o.cancelledBy ? ` om inte ${o.cancelledBy.join(', ')} är klart` : ''}`;
    case 'action':
      return 'när någon registrerar det (kan upprepas)';
  }
}

function deadline(d: DeadlineRule, def: RoutineDefinition): string {
  if (d.type === 'au_submission') return 'sista inlämningsdag före nästa AU-sammanträde';
  if (d.type === 'occurrence') return 'enligt återkommande schema';
  return dateRule(d.from, d.add, d.kind, def);
}

function dateRule(from: DateRef, add: DurationRule | undefined, kind: DateKind, def: RoutineDefinition): string {
  const base = amountDate(from, add, def);
  if (kind === 'deadline') return `${base} (faller den på en fridag flyttas den till nästa vardag)`;
  if (kind === 'validity') return `${base} (giltighetsdag, flyttas inte)`;
  return `vardagen efter fristen ${base}, när fristen har flyttats till nästa vardag`;
}

function rule(r: RuleSpec, def: RoutineDefinition): string {
  if (r.rule === 'condition') return `${r.message} (${condition(r.when)})`;
  const limit = r.rule === 'min_months' ? 'minst' : 'högst';
  return `${r.message} (${ref(r.to)} ${limit} ${amount(r.months, def)} månader efter ${ref(r.from)})`;
}

function param(value: ParamValue): string {
  if (!Array.isArray(value)) return String(value);
  if (value.length === 0) return 'inga AU-sammanträden';
  return `AU-sammanträden: ${value.map((m) => `${m.date} (lämna in senast ${m.submissionDeadline})`).join(', ')}`;
}

function amountDate(from: DateRef, add: DurationRule | undefined, def: RoutineDefinition): string {
  const parts: string[] = [];
  if (add?.months !== undefined) parts.push(`${amount(add.months, def)} ${plural(add.months, def, 'månad', 'månader')}`);
  if (add?.days !== undefined) parts.push(`${amount(add.days, def)} ${plural(add.days, def, 'dag', 'dagar')}`);
  if (add?.workingDays !== undefined) parts.push(`${amount(add.workingDays, def)} ${plural(add.workingDays, def, 'arbetsdag', 'arbetsdagar')}`);
  return parts.length === 0 ? ref(from) : `${parts.join(' + ')} från ${ref(from)}`;
}

function plural(a: Amount, def: RoutineDefinition, one: string, many: string): string {
  const n = typeof a === 'number' ? a : def.params[a.param];
  return n === 1 || n === -1 ? one : many;
}

function amount(a: Amount, def: RoutineDefinition): string {
  if (typeof a === 'number') return String(a);
  const value = def.params[a.param];
  return `${typeof value === 'number' ? String(value) : '?'} (${a.param})`;
}

function ref(r: DateRef): string {
  if (r === 'opened') return 'att steget öppnades';
  if (r === 'today') return 'i dag';
  return r.fact;
}

function condition(c: Condition): string {
  if ('all' in c) return c.all.map(condition).join(' och ');
  if ('any' in c) return `(${c.any.map(condition).join(' eller ')})`;
  if ('not' in c) return `inte ${condition(c.not)}`;
  if ('stepDone' in c) return `${c.stepDone} är klart`;
  if ('phase' in c) return `skedet ${c.phase}`;
  if ('exists' in c) return `${c.fact} ${c.exists ? 'finns' : 'saknas'}`;
  if ('in' in c) return `${c.fact} är ${c.in.join('/')}`;
  return `${c.fact} = ${String(c.equals)}`;
}
