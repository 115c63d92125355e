import { KIND_NAMES, previewGallring, runGallring, type GallringCounts } from '../services/gallring.ts';
import type { CliCommand } from './types.ts';

const lines = (counts: GallringCounts) => (Object.keys(KIND_NAMES) as (keyof GallringCounts)[]).map((k) => `  ${KIND_NAMES[k].padEnd(40)} ${counts[k]}`).join('\n');

/** `gallring --preview`: what is due by kind and count; `gallring`: remove it now (audited). */
export const gallringCommand: CliCommand = {
  run: async (args, { io, services }) => {
    if (!services) throw new Error('gallring needs the database');
    const unknown = args.filter((a) => a !== '--preview');
    if (unknown.length > 0) {
      io.stderr(`Okänt argument: ${unknown.join(' ')}\nAnvändning: gallring [--preview]\n`);
      return 64;
    }
    const retention = services.config.retention;
    if (args.includes('--preview')) {
      io.stdout(`Skulle gallras nu:\n${lines(await previewGallring({ db: services.handle.db, clock: services.clock, retention }))}\n`);
      return 0;
    }
    const counts = await runGallring({ db: services.handle.db, clock: services.clock, retention, actor: services.actor ?? 'cli' });
    io.stdout(`Gallrat:\n${lines(counts)}\n`);
    return 0;
  },
};
