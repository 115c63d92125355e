import { stockholmDate } from '../../domain/calendar/stockholm.ts';
import { linkQuarantinedBb, listLinkable } from '../../mail/link-quarantined.ts';
import type { CaseEngine } from '../../services/case-service.ts';
import { takeCaseRef } from '../args.ts';
import type { CommandContext } from '../commands.ts';
import { sendText } from '../reply.ts';

const EXAMPLE = 'koppla 12 FF-2026-0142';

/**
 * "koppla": the planeringsledare's BB mails in quarantine for an unknown case reference.
 * "koppla ID REF": links one to the right case (mail/link-quarantined.ts holds the rules).
 */
export async function linkMailCommand(ctx: CommandContext): Promise<void> {
  const person = { id: ctx.person.id, roles: ctx.person.roles };
  const [first, ...rest] = ctx.words;
  if (first === undefined) {
    const listed = await listLinkable(ctx.deps.db, person);
    if (!listed.ok) return sendText(ctx.turn, listed.message);
    if (listed.mails.length === 0) return sendText(ctx.turn, 'Du har inga behovsbedömningar i karantän som väntar på att kopplas till ett ärende.');
    const lines = listed.mails.map((m) => `- **${m.id}** – ${stockholmDate(m.receivedAt ?? m.quarantinedAt)} – ${m.namedCaseRef === '' ? 'angav ingen referens' : `angav ${m.namedCaseRef}`}`);
    return sendText(ctx.turn, ['Dina behovsbedömningar i karantän (mejl-id – datum – referensen i mejlet):', '', ...lines, '', `Koppla ett mejl till rätt ärende med **koppla MEJL-ID REF**, t.ex. **${EXAMPLE}**.`].join('\n'));
  }
  const id = /^#?(\d{1,12})$/.exec(first)?.[1];
  const { ref } = takeCaseRef(rest);
  if (id === undefined || ref === undefined) return sendText(ctx.turn, `Skriv mejlets id och ärendets referens, t.ex. **${EXAMPLE}**. Skriv **koppla** för att se dina mejl i karantän.`);
  // The real case service carries the engine the link goes through (as the provider commands use it).
  const engine = (ctx.deps.cases as { engine?: CaseEngine }).engine;
  if (!engine) return sendText(ctx.turn, 'Att koppla mejl är inte igång i den här installationen.');
  const r = await linkQuarantinedBb({ db: ctx.deps.db, engine, logger: ctx.deps.logger, clock: ctx.deps.clock }, { id: Number(id), caseRef: ref, person });
  await sendText(ctx.turn, r.message);
}
