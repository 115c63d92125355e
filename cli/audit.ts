import { loadSigningKey } from '../lib/audit-checkpoints.ts';
import { verifyAuditTrail } from '../services/audit-checkpoints.ts';
import type { CliCommand } from './types.ts';

const REASONS = {
  signature_invalid: 'signaturen stämmer inte (kontrollpunkten är ändrad eller gjord med en annan nyckel)',
  entry_missing: 'posten (förseglingen) finns inte längre',
  hash_differs: 'posten har skrivits om efter att kontrollpunkten signerades',
} as const;

/**
 * `audit verify`: walks the hash chains and seals and names the first entry that was changed or
 * removed, then checks the signed checkpoints (AUDIT_SIGNING_KEY_FILE), which catch entries
 * rewritten with recomputed hashes and seals.
 */
export const auditVerifyCommand: CliCommand = {
  run: async (_args, { io, services }) => {
    if (!services) throw new Error('audit verify needs the database');
    const { signingKeyFile, checkpointFile } = services.config.audit;
    const key = signingKeyFile === undefined ? undefined : loadSigningKey(signingKeyFile);
    const result = await verifyAuditTrail({ db: services.handle.db, key, file: checkpointFile });
    let broken = false;
    if (result.chain.ok) {
      io.stdout(`Granskningsloggens kedjor är obrutna: ${result.chain.checked} poster kontrollerade, ${result.chain.sealed} av dem i ${result.chain.seals} förseglingar stämmer.\n`);
      if (result.unsealed > 0) io.stdout(`${result.unsealed} poster är ännu inte förseglade (förseglas inom några sekunder när appen kör).\n`);
    } else {
      broken = true;
      const why =
        result.chain.reason === 'content_changed' ? 'innehållet har ändrats'
        : result.chain.reason === 'seal_mismatch' ? 'förseglingen stämmer inte (en förseglad post har tagits bort, lagts till eller ändrats)'
        : 'kedjan är bruten (en post saknas eller har flyttats)';
      io.stdout(`Granskningsloggen är BRUTEN vid post ${result.chain.firstBrokenId}: ${why}. ${result.chain.checked} poster före den är hela.\n`);
    }
    const cp = result.checkpoints;
    if (!cp) {
      io.stdout('Inga signerade kontrollpunkter kontrolleras (AUDIT_SIGNING_KEY_FILE är inte satt): en omskriven kedja med nya hashvärden kan inte upptäckas.\n');
    } else if (cp.failures.length > 0 || cp.unreadableLines.length > 0) {
      broken = true;
      for (const f of cp.failures.slice(0, 20)) io.stdout(`Kontrollpunkten för ${f.of === 'seal' ? 'försegling' : 'post'} ${f.checkpointId} stämmer INTE: ${REASONS[f.reason]}.\n`);
      if (cp.unreadableLines.length > 0) io.stdout(`Oläsbara rader i ${checkpointFile}: ${cp.unreadableLines.slice(0, 20).join(', ')}.\n`);
      io.stdout('Granskningsloggen har skrivits om: jämför med kopian i arkivbrevlådan och anmäl incidenten.\n');
    } else {
      io.stdout(`${cp.checked} signerade kontrollpunkter stämmer${cp.newestId === null ? '' : ` (senaste vid försegling ${cp.newestId}; poster efter den skyddas av nästa kontrollpunkt)`}.\n`);
    }
    return broken ? 3 : 0;
  },
};
