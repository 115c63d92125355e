import { rotateDataKeys } from '../services/key-rotation.ts';
import type { CliCommand } from './types.ts';

/** `keys rotate`: re-encrypts sealed personal data under the newest key of the ring. */
export const keysRotateCommand: CliCommand = {
  run: async (_args, { io, services }) => {
    if (!services?.crypto) throw new Error('keys rotate needs the database and the data keys');
    const counts = await rotateDataKeys({ db: services.handle.db, crypto: services.crypto, clock: services.clock, actor: services.actor ?? 'cli' });
    io.stdout(
      `Omkrypterat med nyckel ${services.crypto.currentKeyId}: ${counts.personnummer} personnummer, ${counts.quarantinedMail} mejl i karantän, ${counts.providerReplies} svar från utförare.\n` +
        'Äldre nycklar kan tas bort ur nyckelfilen när inget längre är krypterat med dem (kör kommandot igen: 0 överallt). Den första nyckeln ska alltid stå kvar: den nycklar sökhashen för personnummer.\n',
    );
    return 0;
  },
};
