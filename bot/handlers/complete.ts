import { z } from 'zod';
import { activeSubstitute } from '../../db/people.ts';
import type { FieldSpec } from '../../domain/routines/types.ts';
import { noCaseMessage } from '../../services/case-access.ts';
import type { TaskView } from '../../services/types.ts';
import { takeCaseRef } from '../args.ts';
import { auditRead } from '../../services/audit-read.ts';
import { fieldValues } from '../card-values.ts';
import { card, heading, text } from '../cards/card.ts';
import { completedCard } from '../cards/completed-card.ts';
import { COMPLETE_VERB, taskCard } from '../cards/task-card.ts';
import type { CommandContext } from '../commands.ts';
import type { BotDeps } from '../deps.ts';
import { editDistance, fold } from '../fuzzy.ts';
import type { CardAction, InvokeResult } from '../invoke.ts';
import { notifyOriginalHolder } from '../notify.ts';
import { sendCard, sendText } from '../reply.ts';
import type { StepSnapshot } from '../step-lookup.ts';

type StepRef = Pick<StepSnapshot, 'routineId' | 'routineVersion' | 'stepId'>;

export function capturesOf(deps: BotDeps, s: StepRef): readonly FieldSpec[] {
  return deps.routines(s.routineId, s.routineVersion)?.steps.find((d) => d.id === s.stepId)?.captures ?? [];
}

/** Steps the mailbox completes (the BB): their card has nothing to press. */
export function awaitsDocument(deps: BotDeps, s: StepRef): boolean {
  return deps.routines(s.routineId, s.routineVersion)?.steps.find((d) => d.id === s.stepId)?.completedBy.by === 'document';
}

/** "klar REF [STEG]": completes the one step you hold on the case, or asks which, or shows the card for its data. */
export async function completeCommand(ctx: CommandContext): Promise<void> {
  const { ref, rest } = takeCaseRef(ctx.words);
  if (!ref) return sendText(ctx.turn, 'Skriv **klar** följt av ärendets referens, t.ex. **klar FF-2026-0142**, eller tryck Klart på uppgiftens kort.');
  const onCase = (await ctx.deps.cases.listTasks(ctx.person.id)).filter((t) => t.caseRef.toUpperCase() === ref);
  if (onCase.length === 0) {
    // No case and no role on it read the same (as for "ärende"): the answer must not reveal which references exist.
    if (!(await ctx.deps.cases.mayAccess(ref, ctx.person.id))) return sendText(ctx.turn, noCaseMessage(ref));
    return sendText(ctx.turn, `Du har ingen öppen uppgift i ${ref}. Skriv **ärende ${ref}** för att se vem som har vad.`);
  }
  const selector = rest.join(' ');
  const task = pickTask(onCase, selector);
  const only = onCase.length === 1 ? onCase[0] : undefined;
  if (!task && only) {
    return sendText(ctx.turn, `Steget ”${selector.trim()}” känner jag inte igen i ${ref}. Ditt öppna steg där är **${only.stepKey}** – ${only.title}: skriv **klar ${ref}** eller **klar ${ref} ${only.stepKey}**.`);
  }
  if (!task) {
    await auditRead(ctx.deps, ctx.person.id, 'tasks.list', { caseRef: ref, stepKeys: onCase.map((t) => t.stepKey) });
    const list = onCase.map((t) => `- **${t.stepKey}** – ${t.title}`).join('\n');
    return sendText(ctx.turn, `Du har flera öppna steg i ${ref}. Skriv **klar ${ref} STEG** med ett av dessa:\n\n${list}`);
  }
  const captures = capturesOf(ctx.deps, task);
  const awaits = awaitsDocument(ctx.deps, task);
  if (awaits || captures.some((f) => f.required || f.requiredWhen)) {
    // The step needs data: the card asks for it, with the same Klart button (or says the mail completes it).
    await auditRead(ctx.deps, ctx.person.id, 'tasks.list', { caseRef: ref, stepKeys: [task.stepKey] });
    const message = awaits ? undefined : 'Fyll i uppgifterna och tryck Klart.';
    return sendCard(ctx.turn, taskCard({ ...task, captures, message, awaitsDocument: awaits }), task.title);
  }
  const r = await ctx.deps.cases.completeStep({ caseRef: task.caseRef, stepKey: task.stepKey, personId: ctx.person.id });
  if (!r.ok) return sendText(ctx.turn, r.message);
  await afterCompletion(ctx.deps, ctx.person, { ...task, assigneeId: task.onBehalfOf }, ctx.today);
  await sendText(ctx.turn, `✅ Klart: ${r.title} (${task.caseRef}).${nextLine(r.opened)}`);
}

