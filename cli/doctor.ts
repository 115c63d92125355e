import path from 'node:path';
import { runDoctor } from '../services/doctor.ts';
import type { CliCommand } from './types.ts';

/**
 * `doctor`: checks the configuration the way the service will run with it and prints each check
 * as passed or what to fix. Exit 0 when all pass, 1 when any fails.
 */
export const doctorCommand: CliCommand = {
  run: async (args, { io, config }) => {
    if (!config) throw new Error('doctor needs the configuration');
    if (args.length > 0) {
      io.stderr('Användning: boendelotsen doctor\n');
      return 64;
    }
    io.stdout('Kontrollerar konfigurationen som tjänsten kommer att köra med den:\n');
    const checks = await runDoctor({ config, envFile: path.resolve('.env') });
    for (const c of checks) io.stdout(`  ${c.ok ? 'OK ' : 'FEL'}  ${c.title}: ${c.detail}\n`);
    const failed = checks.filter((c) => !c.ok).length;
    io.stdout(failed === 0 ? `Alla ${checks.length} kontroller godkända.\n` : `${failed} av ${checks.length} kontroller underkända: åtgärda dem ovan och kör igen.\n`);
    return failed === 0 ? 0 : 1;
  },
};
