import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureOutput } from './log-capture.ts';
import { freePort, waitFor } from './services/system.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export type AppProcess = {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  stop: (signal?: NodeJS.Signals) => Promise<number | string>;
};

/**
 * How the app is started: `production` runs the compiled JavaScript with plain node, as
 * `npm start` does; `npm-start` runs `npm start` itself (what a supervisor starts); a path runs a
 * test entry point (test/support/*.ts) through tsx.
 */
export type AppCommand = 'production' | 'npm-start' | { testEntry: string };

function commandLine(command: AppCommand): [string, string[]] {
  if (command === 'production') return [process.execPath, [path.join(ROOT, 'bin', 'boendelotsen.js')]];
  if (command === 'npm-start') return ['npm', ['start', '--silent']];
  return [process.execPath, ['--import', 'tsx', path.join(ROOT, 'test', 'support', command.testEntry)]];
}

/** Starts the real app as a user would (the production command by default), on a free port. */
export async function startApp(
  env: Record<string, string>,
  opts: { waitHealthy?: boolean; healthyWithinMs?: number; command?: AppCommand; captureLogs?: boolean } = {},
): Promise<AppProcess> {
  const port = await freePort();
  const [file, args] = commandLine(opts.command ?? 'production');
  const child = spawn(file, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LOG_FORMAT: 'json', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      // The app's own log lines join the suite's log scan (a benchmark, outside vitest, has none).
      if (opts.captureLogs !== false) captureOutput(out);
      resolve(code ?? signal ?? -1);
    });
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const app: AppProcess = {
    child,
    baseUrl,
    output: () => out,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  if (opts.waitHealthy !== false) {
    let exitedEarly = false;
    void exited.then(() => (exitedEarly = true));
    await waitFor('appen svarar på /healthz', async () => {
      if (exitedEarly) throw new Error(`appen avslutades under start:\n${out}`);
      try {
        const res = await fetch(`${baseUrl}/healthz`);
        return res.status === 200;
      } catch {
        return false;
      }
    }, opts.healthyWithinMs ?? 90_000);
  }
  return app;
}

/** The test entry point whose mail handler "distributes" every accepted mail to TEST_DISTRIBUTE_TO. */
export const STAND_IN_APP: AppCommand = { testEntry: 'app-with-stand-in-handler.ts' };

/**
 * Settings for the stand-in app on the shared test mail services: it reads `bot`'s mailbox,
 * sends through the test relay with `senders` connections and trusts the test gateway's verdict
 * (the app process has no test DNS, as behind a municipal gateway).
 */
export function standInAppEnv(opts: {
  url: string;
  bot: string;
  recipients: readonly string[];
  senders: number;
  mail: { imapPort: number; smtpPort: number; password: string };
  gatewayServId: string;
  logLevel?: string;
}): Record<string, string> {
  const { mail } = opts;
  return {
    DATABASE_URL: opts.url, NODE_ENV: 'test', LOG_LEVEL: opts.logLevel ?? 'warn',
    IMAP_HOST: '127.0.0.1', IMAP_PORT: String(mail.imapPort), IMAP_SECURE: 'false', IMAP_USER: opts.bot, IMAP_PASSWORD: mail.password, IMAP_POLL_INTERVAL_MS: '1000',
    SMTP_HOST: '127.0.0.1', SMTP_PORT: String(mail.smtpPort), SMTP_SECURE: 'false', MAIL_FROM: opts.bot, MAIL_INTERNAL_DOMAINS: 'kommun.test', MAIL_SEND_CONCURRENCY: String(opts.senders),
    MAIL_AUTH_SERVID: opts.gatewayServId,
    TEST_DISTRIBUTE_TO: opts.recipients.join(','),
  };
}
