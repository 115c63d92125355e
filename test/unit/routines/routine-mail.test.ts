import { describe, expect, it } from 'vitest';
import type { FactValue } from '../../../domain/engine/types.ts';
import type { MailSpec } from '../../../domain/routines/types.ts';
import { checkMailCatalogue, formatPrice, MAIL_FACT_LABELS, MAIL_VARIABLES, PRICE_FACTS, renderRoutineMail, renderWrittenMail, ROUTINE_MAIL_TEMPLATES, type MailVariable } from '../../../services/routine-mail.ts';
import { interpolate } from '../../../domain/engine/messages.ts';
import { shippedRoutines } from '../../support/routines.ts';

/** Facts as a case holds them: dates as YYYY-MM-DD, prices as numbers, choices as their values. */
const SAMPLE: Record<string, FactValue> = {
  bbKind: 'uppfoljande', assessedOn: '2026-03-02', dailyPrice: 2450.5, statedDailyPrice: 2450.5, negotiatedDailyPrice: 3100,
  priceCheck: 'ok', exception: false, contractFrom: '2026-03-01', contractUntil: '2027-02-28', changeRequestedOn: '2026-05-14',
  orderSentOn: '2026-06-04', gpReceivedOn: '2026-09-15', plannedMoveIn: '2026-10-01',
};

/** Every Swedish word the catalogue and the routines use, written without å, ä and ö. */
function transliterations(): Map<string, string> {
  const words = new Set<string>();
  const texts = [...Object.values(ROUTINE_MAIL_TEMPLATES).map((t) => t.title), ...Object.values(MAIL_FACT_LABELS), ...shippedRoutines.all.flatMap((r) => r.steps.map((s) => s.title))];
  for (const text of texts) for (const w of text.toLowerCase().split(/[^a-zåäöé]+/u)) if (/[åäö]/u.test(w)) words.add(w);
  return new Map([...words].map((w) => [w.replace(/[åä]/gu, 'a').replace(/ö/gu, 'o'), w]));
}

const mails: Array<{ routine: string; where: string; mail: MailSpec }> = shippedRoutines.all.flatMap((r) => [
  ...r.steps.flatMap((s) => (s.mailOnComplete ?? []).map((mail) => ({ routine: r.id, where: s.id, mail }))),
  ...(r.closing.mail ?? []).map((mail) => ({ routine: r.id, where: 'avslut', mail })),
]);

