import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, openSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { authenticate } from 'mailauth';
import { GATEWAY_SERVID, testDnsResolver } from '../dkim.ts';
import { commandExists, ensureDebianPackages, freePort, waitFor } from './system.ts';

/** The one password every test mailbox accepts (passdb static: any address is a user). */
const MAIL_PASSWORD = 'test-secret';

export type Dovecot = {
  host: '127.0.0.1';
  imapPort: number;
  lmtpPort: number;
  password: string;
  dir: string;
  /** Stops the server and starts it again on the same ports, keeping every mailbox. */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
};

/**
 * A throwaway Dovecot (IMAP + LMTP) on loopback from its own config in a temp dir: nothing in
 * /etc/dovecot is read. Any address is a user (static passdb/userdb), so every recipient has a
 * mailbox; Processed, Quarantine and Sent are created on first use.
 */
export async function startDovecot(): Promise<Dovecot> {
  ensureDebianPackages('Dovecot (IMAP och LMTP)', ['dovecot-imapd', 'dovecot-lmtpd'], () => commandExists('dovecot') && existsSync('/usr/lib/dovecot/lmtp') && existsSync('/usr/lib/dovecot/imap'));
  const dir = mkdtempSync(path.join(tmpdir(), 'boendelotsen-dovecot-'));
  chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'mail']) mkdirSync(path.join(dir, sub));
  // Dovecot refuses to run mail processes as root: the mail files belong to nobody.
  if (process.getuid?.() === 0) chownSync(path.join(dir, 'mail'), uidOf('nobody'), gidOf('nogroup'));
  const imapPort = await freePort();
  const lmtpPort = await freePort();
  const conf = path.join(dir, 'dovecot.conf');
  writeFileSync(conf, dovecotConf(dir, imapPort, lmtpPort));

  const pidFile = path.join(dir, 'run', 'master.pid');
  const start = async () => {
    // Detached stdio: a daemon holding our stdout would keep `npm test | tee` from ever ending.
    const out = openSync(path.join(dir, 'dovecot.stderr'), 'a');
    const res = spawnSync('dovecot', ['-c', conf], { stdio: ['ignore', out, out] });
    closeSync(out);
    if (res.status !== 0) throw new Error(`dovecot startade inte (${res.status}):\n${readLog(dir)}`);
    // The master writes its pid file after it opens the ports: wait for both, or stop() misses it.
    await waitFor('Dovecot svarar på IMAP och LMTP', async () => existsSync(pidFile) && (await canConnect(imapPort)) && (await canConnect(lmtpPort)), 15_000);
  };
  const stop = async () => {
    if (!existsSync(pidFile)) throw new Error(`Dovecot: ingen pid-fil i ${dir}`);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    await waitFor('Dovecot stannar', async () => !isAlive(pid) && !(await canConnect(imapPort)), 15_000);
  };
  await start();
  return {
    host: '127.0.0.1',
    imapPort,
    lmtpPort,
    password: MAIL_PASSWORD,
    dir,
    restart: async () => {
      await stop();
      await start();
    },
    stop: async () => {
      try {
        await stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function dovecotConf(dir: string, imapPort: number, lmtpPort: number): string {
  return `# Test-only Dovecot: loopback, plaintext auth, any address is a mailbox.
base_dir  = ${dir}/run
state_dir = ${dir}/state
log_path  = ${dir}/dovecot.log
protocols = imap lmtp
listen    = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
default_login_user    = dovenull
postmaster_address    = postmaster@test.invalid
mail_location = maildir:~/Maildir
# Throwaway data: durability is not what these tests are about, speed is.
mail_fsync = never
passdb {
  driver = static
  args = password=${MAIL_PASSWORD}
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=${dir}/mail/%Lu allow_all_users=yes
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Processed {
    auto = create
  }
  mailbox Quarantine {
    auto = create
  }
  mailbox Sent {
    auto = create
    special_use = \\Sent
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service imap {
  process_limit = 512
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
}
protocol lmtp {
  auth_username_format = %Lu
}
`;
}

export type SmtpRelay = {
  port: number;
  /** Connections are refused until up() (a real outage, not an SMTP error reply). */
  down: () => Promise<void>;
  up: () => Promise<void>;
  stop: () => Promise<void>;
  /** With `forwardExcept`: each mail the relay passed on, by Message-ID and envelope recipients. */
  forwarded: () => ForwardedMail[];
};

/** A mail the relay passed on towards a mail system elsewhere (`forwardExcept`). */
export type ForwardedMail = { messageId: string; to: string[] };

/**
 * An SMTP endpoint on loopback that hands each mail to Dovecot over LMTP, so sent mail lands in
 * the recipients' IMAP mailboxes. Recipients `reject-5xx@…` get 550 and `defer-4xx@…` get 451.
 * It is also the municipal gateway: it verifies each mail (mailauth, test DNS) and stamps an
 * Authentication-Results header with its authserv-id, after removing any a sender wrote with it.
 *
 * `answer` says when the final dot is answered. 'delivered' (the tests): after Dovecot has the
 * mail, so a test may read the mailbox as soon as the sender has its 250. 'queued' (the
 * benches): as Postfix or Exchange answer, once the mail is in the relay's queue (a spool file);
 * the LMTP delivery follows in the background (stop() waits for it). A relay that delivers
 * before it answers makes the sender pay for the recipient's mailbox server, which no real relay
 * in front of a mailbox does. The spool file is not flushed to disk, for the reason Dovecot here
 * runs with mail_fsync=never and PostgreSQL with fsync=off: the benches measure our code, not
 * this machine's disk (a real relay's fsync on a server's SSD costs well under a millisecond).
 *
 * `forwardExcept` (with 'queued', for bench:mail): only mail for those addresses is delivered
 * into this machine's Dovecot (the bot's mailbox). Mail for anyone else is what a municipal
 * gateway passes on to the staff's mail system on other machines: the relay records its
 * Message-ID and envelope recipients (forwarded()) and drops it once spooled, so the machine
 * under measurement does not also do the staff's mailbox servers' work.
 */
export async function startSmtpRelay(opts: { lmtpPort: number; port?: number; answer?: 'delivered' | 'queued'; forwardExcept?: readonly string[] }): Promise<SmtpRelay> {
  const port = opts.port ?? (await freePort());
  const lmtp = nodemailer.createTransport({ host: '127.0.0.1', port: opts.lmtpPort, lmtp: true, secure: false, ignoreTLS: true, pool: true, maxConnections: 8 });
  const queue = opts.answer === 'queued' ? createSpoolQueue() : undefined;
  const local = opts.forwardExcept ? new Set(opts.forwardExcept.map((a) => a.toLowerCase())) : undefined;
  if (local && !queue) throw new Error('forwardExcept needs answer: queued');
  const forwarded: ForwardedMail[] = [];
  /** Delivers the local recipients' copy over LMTP; records the rest as passed on. */
  const onward = async (envelope: { from: string; to: string[] }, raw: Buffer) => {
    const here = local ? envelope.to.filter((a) => local.has(a.toLowerCase())) : envelope.to;
    const elsewhere = local ? envelope.to.filter((a) => !local.has(a.toLowerCase())) : [];
    if (elsewhere.length > 0) forwarded.push({ messageId: messageIdOf(raw), to: elsewhere });
    if (here.length > 0) await lmtp.sendMail({ envelope: { from: envelope.from, to: here }, raw });
  };
  let server: SMTPServer | undefined;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        size: 60 * 1024 * 1024,
        closeTimeout: 200,
        onRcptTo(address, _session, cb) {
          if (address.address.startsWith('reject-5xx@')) return cb(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
          if (address.address.startsWith('defer-4xx@')) return cb(Object.assign(new Error('4.2.1 Try later'), { responseCode: 451 }));
          cb();
        },
        onData(stream: SMTPServerDataStream, session: SMTPServerSession, cb) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            if (stream.sizeExceeded) return cb(Object.assign(new Error('5.3.4 Message too big'), { responseCode: 552 }));
            const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
            const envelope = { from, to: session.envelope.rcptTo.map((r) => r.address) };
            const received = Buffer.concat(chunks);
            // Only mail for a mailbox here is judged and stamped here, as the receiving gateway
            // does: mail passed on to another system is judged by that system's gateway.
            const staysHere = !local || envelope.to.some((a) => local.has(a.toLowerCase()));
            (staysHere ? stamp(received, { ip: session.remoteAddress, helo: session.hostNameAppearsAs, sender: from }) : Promise.resolve(received))
              .then(async (raw) => {
                if (!queue) return lmtp.sendMail({ envelope, raw }).then(() => 'delivered via lmtp');
                await queue.add(raw, () => onward(envelope, raw));
                return 'queued';
              })
              .then(
                (reply) => cb(null, reply),
                (err: unknown) => cb(Object.assign(new Error(`4.3.0 lmtp failed: ${String(err)}`), { responseCode: 451 })),
              );
          });
        },
      });
      s.on('error', () => {}); // a client dropping mid-session is not the relay's problem
      s.listen(port, '127.0.0.1', () => resolve());
      s.server.once('error', reject);
      server = s;
    });
  const close = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = undefined;
      if (!s) return resolve();
      s.close(() => resolve());
    });

  await listen();
  return {
    port,
    down: close,
    up: async () => {
      if (!server) await listen();
    },
    stop: async () => {
      await close();
      await queue?.drain();
      lmtp.close();
    },
    forwarded: () => forwarded,
  };
}

