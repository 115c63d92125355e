import type { Config } from '../config.ts';
import type { DbHandle } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';

/** What a command writes to. Commands return their exit code; only main.ts calls process.exit. */
export type CliIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
};

export type CliCommand = {
  /** Words that name the command, e.g. ['routine', 'show']. */
  words: readonly string[];
  usage: string;
  /** Swedish one-line description for `boendelotsen hjälp`. */
  summary: string;
  /** Commands that need the database get it from the composition root. */
  needsDb: boolean;
  run: (args: string[], ctx: CliContext) => Promise<number>;
};

export type CliContext = {
  io: CliIo;
  /** The parsed configuration, for commands that do not want the database opened (and migrated) for them. */
  config?: Config;
  /** Present when the command declared needsDb. */
  services?: CliServices;
};

/** What the composition root gives a command that declared needsDb. */
export type CliServices = {
  handle: DbHandle;
  config: Config;
  clock: Clock;
};
