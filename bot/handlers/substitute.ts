import { TeamsInfo } from 'botbuilder';
import { z } from 'zod';
import { appendAudit } from '../../db/audit.ts';
import { addSubstitute, findByAadId, findByEmail, findByName, type PersonRow } from '../../db/people.ts';
import { isLocalDate, type LocalDate } from '../../domain/calendar/local-date.ts';
import { nameWords, readDate, takeDateRange } from '../args.ts';
import { SET_SUBSTITUTE_VERB, substituteCard } from '../cards/substitute-card.ts';
import type { CommandContext } from '../commands.ts';
import type { BotDeps } from '../deps.ts';
import type { CardAction } from '../invoke.ts';
import { sendCard, sendText } from '../reply.ts';

/** "ersättare @person från–till"; without arguments, the card. */
export async function substituteCommand(ctx: CommandContext): Promise<void> {
  const line = ctx.words.join(' ');
  if (line.trim() === '') return sendCard(ctx.turn, substituteCard(), 'Ersättare');
  const substitute = (await mentioned(ctx)) ?? (await byWords(ctx.deps, ctx.words));
  if (!substitute) return sendText(ctx.turn, 'Jag hittade inte ersättaren. Nämn personen med @ eller skriv e-postadressen, t.ex. **ersättare anna.andersson@kommun.se 2026-07-01–2026-07-31**.');
  const range = takeDateRange(line.replace(/<at>[^<]*<\/at>/g, ' ').replace(/\S+@\S+/g, ' '), ctx.today);
  if (!range) return sendText(ctx.turn, 'Ange perioden, t.ex. **2026-07-01–2026-07-31** eller **1/7 till 31/7**.');
  await sendText(ctx.turn, await save(ctx.deps, ctx.person, substitute, range.from, range.to, ctx.today));
}

/** A Teams @mention other than the bot: ask Teams who it is, then find them in the directory. */
async function mentioned(ctx: CommandContext): Promise<PersonRow | undefined> {
  const botId = ctx.turn.activity.recipient.id;
  const mention = (ctx.turn.activity.entities ?? []).find((e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id !== botId) as
    | { mentioned: { id: string } }
    | undefined;
  if (!mention) return undefined;
  const member = await TeamsInfo.getMember(ctx.turn, mention.mentioned.id);
  if (member.aadObjectId) {
    const p = await findByAadId(ctx.deps.db, member.aadObjectId.toLowerCase());
    if (p) return p;
  }
  const email = member.email ?? member.userPrincipalName;
  return email ? findByEmail(ctx.deps.db, email) : undefined;
}

async function byWords(deps: BotDeps, words: string[]): Promise<PersonRow | undefined> {
  const email = words.find((w) => w.includes('@') && w.length > 3);
  if (email) return findByEmail(deps.db, email.replace(/^@/, ''));
  const name = nameWords(words).slice(0, 3).join(' ');
  const found = name ? await findByName(deps.db, name) : [];
  return found.length === 1 ? found[0] : undefined;
}

async function save(deps: BotDeps, person: PersonRow, substitute: PersonRow, from: LocalDate, to: LocalDate, today: LocalDate): Promise<string> {
  if (substitute.id === person.id) return 'Du kan inte vara din egen ersättare.';
  if (from > to) return 'Perioden slutar före den börjar. Ange från–till i rätt ordning.';
  if (to < today) return 'Perioden har redan passerat.';
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await addSubstitute(tx, { personId: person.id, substituteId: substitute.id, fromDate: from, toDate: to, createdBy: person.id }, now);
    await appendAudit(tx, { actor: person.id, action: 'substitute.set', detail: { substituteId: substitute.id, from, to } }, now);
  });
  return `✅ ${substitute.name} är din ersättare ${from}–${to}. Uppgifter och påminnelser går dit under perioden; du ser vad som gjorts.`;
}

const substituteData = z.object({ substitute: z.string().trim().min(3), from: z.string(), to: z.string() });

export const setSubstituteAction: CardAction = {
  verb: SET_SUBSTITUTE_VERB,
  what: 'spara ersättaren',
  run: async (ctx) => {
    const parsed = substituteData.safeParse(ctx.data);
    if (!parsed.success) return substituteCard({ problem: 'Fyll i ersättarens e-post och båda datumen.' });
    const from = readDate(parsed.data.from, ctx.today);
    const to = readDate(parsed.data.to, ctx.today);
    if (!from || !to || !isLocalDate(from) || !isLocalDate(to)) return substituteCard({ problem: 'Datumen kunde inte läsas.' });
    const substitute = await findByEmail(ctx.deps.db, parsed.data.substitute);
    if (!substitute) return substituteCard({ problem: `${parsed.data.substitute} finns inte i personalkatalogen.` });
    const message = await save(ctx.deps, ctx.person, substitute, from, to, ctx.today);
    return message.startsWith('✅') ? substituteCard({ done: message }) : substituteCard({ problem: message });
  },
};