/** The Message-ID header's value (angle brackets kept), or '' when the mail has none. */
function messageIdOf(raw: Buffer): string {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end < 0 ? raw.length : end).toString('latin1');
  return /^message-id:[ \t]*(\S+)/im.exec(head)?.[1] ?? '';
}

/**
 * The relay's queue in 'queued' mode: each mail is written to a spool file before the 250 (what
 * makes a real relay's answer a promise), delivered in the background, then removed.
 * A failed delivery is retried once a second for half a minute, as a relay keeps a deferred mail queued.
 */
function createSpoolQueue() {
  const dir = mkdtempSync(path.join(tmpdir(), 'boendelotsen-relay-spool-'));
  const pending = new Set<Promise<void>>();
  let n = 0;
  return {
    async add(raw: Buffer, deliver: () => Promise<unknown>): Promise<void> {
      const file = path.join(dir, String(++n));
      await writeFile(file, raw);
      const delivery = (async () => {
        for (let tries = 1; ; tries++) {
          try {
            await deliver();
            break;
          } catch (err) {
            if (tries >= 30) {
              process.stderr.write(`testreläet gav upp ett köat brev: ${String(err)}\n`);
              break;
            }
            await new Promise((r) => setTimeout(r, 1_000));
          }
        }
        await rm(file, { force: true });
      })();
      pending.add(delivery);
      void delivery.finally(() => pending.delete(delivery));
    },
    async drain(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A relay that answers when queued ('queued' above), in a child process (relay-process.ts): for
 * the benches, where the relay's work must not land on the event loop being measured. With
 * `forwardExcept`, stop() gives the mails it passed on (see startSmtpRelay).
 */
export async function startSmtpRelayProcess(opts: { lmtpPort: number; forwardExcept?: readonly string[] }): Promise<{ port: number; stop: () => Promise<ForwardedMail[]> }> {
  const args = [String(opts.lmtpPort), ...(opts.forwardExcept ? [opts.forwardExcept.join(',')] : [])];
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'relay-process.ts'), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  // All it prints is kept: the port on the first line, the mails it passed on on the second, at stop.
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = /^(\d+)\n/.exec(out);
      if (line) resolve(Number(line[1]));
    });
    child.once('exit', (code) => reject(new Error(`SMTP-reläet avslutades innan det lyssnade (${code})`)));
  });
  const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  return {
    port,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      const tally = out.split('\n')[1] ?? '';
      return tally ? (JSON.parse(tally) as ForwardedMail[]) : [];
    },
  };
}

