import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { simulate, type TimedEvent } from '../domain/engine/simulate.ts';
import { describeRoutine } from '../domain/routines/describe.ts';
import { findRoutine, ROUTINES } from '../domain/routines/registry.ts';
import { readOptions } from './options.ts';
import type { CliCommand } from './types.ts';

/** Commands for the people who configure routines; none needs the database. */

export const routinesCommand: CliCommand = {
  run: (_args, { io }) => {
    for (const r of ROUTINES) io.stdout(`${r.id}\tversion ${r.version}\t${r.title}\n`);
    return Promise.resolve(0);
  },
};

export const routineShowCommand: CliCommand = {
  run: (args, { io, usage }) => {
    const opts = readOptions(args, { version: { type: 'string' } });
    if (!opts.ok) {
      io.stderr(`${opts.message}\nAnvändning: npx boendelotsen ${usage}\n`);
      return Promise.resolve(64);
    }
    const [id] = opts.positionals;
    const version = opts.values.version;
    const def = id ? findRoutine(id, version === undefined ? undefined : Number(version)) : undefined;
    if (!def) {
      io.stderr(`Okänd rutin: ${id ?? '(ingen angiven)'}. Se \`npx boendelotsen routines\`.\n`);
      return Promise.resolve(1);
    }
    io.stdout(describeRoutine(def));
    return Promise.resolve(0);
  },
};

const eventsFile = z.union([
  z.array(z.object({ at: z.string(), event: z.record(z.unknown()) })),
  z.object({
    until: z.string().optional(),
    events: z.array(z.object({ at: z.string(), event: z.record(z.unknown()) })),
  }),
]);

export const simulateCommand: CliCommand = {
  run: async (args, { io, usage }) => {
    const opts = readOptions(args, { events: { type: 'string' }, until: { type: 'string' } });
    if (!opts.ok) {
      io.stderr(`${opts.message}\nAnvändning: npx boendelotsen ${usage}\n`);
      return 64;
    }
    const [id] = opts.positionals;
    const file = opts.values.events;
    if (!id || !file || !findRoutine(id)) {
      io.stderr(`Användning: npx boendelotsen ${usage}\n`);
      return 1;
    }
    let parsed: z.infer<typeof eventsFile>;
    try {
      parsed = eventsFile.parse(JSON.parse(await readFile(file, 'utf8')));
    } catch (error) {
      io.stderr(`Kunde inte läsa ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    const list = Array.isArray(parsed) ? parsed : parsed.events;
    // The routine named on the command line applies to the start event, whatever the file says.
    const events = list.map((e) => (e.event['type'] === 'start' ? { ...e, event: { ...e.event, routineId: id } } : e)) as unknown as TimedEvent[];
    const until = opts.values.until ?? (Array.isArray(parsed) ? undefined : parsed.until);
    const result = simulate(events, until === undefined ? {} : { until });
    io.stdout(JSON.stringify({ timeline: result.timeline, refusals: result.refusals }, null, 2) + '\n');
    return 0;
  },
};

