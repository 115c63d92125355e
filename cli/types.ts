import type { Config } from '../config.ts';
import type { DbHandle } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { PnrCrypto } from '../lib/pnr-crypto.ts';

/** What a command writes to. Commands return their exit code; only main.ts sets the process's. */
export type CliIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
};

/** A command's behaviour; its name, usage and summary live in the table in cli/index.ts. */
export type CliCommand = {
  run: (args: string[], ctx: CliContext) => Promise<number>;
};

export type CliContext = {
  io: CliIo;
  /** The command's usage line, for its own error messages. */
  usage: string;
  /** The routine folder the service would use (ROUTINES_DIR); absent: the shipped one. */
  routinesDir?: string;
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
  /** The data keys from the settings (built by main.ts); commands that read sealed data need it. */
  crypto?: PnrCrypto;
  /** Who runs the command, for the audit trail (e.g. `cli:anna`). */
  actor?: string;
};
