import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { isLocalDate } from '../domain/calendar/local-date.ts';
import { stockholmInstant } from '../domain/calendar/stockholm.ts';
import { addDays } from '../domain/calendar/local-date.ts';
import type { TimedEvent } from '../domain/engine/simulate.ts';
import { ROLE_IDS } from '../domain/roles.ts';

/**
 * The events file of `simulate`, checked event by event: an unknown type or a missing actor is
 * refused with the event's index instead of being ignored or crashing the engine.
 */

const MAX_FILE_BYTES = 5 * 1024 * 1024;
const role = z.enum(ROLE_IDS);
const actor = z.object({ personId: z.string().min(1), roles: z.array(role).min(1), substituteFor: z.string().optional() }).strict();
const fact = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const data = z.record(fact).optional();
const date = z.string().refine(isLocalDate, 'ska vara ett datum ÅÅÅÅ-MM-DD');

const EVENT_SCHEMAS: Record<string, z.ZodType<Record<string, unknown>>> = {
  start: z.object({ type: z.literal('start'), caseRef: z.string().min(1), routineId: z.string().optional(), routineVersion: z.number().int().positive().optional(), phase: z.string().min(1), facts: data, roles: z.record(z.string()).optional() }).strict(),
  begin_phase: z.object({ type: z.literal('begin_phase'), phase: z.string().min(1), actor, data }).strict(),
  complete: z.object({ type: z.literal('complete'), stepKey: z.string().min(1), actor, data }).strict(),
  record: z.object({ type: z.literal('record'), stepId: z.string().min(1), actor, data }).strict(),
  document: z.object({
    type: z.literal('document'), kind: z.literal('behovsbedomning'), from: z.string().optional(),
    bb: z.object({
      kind: z.enum(['infor_kop', 'uppfoljande', 'forandrade_behov']), assessedOn: date, dailyPrice: z.number().nonnegative(),
      statedDailyPrice: z.number().nonnegative().nullable(), priceCheck: z.enum(['ok', 'mismatch', 'not_stated']),
      exception: z.object({ reason: z.string() }).nullable(),
    }).strict(),
  }).strict(),
  provider_reply: z.object({ type: z.literal('provider_reply'), kind: z.enum(['confirmed', 'started', 'genomforandeplan', 'manadsrapport', 'franvaro']), date, data }).strict(),
  timer: z.object({ type: z.literal('timer'), key: z.string().min(1) }).strict(),
  extend: z.object({ type: z.literal('extend'), stepKey: z.string().min(1), until: date, actor }).strict(),
  assign_role: z.object({ type: z.literal('assign_role'), role, personId: z.string().min(1) }).strict(),
  close: z.object({ type: z.literal('close'), actor, date, reason: z.string().min(1) }).strict(),
};

const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'ska vara en tidpunkt, t.ex. 2026-03-01T09:00:00+01:00');
const entry = z.object({ at: instant, event: z.record(z.unknown()) }).strict();
const fileShape = z.union([z.array(entry), z.object({ until: z.string().optional(), events: z.array(entry) }).strict()]);

export type SimulationInput = { ok: true; events: TimedEvent[]; until: string | undefined } | { ok: false; message: string };

/** `--until 2026-12-01` is the end of that day in Stockholm; a full instant is taken as given. */
function untilInstant(value: string): string | undefined {
  if (isLocalDate(value)) return stockholmInstant(addDays(value, 1), 0).toISOString();
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export async function readSimulationFile(file: string, routineId: string, untilOption: string | undefined): Promise<SimulationInput> {
  let raw: unknown;
  try {
    const text = await readFile(file, 'utf8');
    if (text.length > MAX_FILE_BYTES) return { ok: false, message: `${file} är större än ${MAX_FILE_BYTES} byte.` };
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `Kunde inte läsa ${file}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = fileShape.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `${file}: ${issue ? `${issue.path.join('.') || 'filen'}: ${issue.message}` : 'ogiltigt innehåll'} (väntat: en lista med {at, event} eller {until, events})` };
  }
  const list = Array.isArray(parsed.data) ? parsed.data : parsed.data.events;
  const events: TimedEvent[] = [];
  for (const [index, e] of list.entries()) {
    const type = e.event['type'];
    const schema = typeof type === 'string' ? EVENT_SCHEMAS[type] : undefined;
    if (!schema) return { ok: false, message: `Händelse ${index}: okänd händelsetyp ”${String(type)}”. Kända typer: ${Object.keys(EVENT_SCHEMAS).join(', ')}.` };
    const checked = schema.safeParse(e.event);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return { ok: false, message: `Händelse ${index} (${String(type)}): ${issue ? `${issue.path.join('.') || 'händelsen'}: ${issue.message}` : 'ogiltig'}.` };
    }
    // The routine named on the command line applies to the start event, whatever the file says.
    const event = type === 'start' ? { ...checked.data, routineId } : checked.data;
    events.push({ at: e.at, event } as TimedEvent);
  }
  const untilText = untilOption ?? (Array.isArray(parsed.data) ? undefined : parsed.data.until);
  if (untilText === undefined) return { ok: true, events, until: undefined };
  const until = untilInstant(untilText);
  if (until === undefined) return { ok: false, message: `--until ska vara ett datum ÅÅÅÅ-MM-DD eller en tidpunkt, inte ”${untilText}”.` };
  return { ok: true, events, until };
}