/** What a receiving gateway does: drop forged results in its name, verify, and prepend its own. */
async function stamp(raw: Buffer, client: { ip: string; helo: string; sender: string }): Promise<Buffer> {
  const cleaned = dropHeaders(raw, (line) => /^authentication-results:\s*mx\.kommun\.test\s*;/i.test(line));
  const result = await authenticate(cleaned, { ...client, mta: GATEWAY_SERVID, resolver: testDnsResolver, disableBimi: true });
  return Buffer.concat([Buffer.from(result.headers), cleaned]);
}

/** Removes whole header fields (with their folded lines) whose first line matches. */
function dropHeaders(raw: Buffer, matches: (firstLine: string) => boolean): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return raw;
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
  const kept: string[] = [];
  let dropping = false;
  for (const line of lines) {
    const folded = line.startsWith(' ') || line.startsWith('\t');
    if (!folded) dropping = matches(line);
    if (!dropping) kept.push(line);
  }
  return Buffer.concat([Buffer.from(kept.join('\r\n'), 'latin1'), raw.subarray(end)]);
}

function uidOf(user: string): number {
  return Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
}
function gidOf(group: string): number {
  return Number(spawnSync('getent', ['group', group], { encoding: 'utf8' }).stdout.split(':')[2]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function readLog(dir: string): string {
  return ['dovecot.stderr', 'dovecot.log']
    .map((f) => path.join(dir, f))
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f, 'utf8').slice(-4000))
    .join('\n');
}
