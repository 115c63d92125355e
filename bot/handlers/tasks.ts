import type { TaskView } from '../../services/types.ts';
import { auditRead } from '../audit-read.ts';
import type { CommandContext } from '../commands.ts';
import { sendText } from '../reply.ts';

/** "mina uppgifter": the service already orders them late first, then by deadline. */
export async function myTasks(ctx: CommandContext): Promise<void> {
  const tasks = await ctx.deps.cases.listTasks(ctx.person.id);
  await auditRead(ctx.deps, ctx.person.id, 'tasks.list', { caseRefs: [...new Set(tasks.map((t) => t.caseRef))] });
  await sendText(ctx.turn, tasksText(tasks));
}

export function tasksText(tasks: TaskView[]): string {
  if (tasks.length === 0) return 'Du har inga öppna uppgifter just nu.';
  const lines = tasks.map((t, i) => {
    const flag = t.late ? '⚠️ ' : '';
    const due = t.due ? `senast ${t.due}${t.late ? ' (försenad)' : ''}` : 'ingen tidsgräns';
    const behalf = t.onBehalfOf ? ' (som ersättare)' : '';
    return `${i + 1}. ${flag}**${t.caseRef} ${t.clientInitials}** – ${t.title} – ${due}${behalf}`;
  });
  return [`**Mina uppgifter (${tasks.length})**`, '', ...lines, '', 'Skriv **klar REF** när ett steg är gjort, eller tryck Klart på kortet.'].join('\n');
}
