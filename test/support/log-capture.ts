import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { inject } from 'vitest';
import { LOGGER_OPTIONS, type Logger } from '../../lib/logger.ts';

/**
 * Every log line the integration tier produces is kept, at debug level, in one file per test
 * process, and scanned when the run ends (global-setup.ts): a line holding a personnummer, a
 * client's name or mail text fails the run. Loggers in tests come from here, with the
 * production options (redaction, error serializers), so the scan sees what production would write.
 */
function captureFile(): string {
  const dir = inject('logCaptureDir');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, `${process.pid}.jsonl`);
}

export function testLogger(): Logger {
  const file = captureFile();
  const streams: pino.StreamEntry[] = [{ level: 'debug', stream: pino.destination({ dest: file, sync: true, append: true }) }];
  const shown = process.env.TEST_LOG_LEVEL;
  if (shown !== undefined && shown !== 'silent') streams.push({ level: shown as pino.Level, stream: process.stderr });
  return pino({ level: 'debug', ...LOGGER_OPTIONS }, pino.multistream(streams));
}

/** What a child process (the app started as a user would) printed, added to the capture. */
export function captureOutput(text: string): void {
  if (text.length > 0) appendFileSync(captureFile(), text.endsWith('\n') ? text : `${text}\n`);
}
