/**
 * The SMTP relay in a process of its own, as a bench starts it: a real relay runs on another
 * machine, so the process under measurement should not spend its event loop verifying and
 * queuing the mail it sends. Prints the port on its first line; stops (draining its queue) on
 * SIGTERM or when its stdin closes, and then prints, as one JSON line, the mails it passed on
 * (startSmtpRelay's forwardExcept). Usage:
 * node --import tsx test/support/services/relay-process.ts LMTP_PORT [LOCAL_ADDRESS,…]
 */
import { startSmtpRelay } from './mail.ts';

const lmtpPort = Number(process.argv[2]);
const local = process.argv[3]?.split(',').filter(Boolean);
const relay = await startSmtpRelay({ lmtpPort, answer: 'queued', ...(local ? { forwardExcept: local } : {}) });
process.stdout.write(`${relay.port}\n`);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void relay.stop().then(() => process.stdout.write(`${JSON.stringify(relay.forwarded())}\n`, () => process.exit(0)));
};
process.once('SIGTERM', stop);
// The bench holds our stdin open: if it dies without stopping us, we go too.
process.stdin.once('end', stop).resume();
