/**
 * A test entry point: the real app (main.ts, the production composition) with the BB handler
 * replaced by the stand-in, so the crash test can count distribution mails without building
 * cases. Production code has no such switch; only this file, run by the test, makes it.
 * TEST_DISTRIBUTE_TO names the addresses every accepted mail is "distributed" to.
 */
import { systemClock } from '../../lib/clock.ts';
import { main } from '../../main.ts';
import { createTestMailHandler } from './stand-in-mail-handler.ts';

const distributeTo = (process.env.TEST_DISTRIBUTE_TO ?? '').split(',').filter(Boolean);
const from = process.env.MAIL_FROM ?? '';
await main([], { mailHandler: createTestMailHandler({ distributeTo, from, clock: systemClock }) });
