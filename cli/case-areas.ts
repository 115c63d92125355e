import { assignCaseArea, casesWithoutArea } from '../services/case-areas.ts';
import type { CliCommand } from './types.ts';

/** `cases without-area`: every case an area-scoped role cannot see yet, as JSON lines. */
export const casesWithoutAreaCommand: CliCommand = {
  run: async (_args, ctx) => {
    if (!ctx.services) throw new Error('cases without-area needs the database');
    const rows = await casesWithoutArea(ctx.services.handle.db);
    for (const r of rows) ctx.io.stdout(`${JSON.stringify({ caseRef: r.caseRef, routineId: r.routineId, status: r.status, createdAt: r.createdAt.toISOString() })}\n`);
    ctx.io.stderr(`${rows.length} ärenden utan område.\n`);
    return 0;
  },
};

/** `case set-area REF OMRÅDE`: gives an area to a case that has none (audited as the CLI). */
export const caseSetAreaCommand: CliCommand = {
  run: async (args, ctx) => {
    if (!ctx.services) throw new Error('case set-area needs the database');
    const [caseRef, ...areaWords] = args;
    if (!caseRef || areaWords.length === 0) {
      ctx.io.stderr('Användning: npx boendelotsen case set-area REF OMRÅDE\n');
      return 2;
    }
    const r = await assignCaseArea(ctx.services.handle.db, { caseRef: caseRef.toUpperCase(), area: areaWords.join(' '), actor: 'cli' }, ctx.services.clock.now());
    if (!r.ok) {
      ctx.io.stderr(`${r.message}\n`);
      return 2;
    }
    ctx.io.stdout(`Ärendet ${caseRef.toUpperCase()} har nu område ${areaWords.join(' ')}.\n`);
    return 0;
  },
};