function pickTask(tasks: TaskView[], selector: string): TaskView | undefined {
  if (tasks.length === 1 && selector.trim() === '') return tasks[0];
  const s = fold(selector.trim());
  if (!s) return undefined;
  const exact = tasks.filter((t) => fold(t.stepKey) === s || fold(t.stepId) === s || fold(t.title) === s);
  if (exact.length === 1) return exact[0];
  const close = tasks.filter((t) => editDistance(fold(t.stepKey), s) <= 2 || fold(t.title).includes(s));
  return close.length === 1 ? close[0] : undefined;
}

function nextLine(opened: TaskView[]): string {
  return opened.length > 0 ? ` Nästa: ${opened.map((t) => t.title).join(', ')}.` : '';
}

const completeData = z.object({ caseRef: z.string().min(1), stepKey: z.string().min(1) }).passthrough();

/** The "Klart" button. Compare-and-set in the service: a second click or a retry gets the completed card back. */
export const completeAction: CardAction = {
  verb: COMPLETE_VERB,
  what: 'markera steget som klart',
  run: async (ctx): Promise<InvokeResult> => {
    const parsed = completeData.safeParse(ctx.data);
    if (!parsed.success) return 'Kortet saknar uppgifter om steget. Skriv **mina uppgifter** för aktuella kort.';
    const { caseRef, stepKey } = parsed.data;
    // A forged card must not learn whether the case exists, its steps or who holds them: the step
    // is read alongside the access check (one wait instead of two) but used only once it passed.
    const [allowed, before] = await Promise.all([ctx.deps.cases.mayAccess(caseRef, ctx.person.id), ctx.deps.steps(caseRef, stepKey)]);
    if (!allowed) return noCaseMessage(caseRef);
    if (!before) return `Steget finns inte (längre) i ${caseRef}.`;
    const captures = capturesOf(ctx.deps, before);
    const data = fieldValues(captures, ctx.data, ctx.today);
    // The card shows the done step, not what it opened: the opened steps come as their own cards.
    const r = await ctx.deps.cases.completeStep({ caseRef, stepKey, personId: ctx.person.id, data, listOpened: false });
    if (r.ok) {
      // The step as this completion left it, done by this person: no second read needed.
      const done: StepSnapshot = { ...before, title: r.title, status: 'done', completedBy: ctx.person.id, completedByName: ctx.person.name, completedAt: r.completedAt ? new Date(r.completedAt) : null };
      await afterCompletion(ctx.deps, ctx.person, { ...done, assigneeId: before.assigneeId }, ctx.today);
      return doneCard(done);
    }
    const after = (await ctx.deps.steps(caseRef, stepKey)) ?? before;
    // The compare-and-set loser (a second click, a retry): the service's "Redan klart: …" sentence.
    if (r.code === 'step_not_open' && after.status === 'done') return doneCard(after, r.message);
    if (r.code === 'step_not_open' || r.code === 'case_closed') {
      return card([heading(after.title), text(`${caseRef} ${after.clientInitials}: ${r.message}`)]);
    }
    const late = after.due !== null && after.due < ctx.today;
    const problem = r.code === 'wrong_role' ? `${r.message}${await holderLine(ctx.deps, after)}` : r.message;
    return taskCard({ ...after, late, captures, problem, awaitsDocument: awaitsDocument(ctx.deps, after) });
  },
};

/** `already`: the sentence for someone who clicked after the step was done. */
function doneCard(s: StepSnapshot, already?: string) {
  return completedCard({ ...s, byName: s.completedByName, at: s.completedAt, already });
}

/** A refusal names the role; the card also names who holds it, so the reader knows whom to ask. */
async function holderLine(deps: BotDeps, s: StepSnapshot): Promise<string> {
  if (!s.assigneeId) return '';
  const name = (await deps.people.names([s.assigneeId])).get(s.assigneeId);
  return name ? ` Rollen har ${name} på ${s.caseRef}.` : '';
}

/** A substitute did the step: the absent holder is told what was done (DESIGN.md, Absence). */
async function afterCompletion(deps: BotDeps, person: { id: string; name: string }, step: Pick<StepSnapshot, 'caseRef' | 'stepKey' | 'title' | 'assigneeId'>, today: string): Promise<void> {
  const holder = step.assigneeId;
  if (!holder || holder === person.id) return;
  if ((await activeSubstitute(deps.db, holder, today)) !== person.id) return;
  await notifyOriginalHolder(deps, { holderId: holder, caseRef: step.caseRef, stepKey: step.stepKey, message: `${person.name} markerade "${step.title}" i ${step.caseRef} som klart under din frånvaro.` });
}
