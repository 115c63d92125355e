import type { ProviderServices } from '../../services/providers.ts';
import type { CommandContext } from '../commands.ts';
import type { BotDeps } from '../deps.ts';
import { fold } from '../fuzzy.ts';
import { sendText } from '../reply.ts';

/** The provider service the composition root built (absent without provider mail). */
function providersFor(deps: BotDeps): ProviderServices | undefined {
  return deps.providers;
}

const PROVIDER_USAGE = [
  '**leverantör ickeval REF** – föreslår nästa utförare i turordningen; **leverantör ickeval REF bekräfta** väljer den',
  '**leverantör val REF NAMN** – registrerar den enskildes eget val',
  '**leverantör svar** – svar från utförare som du behöver läsa; **leverantör svar klart NR** när det är hanterat',
  '**leverantör NAMN tar emot nya: ja/nej** – ändrar registret (samordnare LSS/SoL)',
].join('\n');

/**
 * "leverantör …": ickeval in turn, the person's own choice, provider replies to read, and small
 * register edits. Thin: the words are read here, the rules live in services/providers.ts.
 */
export async function providersCommand(ctx: CommandContext): Promise<void> {
  const providers = providersFor(ctx.deps);
  if (!providers) return sendText(ctx.turn, 'Leverantörsfunktionerna är inte igång i den här installationen.');
  const words = ctx.words;
  const first = fold(words[0] ?? '');
  const personId = ctx.person.id;
  if (first === 'ickeval') {
    const ref = words[1]?.toUpperCase();
    if (!ref) return sendText(ctx.turn, 'Skriv t.ex. **leverantör ickeval FF-2026-0142**.');
    if (fold(words[2] ?? '').startsWith('bekraft')) {
      const r = await providers.confirmIckeval(ref, personId);
      return sendText(ctx.turn, r.ok ? `✅ ${r.provider.name} är vald utförare för ${ref} (ickeval). Utföraren får ett mejl om att beställningen är på väg; skicka sedan beställningen (steget Beställning).` : r.message);
    }
    const r = await providers.proposeIckeval(ref, personId);
    return sendText(ctx.turn, r.ok ? `Nästa utförare i turordningen för ${ref}: **${r.provider.name}**${r.again ? ' (samma förslag som tidigare)' : ''}. Skriv **leverantör ickeval ${ref} bekräfta** för att välja den.` : r.message);
  }
  if (first === 'val') {
    const ref = words[1]?.toUpperCase();
    const name = words.slice(2).join(' ');
    if (!ref || !name) return sendText(ctx.turn, 'Skriv t.ex. **leverantör val FF-2026-0142 Omsorg AB**.');
    const r = await providers.registerChoice(ref, name, personId);
    return sendText(ctx.turn, r.ok ? `✅ ${r.provider.name} är vald utförare för ${ref}. Utföraren får ett mejl om att beställningen är på väg.` : r.message);
  }
  if (first === 'svar') {
    if (fold(words[1] ?? '') === 'klart') {
      const id = Number(words[2]);
      if (!Number.isInteger(id)) return sendText(ctx.turn, 'Skriv t.ex. **leverantör svar klart 12**.');
      const r = await providers.closeTask(id, personId);
      return sendText(ctx.turn, r.ok ? `✅ Svaret nummer ${id} på ${r.task.caseRef} är hanterat.` : r.message);
    }
    const tasks = await providers.inboxTasks(personId);
    if (tasks.length === 0) return sendText(ctx.turn, 'Du har inga svar från utförare att läsa.');
    // The reply's text went to the handläggare by mail; chat shows only reference and reason.
    const lines = tasks.map((t) => `- **${t.id}** ${t.caseRef} (${t.createdAt.toISOString().slice(0, 10)}): ${t.reason}`);
    return sendText(ctx.turn, ['Svar från utförare att läsa (texten finns i ditt mejl):', ...lines].join('\n'));
  }
  const text = words.join(' ');
  const m = /^(.+?)\s+tar\s+emot\s+nya(?:\s+kunder)?\s*:?\s*(ja|nej)$/iu.exec(text);
  if (m?.[1] && m[2]) {
    const value = m[2].toLowerCase() === 'ja';
    const r = await providers.setNewCustomers(m[1], value, personId);
    return sendText(ctx.turn, r.ok ? `✅ ${r.provider.name} tar ${value ? 'emot' : 'inte emot'} nya kunder.` : r.message);
  }
  return sendText(ctx.turn, PROVIDER_USAGE);
}
