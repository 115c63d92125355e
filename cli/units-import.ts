import { z } from 'zod';
import { upsertUnits } from '../db/coordination.ts';
import { importCommand } from './import-command.ts';

const email = z.string().trim().toLowerCase().email('ogiltig e-postadress');
const unitRow = z.object({
  id: z.string().trim().min(1, 'enhet saknas').max(40).regex(/^[\p{L}\d_-]+$/u, 'enhetens kod: bokstäver, siffror, - och _'),
  name: z.string().trim().min(1, 'namn saknas'),
  area: z.string().trim().min(1, 'område saknas'),
  landlord_email: email,
  manager_email: z.union([email, z.literal('')]).optional(),
  care_emails: z.string().optional(),
});

/** CSV (header row; care_emails separated by ;) or a JSON array of the same keys. */
export function readUnitsFile(text: string, file: string): Array<Record<string, string>> {
  if (file.endsWith('.json')) return JSON.parse(text) as Array<Record<string, string>>;
  const [header, ...lines] = text.split(/\r?\n/).filter((l) => l.trim());
  const keys = (header ?? '').split(',').map((k) => k.trim());
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [keys[i] ?? `col${i}`, v.trim()])));
}

/**
 * `units import FIL`: the units, their area, the landlord's mailbox (told of every vacancy), the unit
 * manager and the care mailboxes told of move-ins. All rows are checked first; one bad row and
 * nothing is written. Exit 0 ok, 2 bad rows, 1 unreadable file.
 */
export const unitsImportCommand = importCommand({
  load: async (text, file, services) => {
    let records: Array<Record<string, string>>;
    try {
      records = readUnitsFile(text, file);
    } catch (err) {
      return { ok: false, problems: [{ line: null, message: `filen kunde inte tolkas: ${err instanceof Error ? err.message : String(err)}` }] };
    }
    const problems: Array<{ line: number; message: string }> = [];
    const rows = records.flatMap((r, i) => {
      const parsed = unitRow.safeParse(r);
      if (!parsed.success) {
        problems.push({ line: i + 2, message: parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join(', ') });
        return [];
      }
      const d = parsed.data;
      const care = (d.care_emails ?? '').split(';').map((e) => e.trim().toLowerCase()).filter(Boolean);
      const badCare = care.filter((e) => !email.safeParse(e).success);
      if (badCare.length) problems.push({ line: i + 2, message: `care_emails: ogiltig adress ${badCare.join(', ')}` });
      return [{ id: d.id, name: d.name, area: d.area, landlordEmail: d.landlord_email, managerEmail: d.manager_email || null, careEmails: care }];
    });
    if (problems.length > 0) return { ok: false, problems };
    await services.handle.db.transaction((tx) => upsertUnits(tx, rows));
    return { ok: true, summary: `${rows.length} enheter importerade.` };
  },
});
