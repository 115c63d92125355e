import { verifyAuditChain } from '../db/audit.ts';
import type { CliCommand } from './types.ts';

/** `audit verify`: walks the hash chain and names the first entry that was changed or removed. */
export const auditVerifyCommand: CliCommand = {
  run: async (_args, { io, services }) => {
    if (!services) throw new Error('audit verify needs the database');
    const result = await verifyAuditChain(services.handle.db);
    if (result.ok) {
      io.stdout(`Granskningsloggen är obruten: ${result.checked} poster kontrollerade.\n`);
      return 0;
    }
    const why = result.reason === 'content_changed' ? 'innehållet har ändrats' : 'kedjan är bruten (en post saknas eller har flyttats)';
    io.stdout(`Granskningsloggen är BRUTEN vid post ${result.firstBrokenId}: ${why}. ${result.checked} poster före den är hela.\n`);
    return 3;
  },
};
