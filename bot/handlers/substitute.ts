import { TeamsInfo } from 'botbuilder';
import { z } from 'zod';
import { findByAadId, findByEmail, findByName, type PersonRow } from '../../db/people.ts';
import { isLocalDate } from '../../domain/calendar/local-date.ts';
import { nameWords, readDate, takeDateRange } from '../args.ts';
import { pickerChoices } from '../../services/people-search.ts';
import { peopleDataset } from '../cards/card.ts';
import { SET_SUBSTITUTE_VERB, substituteCard } from '../cards/substitute-card.ts';
import type { CommandContext } from '../commands.ts';
import type { BotDeps } from '../deps.ts';
import type { CardAction } from '../invoke.ts';
import { sendCard, sendText } from '../reply.ts';

const EMAIL = /^@?[^\s@]+@[^\s@]+$/;

/** "ersättare @person FRÅN–TILL [för ABSENT@…]"; without arguments, the card. The service holds the rules. */
export async function substituteCommand(ctx: CommandContext): Promise<void> {
  const line = ctx.words.join(' ').slice(0, 500);
  if (line.trim() === '') return sendCard(ctx.turn, substituteCard({ candidates: await substituteCandidates(ctx.deps, ctx.person) }), 'Ersättare');
  // "för anna@…": a manager names a substitute for someone in their team.
  const forAt = ctx.words.findIndex((w, i) => w.toLowerCase() === 'för' && EMAIL.test(ctx.words[i + 1] ?? ''));
  const absentEmail = forAt >= 0 ? ctx.words[forAt + 1] : undefined;
  const words = forAt >= 0 ? ctx.words.filter((_, i) => i !== forAt && i !== forAt + 1) : ctx.words;
  const substitute = (await mentioned(ctx)) ?? (await byWords(ctx.deps, words));
  if (!substitute) return sendText(ctx.turn, 'Jag hittade inte ersättaren. Nämn personen med @ eller skriv e-postadressen, t.ex. **ersättare anna.andersson@kommun.se 2026-07-01–2026-07-31**.');
  const absent = absentEmail ? await findByEmail(ctx.deps.db, absentEmail.replace(/^@/, '')) : ctx.person;
  if (!absent) return sendText(ctx.turn, `${absentEmail ?? ''} finns inte i personalkatalogen.`);
  const range = takeDateRange(words.join(' ').replace(/<at>[^<]*<\/at>/g, ' ').replace(/\S+@\S+/g, ' '), ctx.today);
  if (!range) return sendText(ctx.turn, 'Ange perioden, t.ex. **2026-07-01–2026-07-31** eller **1/7 till 31/7**.');
  const r = await ctx.deps.substitutes.nameSubstitute({ actorId: ctx.person.id, absentId: absent.id, substitute, from: range.from, to: range.to, today: ctx.today });
  await sendText(ctx.turn, r.message);
}

/** A Teams @mention other than the bot: ask Teams who it is, then find them in the directory by object id. */
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
  const email = words.find((w) => EMAIL.test(w));
  if (email) return findByEmail(deps.db, email.replace(/^@/, ''));
  const name = nameWords(words).slice(0, 3).join(' ');
  const found = name ? await findByName(deps.db, name) : [];
  return found.length === 1 ? found[0] : undefined;
}

const substituteData = z.object({
  substitute: z.string().trim().min(3).max(320),
  from: z.string().max(40),
  to: z.string().max(40),
  absent: z.string().trim().max(320).optional(),
});

export const setSubstituteAction: CardAction = {
  verb: SET_SUBSTITUTE_VERB,
  what: 'spara ersättaren',
  run: async (ctx) => {
    const problemCard = async (problem: string) => substituteCard({ problem, candidates: await substituteCandidates(ctx.deps, ctx.person) });
    const parsed = substituteData.safeParse(ctx.data);
    if (!parsed.success) return problemCard('Välj ersättare och fyll i båda datumen.');
    const from = readDate(parsed.data.from, ctx.today);
    const to = readDate(parsed.data.to, ctx.today);
    if (!from || !to || !isLocalDate(from) || !isLocalDate(to)) return problemCard('Datumen kunde inte läsas.');
    const substitute = await findByEmail(ctx.deps.db, parsed.data.substitute);
    if (!substitute) return problemCard(`${parsed.data.substitute} finns inte i personalkatalogen.`);
    const absent = parsed.data.absent ? await findByEmail(ctx.deps.db, parsed.data.absent) : ctx.person;
    if (!absent) return problemCard(`${parsed.data.absent ?? ''} finns inte i personalkatalogen.`);
    const r = await ctx.deps.substitutes.nameSubstitute({ actorId: ctx.person.id, absentId: absent.id, substitute, from, to, today: ctx.today });
    return r.ok ? substituteCard({ done: r.message }) : problemCard(r.message);
  },
};

/** Colleagues who could stand in (same role, same area), listed on the card before anything is typed. */
async function substituteCandidates(deps: BotDeps, person: PersonRow) {
  return (await pickerChoices(deps.db, person, [peopleDataset('substitute')])).get(peopleDataset('substitute')) ?? [];
}
