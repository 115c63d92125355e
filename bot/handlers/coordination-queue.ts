import { takeCaseRef } from '../args.ts';
import type { CommandContext } from '../commands.ts';
import { sendText } from '../reply.ts';
import { findDate, takeFlag, takeInitials, takeKeyword, takeLegalBasis, withoutFiller, freeText } from './coordination-args.ts';
import { coordinationFor, resultText } from './coordination-deps.ts';
import type { QueueKind } from '../../domain/coordination/types.ts';
import { fold } from '../fuzzy.ts';

/** "kö" (housing decisions) or "väntelista" / "kö byte" (change of home), in offering order. */
export async function queueCommand(ctx: CommandContext, kind?: QueueKind): Promise<void> {
  const k: QueueKind = kind ?? (ctx.words.some((w) => fold(w) === 'byte') ? 'change_of_home' : 'decision');
  const r = await coordinationFor(ctx.deps).listQueue(k, ctx.person.id);
  if (!r.ok) return sendText(ctx.turn, r.message);
  const title = k === 'decision' ? 'Kö: beslut som väntar på plats' : 'Väntelista: byte av boende';
  if (r.entries.length === 0) return sendText(ctx.turn, `**${title}**\n\nIngen står i kön.`);
  const lines = r.entries.map((e) => {
    const extra = [
      `prio ${e.priority}`,
      `beslut ${e.decisionDate}`,
      `${e.housingKind}, ${e.legalBasis}`,
      e.areaWishes.length ? `önskar ${e.areaWishes.join('/')}` : '',
      e.declines ? `tackat nej ${e.declines} ggr` : '',
      e.needsInvestigation ? 'ny utredning behövs' : '',
      e.kind === 'change_of_home' ? `dokument ${e.changeDocumentDate ?? 'saknas'}` : '',
      e.holding ?? '',
    ].filter(Boolean);
    return `${e.position}. **${e.caseRef} ${e.initials}** – ${extra.join('; ')}`;
  });
  await sendText(ctx.turn, [`**${title}**`, '', ...lines].join('\n'));
}

const EXAMPLE = 'ställ i kö FF-2026-0142 E.B. beslut 2026-01-10 LSS gruppbostad prio 2 område Väster';

/** "ställ i kö REF INITIALER DATUM LAGRUM BOENDEFORM [prio N] [område A,B] [byte] [utredning] [dokument DATUM]" */
export async function addToQueueCommand(ctx: CommandContext): Promise<void> {
  let words = ctx.words;
  const ref = takeCaseRef(words);
  words = ref.rest;
  const prio = takeKeyword(words, 'prio');
  const area = takeKeyword(prio.rest, 'omrade');
  const doc = takeKeyword(area.rest, 'dokument');
  const byte = takeFlag(doc.rest, 'byte');
  const utredning = takeFlag(byte.rest, 'utredning');
  const initials = takeInitials(utredning.rest);
  const decision = findDate(withoutFiller(initials.rest.filter((w) => fold(w) !== 'beslut')), ctx.today);
  const basis = takeLegalBasis(decision.rest);
  const documentDate = doc.value ? findDate([doc.value], ctx.today).date : undefined;
  if (!ref.ref || !initials.initials || !decision.date || !basis.basis || basis.rest.length === 0) {
    return sendText(ctx.turn, `Skriv t.ex. **${EXAMPLE}**. Lägg till **byte** för väntelistan för byte av boende, **utredning** om ny utredning behövs och **dokument DATUM** för ”Byte BmSS/uppdaterad utredning”.`);
  }
  const r = await coordinationFor(ctx.deps).addQueueEntry({
    caseRef: ref.ref, clientInitials: initials.initials, kind: byte.present ? 'change_of_home' : 'decision', decisionDate: decision.date, legalBasis: basis.basis,
    housingKind: basis.rest.join(' '), areaWishes: area.value ? area.value.split(',').map((a) => a.trim()).filter(Boolean) : [],
    priority: prio.value ? Number(prio.value) : 2, needsInvestigation: utredning.present, changeDocumentDate: documentDate ?? null, personId: ctx.person.id,
  });
  await sendText(ctx.turn, resultText(r));
}

/** "utredning klar REF DATUM": the new investigation and its document date. */
export async function investigationDoneCommand(ctx: CommandContext): Promise<void> {
  const ref = takeCaseRef(ctx.words);
  const date = findDate(ref.rest, ctx.today).date;
  if (!ref.ref || !date) return sendText(ctx.turn, 'Skriv t.ex. **utredning klar FF-2026-0142 2026-02-01** (dokumentets datum).');
  await sendText(ctx.turn, resultText(await coordinationFor(ctx.deps).investigationDone({ caseRef: ref.ref, documentDate: date, personId: ctx.person.id })));
}

/** "avsluta kö REF ORSAK": only myndigheten ends a decision. */
export async function endQueueCommand(ctx: CommandContext): Promise<void> {
  const ref = takeCaseRef(ctx.words);
  const reason = freeText(ref.rest);
  if (!ref.ref || !reason) return sendText(ctx.turn, 'Skriv t.ex. **avsluta kö FF-2026-0142 beslutet upphävt**.');
  await sendText(ctx.turn, resultText(await coordinationFor(ctx.deps).endQueueEntry({ caseRef: ref.ref, reason, personId: ctx.person.id })));
}