describe('routine mails', () => {
  it('writes prices as "2 450,50 kr" and whole kronor without decimals', () => {
    expect(formatPrice(2450.5)).toMatch(/^2\s450,50 kr$/u);
    expect(formatPrice(3100)).toMatch(/^3\s100 kr$/u);
  });

  it('finds mails in every routine that sends any', () => {
    expect(new Set(mails.map((m) => m.routine))).toEqual(new Set(['ramavtal-bb', 'extern-placering', 'boendestod-lov', 'boendekoordination']));
  });

  it.each(mails.map((m) => [`${m.routine} ${m.where} → ${m.mail.to}: ${m.mail.template}`, m] as const))('renders %s in Swedish', (_name, { mail }) => {
    const data: Record<string, FactValue> = { caseRef: 'FF-2026-0142', stepKey: 'avtal_uppf#2' };
    for (const f of mail.fields ?? []) data[f] = SAMPLE[f] ?? null;
    const rendered = renderRoutineMail({ caseRef: 'FF-2026-0142', initials: 'E.B.' }, mail.template, data);
    const all = `${rendered.subject}\n${rendered.text}`;
    // No raw key: neither the fact names, the template name nor the engine's bookkeeping.
    for (const key of [...Object.keys(data).filter((k) => k !== 'caseRef'), mail.template]) expect(all).not.toContain(key);
    expect(all).not.toMatch(/: –$|undefined|null|NaN/mu);
    for (const [plain, swedish] of transliterations()) {
      expect(all.toLowerCase(), `”${plain}” where ”${swedish}” is meant`).not.toMatch(new RegExp(`\\b${plain}\\b`, 'u'));
    }
    if (ROUTINE_MAIL_TEMPLATES[mail.template]?.priceFree) {
      expect(all).not.toMatch(/\bkr\b|2\s?450|3\s?100|pris:/iu);
    }
    for (const f of mail.fields ?? []) {
      if (PRICE_FACTS.has(f) && !ROUTINE_MAIL_TEMPLATES[mail.template]?.priceFree) expect(rendered.text).toContain(`${MAIL_FACT_LABELS[f] ?? f}: `);
    }
    // Dates in Swedish: "2 mars 2026", never "2026-03-02".
    expect(rendered.text).not.toMatch(/\d{4}-\d\d-\d\d/u);
  });

  it('shows the administration the prices and the contract period in Swedish', () => {
    const rendered = renderRoutineMail({ caseRef: 'FF-2026-0142', initials: 'E.B.' }, 'avtal_till_administration', {
      caseRef: 'FF-2026-0142', stepKey: 'administration_uppf', dailyPrice: 2450.5, negotiatedDailyPrice: null, contractFrom: '2026-03-01', contractUntil: '2027-02-28',
    });
    expect(rendered.subject).toBe('Boendelotsen: FF-2026-0142 – Uppgifter från placeringsavtal för fakturaavstämning');
    expect(rendered.text).toMatch(/Dygnspris enligt behovsbedömningen: 2\s450,50 kr/u);
    expect(rendered.text).toContain('Avtalet gäller från: 1 mars 2026');
    expect(rendered.text).toContain('Avtalet gäller till: 28 februari 2027');
    expect(rendered.text).toContain('Överenskommet dygnspris (undantag från prismodellen): uppgift saknas');
    const provider = renderRoutineMail({ caseRef: 'FF-2026-0142', initials: 'E.B.' }, 'pris_och_uppfoljande_bb', { caseRef: 'FF-2026-0142', dailyPrice: 2450.5 });
    expect(provider.subject).toBe('Boendelotsen: FF-2026-0142 – Pris enligt behovsbedömningen och uppföljande behovsbedömning');
  });

  it('writes the provider mails out in the catalogue, every placeholder known and filled, in Swedish and without a price', () => {
    expect(checkMailCatalogue()).toEqual([]);
    const written = Object.entries(ROUTINE_MAIL_TEMPLATES).filter(([, t]) => t.written);
    expect(written.map(([name]) => name).sort()).toEqual(['avslut_boendestod', 'bestallning_boendestod', 'bestallning_pa_vag', 'genomforandeplan_mottagen']);
    const values = Object.fromEntries(Object.keys(MAIL_VARIABLES).map((k) => [k, `<${k}>`])) as Record<MailVariable, string>;
    for (const [name, t] of written) {
      const mail = renderWrittenMail(name, values);
      const all = `${mail.subject}\n${mail.text}`;
      expect(all, name).not.toMatch(/\{\w+\}|undefined|null/u);
      expect(mail.subject, name).toContain('<token>');
      expect(all, name).toContain('<caseRef>');
      expect(t.priceFree, name).toBe(true);
      expect(all, name).not.toMatch(/\bkr\b/u);
      for (const [plain, swedish] of transliterations()) expect(all.toLowerCase(), `${name}: ”${plain}” where ”${swedish}” is meant`).not.toMatch(new RegExp(`\\b${plain}\\b`, 'u'));
    }
    expect(() => renderWrittenMail('avslut_boendestod', { caseRef: 'FF-2026-0142' })).toThrow(/no value for \{initials\}/);
  });

  it('writes a price in a notification in Swedish, counted in öre', () => {
    expect(interpolate('angivet dygnspris {statedDailyPrice} kr, beräknat {dailyPrice} kr; poäng {points}', { statedDailyPrice: 1234.5, dailyPrice: 4966.499999, points: 2.15 }))
      .toBe('angivet dygnspris 1\u00a0234,50 kr, beräknat 4\u00a0966,50 kr; poäng 2.15');
    expect(formatPrice(0.1 + 0.2)).toBe('0,30 kr');
  });
});
