import { z } from 'zod';
import type { LocalDate } from '../../domain/calendar/local-date.ts';
import type { FieldSpec, PhaseDefinition } from '../../domain/routines/types.ts';
import { readDate, takeCaseRef, takeDate } from '../args.ts';
import { fieldValues } from '../card-values.ts';
import { changedNeedCard, CHANGED_NEED_VERB } from '../cards/changed-need-card.ts';
import { FIELD_PREFIX } from '../cards/task-card.ts';
import type { CommandContext } from '../commands.ts';
import type { BotDeps } from '../deps.ts';
import type { CardAction } from '../invoke.ts';
import { sendCard, sendText } from '../reply.ts';
import { routineOfCase } from '../../db/case-steps.ts';
import { redraw } from './redraw-case.ts';
import { noCaseMessage } from '../../services/case-access.ts';

const PHASE_ID = 'forandrade_behov';

/** The case's förändrade behov phase, or why there is none. */
async function changedNeedPhase(deps: BotDeps, caseRef: string, personId: string): Promise<PhaseDefinition | string> {
  if (!(await deps.cases.mayAccess(caseRef, personId))) return noCaseMessage(caseRef);
  const c = await routineOfCase(deps.db, caseRef);
  if (!c) return noCaseMessage(caseRef);
  const phase = deps.routines(c.routineId, c.routineVersion)?.phases.find((p) => p.id === PHASE_ID);
  return phase ?? `Ärendet ${caseRef} följer en rutin utan förändrade behov.`;
}

/** The service takes the phase's first date as `since` (when the need arose); the card does the same. */
function sinceField(phase: PhaseDefinition): FieldSpec | undefined {
  return phase.captures?.find((f) => f.kind === 'date' || f.kind === 'document_date');
}

/**
 * What the card starts with: the chat line's date as when the need arose, and today in the other
 * date fields (the request is being made now; its date becomes the new contract's start).
 */
function prefill(phase: PhaseDefinition, since: LocalDate | undefined, today: LocalDate): Record<string, string> {
  const first = sinceField(phase)?.name;
  const out: Record<string, string> = {};
  for (const f of phase.captures ?? []) {
    if (f.kind !== 'date' && f.kind !== 'document_date') continue;
    if (f.name === first) {
      if (since) out[f.name] = since;
    } else out[f.name] = today;
  }
  return out;
}

async function sendForm(ctx: { deps: BotDeps; today: LocalDate; person: { id: string } }, caseRef: string, since: LocalDate | undefined) {
  const phase = await changedNeedPhase(ctx.deps, caseRef, ctx.person.id);
  return typeof phase === 'string' ? phase : changedNeedCard({ caseRef, phase, values: prefill(phase, since, ctx.today) });
}

/** "förändrat behov REF sedan DATUM": the card with the date filled in; the rest is asked there. */
export async function changedNeedCommand(ctx: CommandContext): Promise<void> {
  const { ref, rest } = takeCaseRef(ctx.words);
  if (!ref) return sendText(ctx.turn, 'Ange ärendets referens, t.ex. **förändrat behov FF-2026-0142 sedan 2026-01-15**.');
  const form = await sendForm(ctx, ref, takeDate(rest, ctx.today).date);
  if (typeof form === 'string') return sendText(ctx.turn, form);
  await sendCard(ctx.turn, form, `${ref}: förändrat behov`);
}

const refData = z.object({ caseRef: z.string().min(1), date: z.string().optional() });

/** The timeline card's "Förändrat behov" button: the same card, with its date field carried over. */
export const openChangedNeedAction = (verb: string): CardAction => ({
  verb,
  what: 'anmäla förändrat behov',
  run: async (ctx) => {
    const data = refData.safeParse(ctx.data);
    if (!data.success) return 'Kortet saknar ärendereferens. Skriv **ärende REF** för ett nytt kort.';
    const since = data.data.date ? readDate(data.data.date, ctx.today) : undefined;
    return sendForm(ctx, data.data.caseRef, since);
  },
});

/** "Anmäl förändrat behov": the service checks role, the 3 months and the documentation. */
export const changedNeedAction: CardAction = {
  verb: CHANGED_NEED_VERB,
  what: 'anmäla förändrat behov',
  run: async (ctx) => {
    const data = refData.safeParse(ctx.data);
    if (!data.success) return 'Kortet saknar ärendereferens. Skriv **ärende REF** för ett nytt kort.';
    const caseRef = data.data.caseRef;
    const phase = await changedNeedPhase(ctx.deps, caseRef, ctx.person.id);
    if (typeof phase === 'string') return phase;
    const typed = Object.fromEntries(
      (phase.captures ?? []).map((f) => [f.name, ctx.data[`${FIELD_PREFIX}${f.name}`]]).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    const retry = (problem: string) => changedNeedCard({ caseRef, phase, values: typed, problem });
    const values = fieldValues(phase.captures ?? [], ctx.data, ctx.today);
    const field = sinceField(phase);
    const since = field ? values[field.name] : undefined;
    if (!field || typeof since !== 'string') return retry(`Fyll i ${field?.label ?? 'datum'}.`);
    const { [field.name]: _since, ...others } = values;
    const r = await ctx.deps.cases.reportChangedNeed({ caseRef, since, personId: ctx.person.id, data: others });
    if (!r.ok) return retry(r.message);
    return redraw(ctx, caseRef, true, `✅ ${r.title}.`);
  },
};
