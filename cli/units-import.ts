import { readTableFile } from '../lib/table-file.ts';
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


/**
 * `units import FIL`: the units, their area, the landlord's mailbox (told of every vacancy), the unit
 * manager and the care mailboxes told of move-ins. All rows are checked first; one bad row and
 * nothing is written. Exit 0 ok, 2 bad rows, 1 unreadable file.
 */
export const unitsImportCommand = importCommand({
  load: async (text, file, services) => {
    const records = readTableFile(text, file);
    if (!Array.isArray(records)) return { ok: false, problems: [records] };
    const problems: Array<{ line: number; message: string }> = [];
    const rows = records.flatMap(({ line, value }) => {
      const parsed = unitRow.safeParse(value);
      if (!parsed.success) {
        problems.push({ line, message: parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join(', ') });
        return [];
      }
      const d = parsed.data;
      const care = (d.care_emails ?? '').split(/[;,\s]+/).map((e) => e.trim().toLowerCase()).filter(Boolean);
      const badCare = care.filter((e) => !email.safeParse(e).success);
      if (badCare.length) problems.push({ line, message: `care_emails: ogiltig adress ${badCare.join(', ')}` });
      return [{ id: d.id, name: d.name, area: d.area, landlordEmail: d.landlord_email, managerEmail: d.manager_email || null, careEmails: care }];
    });
    if (problems.length > 0) return { ok: false, problems };
    await services.handle.db.transaction((tx) => upsertUnits(tx, rows));
    return { ok: true, summary: `${rows.length} enheter importerade.` };
  },
});
