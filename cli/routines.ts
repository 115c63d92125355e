import { loadCatalog } from './catalog.ts';
import { readOptions } from './options.ts';
import type { CliCommand } from './types.ts';

/**
 * Commands for the people who configure routines; none needs the database. Each reads the routine
 * folder (ROUTINES_DIR, else the shipped one) through the same checks as the service's start, and
 * loads its modules inside `run` so the other commands stay fast.
 */

export const routinesCommand: CliCommand = {
  run: async (_args, ctx) => {
    const catalog = await loadCatalog(ctx);
    if (!catalog) return 2;
    for (const r of catalog.all) ctx.io.stdout(`${r.id}\tversion ${r.version}\t${r.title}\n`);
    return 0;
  },
};

export const routinesValidateCommand: CliCommand = {
  run: async (args, ctx) => {
    const { DEFAULT_ROUTINES_DIR, loadRoutineCatalog, formatRoutineProblem } = await import('../services/routine-catalog.ts');
    const { stockholmDate } = await import('../domain/calendar/stockholm.ts');
    const folder = args[0] ?? ctx.routinesDir ?? DEFAULT_ROUTINES_DIR;
    const loaded = await loadRoutineCatalog(folder, stockholmDate(new Date()));
    if (!loaded.ok) {
      for (const p of loaded.problems) ctx.io.stderr(`${formatRoutineProblem(p)}\n`);
      ctx.io.stderr(`${loaded.problems.filter((p) => p.severity === 'error').length} fel i ${folder}.\n`);
      return 2;
    }
    for (const w of loaded.warnings) ctx.io.stdout(`${formatRoutineProblem(w)}\n`);
    ctx.io.stdout(`OK: ${loaded.catalog.all.map((r) => `${r.id} version ${r.version}`).join(', ')}\n`);
    return 0;
  },
};

export const routinesDiffCommand: CliCommand = {
  run: async (args, ctx) => {
    const [id, v1, v2] = args;
    if (!id || !v1 || !v2 || !/^\d+$/.test(v1) || !/^\d+$/.test(v2)) {
      ctx.io.stderr(`Användning: npx boendelotsen ${ctx.usage}\n`);
      return 1;
    }
    const catalog = await loadCatalog(ctx);
    if (!catalog) return 2;
    const a = catalog.find(id, Number(v1));
    const b = catalog.find(id, Number(v2));
    if (!a || !b) {
      ctx.io.stderr(`Rutinen ${id} har ingen version ${!a ? v1 : v2}. Versioner: ${catalog.all.filter((r) => r.id === id).map((r) => r.version).join(', ') || 'inga'}.\n`);
      return 1;
    }
    const { diffRoutines } = await import('../domain/routines/diff.ts');
    const lines = diffRoutines(a, b);
    ctx.io.stdout(lines.length === 0 ? `Inga skillnader i steg, tidsfrister eller roller mellan version ${v1} och ${v2}.\n` : `${lines.join('\n')}\n`);
    return 0;
  },
};

export const routinesSchemaCommand: CliCommand = {
  run: async (_args, { io }) => {
    const { routineJsonSchema } = await import('../domain/routines/schema.ts');
    io.stdout(`${JSON.stringify(routineJsonSchema(), null, 2)}\n`);
    return 0;
  },
};

export const routineShowCommand: CliCommand = {
  run: async (args, ctx) => {
    const opts = readOptions(args, { version: { type: 'string' } });
    if (!opts.ok) {
      ctx.io.stderr(`${opts.message}\nAnvändning: npx boendelotsen ${ctx.usage}\n`);
      return 64;
    }
    const [id] = opts.positionals;
    const version = opts.values.version;
    if (version !== undefined && !/^\d+$/.test(version)) {
      ctx.io.stderr(`--version ska vara ett heltal, inte ”${version}”.\n`);
      return 1;
    }
    const catalog = await loadCatalog(ctx);
    if (!catalog) return 2;
    const def = id ? catalog.find(id, version === undefined ? undefined : Number(version)) : undefined;
    if (!def) {
      ctx.io.stderr(`Okänd rutin: ${id ?? '(ingen angiven)'}. Se \`npx boendelotsen routines\`.\n`);
      return 1;
    }
    const { describeRoutine } = await import('../domain/routines/describe.ts');
    ctx.io.stdout(describeRoutine(def));
    return 0;
  },
};

export const simulateCommand: CliCommand = {
  run: async (args, ctx) => {
    const { io } = ctx;
    const opts = readOptions(args, { events: { type: 'string' }, until: { type: 'string' } });
    if (!opts.ok) {
      io.stderr(`${opts.message}\nAnvändning: npx boendelotsen ${ctx.usage}\n`);
      return 64;
    }
    const [id] = opts.positionals;
    const file = opts.values.events;
    if (!id || !file) {
      io.stderr(`Användning: npx boendelotsen ${ctx.usage}\n`);
      return 1;
    }
    const catalog = await loadCatalog(ctx);
    if (!catalog) return 2;
    if (!catalog.find(id)) {
      io.stderr(`Okänd rutin: ${id}. Se \`npx boendelotsen routines\`.\n`);
      return 1;
    }
    const { readSimulationFile } = await import('./simulate-input.ts');
    const input = await readSimulationFile(file, id, opts.values.until);
    if (!input.ok) {
      io.stderr(`${input.message}\n`);
      return 1;
    }
    const { simulate } = await import('../domain/engine/simulate.ts');
    const result = simulate(input.events, input.until === undefined ? { routines: catalog.find } : { until: input.until, routines: catalog.find });
    io.stdout(JSON.stringify({ timeline: result.timeline, facts: result.final?.facts ?? {}, refusals: result.refusals }, null, 2) + '\n');
    return 0;
  },
};

