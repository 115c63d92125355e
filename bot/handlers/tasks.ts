import type { InboxTaskRef } from '../../db/task-list.ts';
import { listTasksAndRepliesAudited } from '../../services/case-views.ts';
import type { TaskView } from '../../services/types.ts';
import type { CommandContext } from '../commands.ts';
import { taskCard } from '../cards/task-card.ts';
import { sendTextWithCards } from '../reply.ts';
import { awaitsDocument, capturesOf } from './complete.ts';

/**
 * "mina uppgifter": routine steps (the service already orders them late first, then by deadline)
 * and provider replies the mailbox could not read, which wait on the same person.
 */
export async function myTasks(ctx: CommandContext): Promise<void> {
  // The read writes its audit entry (the cases the list shows) in the same statement.
  const { tasks, replies } = await listTasksAndRepliesAudited(ctx.deps, ctx.person.id);
  // Each task's own card comes with the list, so Klart is one click away (the first few: a chat is not a report).
  const cards = tasks.slice(0, TASK_CARDS).map((task) => ({
    card: taskCard({ ...task, captures: capturesOf(ctx.deps, task), awaitsDocument: awaitsDocument(ctx.deps, task) }),
    summary: `${task.caseRef}: ${task.title}`,
  }));
  await sendTextWithCards(ctx.turn, tasksText(tasks, replies), cards);
}

/** How many task cards "mina uppgifter" sends after the list; the rest are in the list. */
const TASK_CARDS = 5;

function tasksText(tasks: TaskView[], replies: InboxTaskRef[] = []): string {
  if (tasks.length === 0 && replies.length === 0) return 'Du har inga öppna uppgifter just nu.';
  const lines = tasks.map((t, i) => {
    const flag = t.late ? '⚠️ ' : '';
    const due = t.due ? `senast ${t.due}${t.late ? ' (försenad)' : ''}` : 'ingen tidsgräns';
    const behalf = t.onBehalfOf ? ' (som ersättare)' : '';
    return `${i + 1}. ${flag}**${t.caseRef} ${t.clientInitials}** – ${t.title} – ${due}${behalf}`;
  });
  // Only the reference and the day: the reply's text may hold health details, so it went by mail.
  const replyLines = replies.map(
    (r, i) => `${tasks.length + i + 1}. Svar från utförare att läsa: **${r.caseRef}** – inkom ${r.createdAt.toISOString().slice(0, 10)}, texten finns i ditt mejl – skriv **leverantör svar klart ${r.id}** när det är hanterat`,
  );
  const total = tasks.length + replies.length;
  const cards = tasks.length > TASK_CARDS ? `Korten för de ${TASK_CARDS} första finns här under` : tasks.length > 0 ? 'Korten finns här under' : '';
  const hint = cards ? `${cards}: tryck Klart på kortet när steget är gjort, eller skriv **klar REF**.` : 'Skriv **klar REF** när ett steg är gjort.';
  return [`**Mina uppgifter (${total})**`, '', ...lines, ...replyLines, '', hint].join('\n');
}
