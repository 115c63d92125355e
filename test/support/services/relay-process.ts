/**
 * The SMTP relay in a process of its own, as a bench starts it: a real relay runs on another
 * machine, so the process under measurement should not spend its event loop verifying and
 * queuing the mail it sends. Prints the port on its first line; stops (draining its queue) on
 * SIGTERM or when its stdin closes. Usage: node --import tsx test/support/services/relay-process.ts LMTP_PORT
 */
import { startSmtpRelay } from './mail.ts';

const lmtpPort = Number(process.argv[2]);
const relay = await startSmtpRelay({ lmtpPort, answer: 'queued' });
process.stdout.write(`${relay.port}\n`);
const stop = () => void relay.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
// The bench holds our stdin open: if it dies without stopping us, we go too.
process.stdin.once('end', stop).resume();
