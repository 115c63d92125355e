import { auditVerifyCommand } from './audit.ts';
import { bbCopyCommand } from './bb-copy.ts';
import { parseBbCommand } from './parse-bb.ts';
import { routineCommands } from './routines.ts';
import { remindersPreviewCommand } from './reminders.ts';
import type { CliCommand, CliContext } from './types.ts';
import { usersImportCommand } from './users-import.ts';
import { providersImportCommand } from './providers-import.ts';
import { unitsImportCommand } from './units-import.ts';
import { demoCommand } from './demo.ts';
import { doctorCommand } from './doctor.ts';

/** One table drives both dispatch and the help text. */
export const commands: CliCommand[] = [
  parseBbCommand,
  bbCopyCommand,
  ...routineCommands,
  usersImportCommand,
  providersImportCommand,
  unitsImportCommand,
  auditVerifyCommand,
  remindersPreviewCommand,
  demoCommand,
  doctorCommand,
];

export function findCommand(argv: string[]): { command: CliCommand; args: string[] } | undefined {
  // Longest match first, so `routine show` wins over a hypothetical `routine`.
  const sorted = [...commands].sort((a, b) => b.words.length - a.words.length);
  for (const command of sorted) {
    if (command.words.every((w, i) => argv[i] === w)) {
      return { command, args: argv.slice(command.words.length) };
    }
  }
  return undefined;
}

export function helpText(): string {
  const lines = ['Användning: npx boendelotsen <kommando>', '', 'Utan kommando startar tjänsten.', '', 'Kommandon:'];
  for (const c of commands) lines.push(`  ${c.usage.padEnd(44)} ${c.summary}`);
  return lines.join('\n') + '\n';
}

export async function runCommand(command: CliCommand, args: string[], ctx: CliContext): Promise<number> {
  return command.run(args, ctx);
}
