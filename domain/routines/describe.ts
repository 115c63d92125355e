import { roleTitle } from '../roles.ts';
import type { Amount, Condition, DateRef, DeadlineRule, DurationRule, OpensOn, RoleRule, RoutineDefinition, StepDefinition } from './types.ts';

/** A routine in Swedish, step by step, for the people who configure it (`routine show`). */
export function describeRoutine(def: RoutineDefinition): string {
  const lines = [`${def.title} (${def.id} version ${def.version})`, `Källa: ${def.source}`, ''];
  for (const phase of def.phases) {
    lines.push(`${phase.title} [${phase.id}]`);
    if (phase.beginBy) lines.push(`  Startas av: ${phase.beginBy.map(roleTitle).join(' eller ')}`);
    if (phase.timer) lines.push(`  Startas automatiskt: ${amountDate(phase.timer.at.from, phase.timer.at.add, def)}`);
    for (const step of def.steps.filter((s) => s.phases[0] === phase.id)) lines.push(...describeStep(step, def));
    lines.push('');
  }
  lines.push(`Avslut: ${def.closing.by.map(roleTitle).join(' eller ')}; informeras: ${def.closing.notify.map(roleTitle).join(', ') || '–'}`);
  return lines.join('\n') + '\n';
}

function describeStep(step: StepDefinition, def: RoutineDefinition): string[] {
  const out = [`  • ${step.title} [${step.id}]`, `      Ansvarig: ${role(step.role)}`, `      Startar: ${opens(step.opensOn, def)}`];
  if (step.when) out.push(`      Bara om: ${condition(step.when)}`);
  if (step.deadline) out.push(`      Tidsfrist: ${deadline(step.deadline, def)}`);
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
      return `automatiskt ${amountDate(o.at.from, o.at.add, def)}${o.cancelledBy ? ` om inte ${o.cancelledBy.join(', ')} är klart` : ''}`;
    case 'action':
      return 'när någon registrerar det (kan upprepas)';
  }
}

function deadline(d: DeadlineRule, def: RoutineDefinition): string {
  if (d.type === 'au_submission') return 'sista inlämningsdag före nästa AU-sammanträde';
  if (d.type === 'occurrence') return 'enligt återkommande schema';
  const moved = { deadline: ' (flyttas till nästa vardag)', validity: ' (giltighetsdag, flyttas inte)', after_deadline: ' (nästa vardag efter fristen, som flyttas till nästa vardag)' }[d.kind];
  return amountDate(d.from, d.add, def) + moved;
}

function amountDate(from: DateRef, add: DurationRule | undefined, def: RoutineDefinition): string {
  const parts: string[] = [];
  if (add?.months !== undefined) parts.push(`${amount(add.months, def)} månad(er)`);
  if (add?.days !== undefined) parts.push(`${amount(add.days, def)} dag(ar)`);
  if (add?.workingDays !== undefined) parts.push(`${amount(add.workingDays, def)} arbetsdag(ar)`);
  return parts.length === 0 ? ref(from) : `${parts.join(' + ')} från ${ref(from)}`;
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
