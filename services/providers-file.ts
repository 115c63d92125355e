import { readTableFile } from '../lib/table-file.ts';
import { z } from 'zod';
import { parseService, PROVIDER_SERVICES, type ProviderService } from '../domain/providers/services.ts';

/**
 * Reads the provider register file an administrator keeps: CSV (comma or semicolon, a header
 * row) or JSON (an array of objects). Every row is checked and every problem reported by line,
 * so a bad file is fixed in one go.
 */

const yesNo = z
  .union([z.boolean(), z.string()])
  .transform((v, ctx) => {
    if (typeof v === 'boolean') return v;
    const t = v.trim().toLowerCase();
    if (['ja', 'j', 'yes', 'true', '1', 'x'].includes(t)) return true;
    if (['nej', 'n', 'no', 'false', '0', ''].includes(t)) return false;
    ctx.addIssue({ code: 'custom', message: `"${v}" ska vara ja eller nej` });
    return z.NEVER;
  });

const providerRow = z
  .object({
    id: z.string({ message: 'id saknas' }).trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'id ska vara 2–40 tecken a–z, 0–9 och bindestreck'),
    name: z.string({ message: 'namn saknas' }).trim().min(2, 'namn saknas'),
    services: z.array(z.string()).transform((list, ctx) => {
      const out: ProviderService[] = [];
      for (const s of list) {
        const service = parseService(s);
        if (service) out.push(service);
        else ctx.addIssue({ code: 'custom', message: `okänd tjänst "${s}" (giltiga: ${PROVIDER_SERVICES.join(', ')})` });
      }
      if (list.length === 0) ctx.addIssue({ code: 'custom', message: 'tjänster saknas' });
      return [...new Set(out)];
    }),
    mailbox: z.string({ message: 'e-post saknas' }).trim().toLowerCase().email('e-post är inte en giltig adress'),
    mailDomain: z.string().trim().toLowerCase().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'maildomän ska vara ett domännamn, t.ex. omsorg.se').optional(),
    takesNewCustomers: yesNo.default(true),
    active: yesNo.default(true),
  })
  .transform((r, ctx) => {
    const mailboxDomain = r.mailbox.split('@')[1] ?? '';
    const mailDomain = r.mailDomain ?? mailboxDomain;
    // The mailbox must be in the provider's own domain: replies are believed by that domain.
    if (mailboxDomain !== mailDomain && !mailboxDomain.endsWith(`.${mailDomain}`)) {
      ctx.addIssue({ code: 'custom', message: `e-postadressen ${r.mailbox} ligger inte i maildomänen ${mailDomain}` });
    }
    return { ...r, mailDomain };
  });

export type ProviderInput = z.output<typeof providerRow>;
export type FileProblem = { line: number; message: string };

const ALIASES: Record<string, string> = {
  id: 'id', kortnamn: 'id',
  name: 'name', namn: 'name', leverantör: 'name', leverantor: 'name', utförare: 'name',
  services: 'services', tjänster: 'services', tjanster: 'services', tjänst: 'services',
  mailbox: 'mailbox', 'e-post': 'mailbox', epost: 'mailbox', email: 'mailbox', funktionsbrevlåda: 'mailbox',
  maildomain: 'mailDomain', mail_domain: 'mailDomain', maildomän: 'mailDomain', domän: 'mailDomain', domain: 'mailDomain',
  takesnewcustomers: 'takesNewCustomers', takes_new_customers: 'takesNewCustomers', 'tar emot nya': 'takesNewCustomers', nya_kunder: 'takesNewCustomers', 'nya kunder': 'takesNewCustomers',
  active: 'active', aktiv: 'active',
};

export function readProvidersFile(text: string, fileName: string): { ok: true; providers: Array<ProviderInput & { line: number }> } | { ok: false; problems: FileProblem[] } {
  const raw = readRecords(text.replace(/^\uFEFF/, '').trim(), fileName);
  if (!Array.isArray(raw)) return { ok: false, problems: [raw] };
  if (raw.length === 0) return { ok: false, problems: [{ line: 1, message: 'filen innehåller inga leverantörer' }] };
  const problems: FileProblem[] = [];
  const out: Array<ProviderInput & { line: number }> = [];
  const seen = new Map<string, number>();
  for (const { line, value } of raw) {
    const parsed = providerRow.safeParse(value);
    if (!parsed.success) {
      problems.push({ line, message: parsed.error.issues.map((i) => i.message).join('; ') });
      continue;
    }
    for (const key of [`id:${parsed.data.id}`, `namn:${parsed.data.name.toLowerCase()}`]) {
      const first = seen.get(key);
      if (first !== undefined) problems.push({ line, message: `${key.replace(':', ' ')} finns redan på rad ${first}` });
      else seen.set(key, line);
    }
    out.push({ ...parsed.data, line });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, providers: out };
}

type RawRecord = { line: number; value: Record<string, unknown> };

function readRecords(text: string, fileName: string): RawRecord[] | FileProblem {
  const table = readTableFile(text, fileName);
  if (!Array.isArray(table)) return table;
  return table.map(({ line, value }) => ({ line, value: rename(value) }));
}

function rename(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = ALIASES[k.trim().toLowerCase()] ?? k.trim();
    out[key] = typeof v === 'string' && v.trim() === '' && key !== 'services' ? undefined : v;
  }
  if (typeof out.services === 'string') out.services = out.services.split(/[|,;]+/).map((s) => s.trim()).filter(Boolean);
  if (out.services === undefined) out.services = [];
  return out;
}

