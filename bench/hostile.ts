// Reads every input of the hostile corpus as a mail, through the same worker-thread reader the
// app uses, and prints the time per input and the worst event-loop delay meanwhile.
// Targets: under 1 s per megabyte of input; event-loop delay under 100 ms.
// Usage: npm run bench:hostile
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { hasTokenShape, findToken } from '../domain/providers/token.ts';
import { createLogger } from '../lib/logger.ts';
import { createBbReader } from '../mail/bb-reader.ts';
import { HOSTILE_SUBJECTS, HOSTILE_TEXTS } from '../test/fixtures/hostile-inputs.ts';

const TARGET_MS_PER_MB = 1_000;
const TARGET_LOOP_DELAY_MS = 100;
const MB = 1024 * 1024;

const asMail = (text: string) =>
  Buffer.from(`From: pl@kommun.test\r\nTo: bot@kommun.test\r\nSubject: BB\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${text}`);

const reader = createBbReader({ timeoutMs: 60_000, logger: createLogger({ level: 'warn', format: 'json', toStderr: true }) });
const line = (k: string, v: string): void => { process.stdout.write(`${k.padEnd(46)}${v}\n`); };
// Warm the worker (its first start loads the parser and extractors).
await reader.read(asMail('Boendepris: 1'));

// Inputs are built before measuring: building megabyte strings is the bench's work, not the app's.
const mails = HOSTILE_TEXTS.map((h) => ({ name: h.name, raw: asMail(h.text()) }));
const subjects = HOSTILE_SUBJECTS.map((h) => ({ name: h.name, subject: h.text() }));

// The same monitor on an idle loop first: on a busy machine the scheduler alone delays a loop.
const idle = monitorEventLoopDelay({ resolution: 10 });
idle.enable();
await new Promise((r) => setTimeout(r, 3_000));
idle.disable();

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let worstRatio = 0;
for (const h of mails) {
  const raw = h.raw;
  const t0 = performance.now();
  await reader.read(raw);
  const ms = performance.now() - t0;
  const perMb = ms / (raw.length / MB);
  worstRatio = Math.max(worstRatio, perMb / TARGET_MS_PER_MB);
  line(h.name, `${ms.toFixed(0).padStart(6)} ms  ${(raw.length / MB).toFixed(2)} MB  ${perMb.toFixed(0).padStart(5)} ms/MB  (${(perMb / TARGET_MS_PER_MB).toFixed(2)}× target)`);
}
// Subjects are checked on the main thread (the token check is cheap and bounded): measure that too.
for (const h of subjects) {
  const subject = h.subject;
  const t0 = performance.now();
  hasTokenShape(subject);
  findToken(subject);
  const ms = performance.now() - t0;
  const perMb = ms / (subject.length / MB);
  worstRatio = Math.max(worstRatio, perMb / TARGET_MS_PER_MB);
  line(h.name, `${ms.toFixed(0).padStart(6)} ms  ${(subject.length / MB).toFixed(2)} MB  ${perMb.toFixed(0).padStart(5)} ms/MB  (${(perMb / TARGET_MS_PER_MB).toFixed(2)}× target)`);
}
loop.disable();
await reader.close();
const worstDelayMs = loop.max / 1e6;
line('worst time per MB / target', `${worstRatio.toFixed(2)}×`);
line('worst event-loop delay', `${worstDelayMs.toFixed(0)} ms (${(worstDelayMs / TARGET_LOOP_DELAY_MS).toFixed(2)}× target of ${TARGET_LOOP_DELAY_MS} ms)`);
line('  same, idle loop on this machine', `${(idle.max / 1e6).toFixed(0)} ms`);
line('  99th percentile while parsing', `${(loop.percentile(99) / 1e6).toFixed(0)} ms`);
