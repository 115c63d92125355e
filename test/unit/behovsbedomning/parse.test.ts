import { describe, expect, it } from 'vitest';
import { parseBehovsbedomningText } from '../../../domain/behovsbedomning/parse.ts';
import { generateCases } from '../../fixtures/bb-generator.ts';

const BASE = `Typ av behovsbedömning: Inför köp
Ärendereferens: FF-2026-0142
Namn: Elin Berg
Personnummer: 19910412-3188
Insats: Bostad med särskild service för vuxna enligt LSS 9 § 9
Leverantör: Omsorgshuset Väst AB
Boende: Gruppbostaden Solrosen
Avtalsnummer: RA-BmSS-2024-07
Datum för bedömning: 18 november 2026
Bedömning gjord av: Karin Lund
Summa BB-poäng: 2,15
Boendepris enligt ramavtal: 2 310,00 kr
Dygnspris: 4 966,50 kr
Undantag från prismodellen: Nej`;

const edit = (from: string, to: string): string => BASE.replace(from, to);

describe('parseBehovsbedomningText', () => {
  it('parses every generated plain-text variant to its expected result', async () => {
    for (const c of await generateCases(11, 120, { format: 'txt', wrapper: 'bare' })) {
      const r = parseBehovsbedomningText(c.bytes.toString('utf8'));
      const got = r.ok ? r : { ok: false, missing: [...r.missing].sort(), invalid: [...r.invalid].sort() };
      const want = c.expected.ok ? c.expected : { ...c.expected, missing: [...c.expected.missing].sort(), invalid: [...c.expected.invalid].sort() };
      expect(got, c.id).toEqual(want);
    }
  });

  it('checks the price and reports a mismatch', () => {
    const r = parseBehovsbedomningText(edit('4 966,50 kr', '4 996,50 kr'));
    expect(r).toMatchObject({ ok: true, bb: { statedDailyPrice: 4996.5, dailyPrice: 4966.5, priceCheck: 'mismatch' } });
    expect(parseBehovsbedomningText(edit('Dygnspris: 4 966,50 kr\n', ''))).toMatchObject({ ok: true, bb: { statedDailyPrice: null, priceCheck: 'not_stated' } });
  });

  it('names a bad personnummer as invalid, never passes it', () => {
    const r = parseBehovsbedomningText(edit('19910412-3188', '19910412-3189'));
    expect(r).toMatchObject({ ok: false, missing: [], invalid: ['client.personnummer'] });
    expect(r.ok ? '' : r.message).toContain('personnummer (kontrollsiffran stämmer inte)');
    expect(r.ok ? '' : r.message).not.toContain('3189');
  });

  it('reads checkbox forms and refuses an unticked or doubly ticked one', () => {
    const ticked = edit('Typ av behovsbedömning: Inför köp', 'Typ av behovsbedömning: ☐ Inför köp ☒ Uppföljande ☐ Förändrade behov');
    expect(parseBehovsbedomningText(ticked)).toMatchObject({ ok: true, bb: { kind: 'uppfoljande' } });
    const none = edit('Typ av behovsbedömning: Inför köp', 'Typ av behovsbedömning: ☐ Inför köp ☐ Uppföljande');
    expect(parseBehovsbedomningText(none)).toMatchObject({ ok: false, invalid: ['kind'] });
    const unlabelled = edit('Typ av behovsbedömning: Inför köp', '[ ] Inför köp  [X] Förändrade behov');
    expect(parseBehovsbedomningText(unlabelled)).toMatchObject({ ok: true, bb: { kind: 'forandrade_behov' } });
  });

  it('reads an exception and its reason, also from a separate line', () => {
    const inline = parseBehovsbedomningText(edit('prismodellen: Nej', 'prismodellen: Ja – Dubbelbemanning nattetid'));
    expect(inline).toMatchObject({ ok: true, bb: { exception: { reason: 'Dubbelbemanning nattetid' } } });
    const apart = parseBehovsbedomningText(edit('prismodellen: Nej', 'prismodellen: ☒ Ja ☐ Nej\nSkäl för undantag: Extra personal'));
    expect(apart).toMatchObject({ ok: true, bb: { exception: { reason: 'Extra personal' } } });
    expect(parseBehovsbedomningText(edit('prismodellen: Nej', 'prismodellen: Ja'))).toMatchObject({ ok: false, invalid: ['exception'] });
  });

  it('adds barntillägg for LSS 9 § 8 and requires it there', () => {
    const child = edit('för vuxna enligt LSS 9 § 9', 'för barn och ungdomar enligt LSS 9 § 8')
      .replace('Dygnspris: 4 966,50 kr', 'Barntillägg: 485 kr\nDygnspris: 5 451,50 kr');
    expect(parseBehovsbedomningText(child)).toMatchObject({ ok: true, bb: { legalBasis: 'LSS 9 § 8', childSupplement: 485, dailyPrice: 5451.5, priceCheck: 'ok' } });
    const without = edit('för vuxna enligt LSS 9 § 9', 'enligt LSS 9 § 8');
    expect(parseBehovsbedomningText(without)).toMatchObject({ ok: false, missing: ['childSupplement'] });
  });

  it('reads a printed formula and a name cell holding the personnummer', () => {
    const text = edit('Boendepris enligt ramavtal: 2 310,00 kr\nDygnspris: 4 966,50 kr', 'Boendepris 2 310,00 kr × 2,15 = dygnspris 4 966,50 kr')
      .replace('Namn: Elin Berg\nPersonnummer: 19910412-3188', 'Namn och personnummer: Elin Berg, 910412-3188');
    expect(parseBehovsbedomningText(text)).toMatchObject({ ok: true, bb: { client: { name: 'Elin Berg', personnummer: '199104123188' }, statedDailyPrice: 4966.5 } });
  });

  it('reads the whole price from one formula line, with the barntillägg only there', () => {
    const text = edit('för vuxna enligt LSS 9 § 9', 'för barn och ungdomar enligt LSS 9 § 8')
      .replace('Summa BB-poäng: 2,15\nBoendepris enligt ramavtal: 2 310,00 kr\nDygnspris: 4 966,50 kr', 'Pris: 2 650,00 kr × 2,85 + barntillägg 485,00 kr = dygnspris 8 037,50 kr');
    expect(parseBehovsbedomningText(text)).toMatchObject({ ok: true, bb: { points: 2.85, housingPrice: 2650, childSupplement: 485, dailyPrice: 8037.5, priceCheck: 'ok' } });
  });

  it('names a field holding a placeholder as missing, not invalid', () => {
    for (const placeholder of ['-', '–', 'saknas', 'ej angivet', 'Ej angiven']) {
      const text = edit('Bedömning gjord av: Karin Lund', `Bedömning gjord av: ${placeholder}`).replace('Summa BB-poäng: 2,15', `Summa BB-poäng: ${placeholder}`);
      expect(parseBehovsbedomningText(text), placeholder).toMatchObject({ ok: false, missing: ['assessor', 'points'], invalid: [] });
    }
    // Where "saknas" is the answer it still is one: no agreement number.
    expect(parseBehovsbedomningText(edit('Avtalsnummer: RA-BmSS-2024-07', 'Avtalsnummer: saknas'))).toMatchObject({ ok: true, bb: { agreementRef: null } });
  });

  it('treats two different stated prices as a conflict, not a choice', () => {
    expect(parseBehovsbedomningText(`${BASE}\nDygnspris: 5 000,00 kr`)).toMatchObject({ ok: false, invalid: ['statedDailyPrice'] });
  });

  it('reads a BB without a case reference (left out, or a placeholder) as a BB whose reference is null', () => {
    for (const text of [edit('Ärendereferens: FF-2026-0142\n', ''), edit('FF-2026-0142', '–'), edit('FF-2026-0142', 'saknas')]) {
      expect(parseBehovsbedomningText(text)).toMatchObject({ ok: true, bb: { caseRef: null, client: { personnummer: '199104123188' }, dailyPrice: 4966.5 } });
    }
    // Missing with other fields, it is named among them.
    expect(parseBehovsbedomningText(edit('Ärendereferens: FF-2026-0142\nNamn: Elin Berg\n', ''))).toMatchObject({ ok: false, missing: ['caseRef', 'client.name'] });
  });

  it('says a document that is not a BB is not one, listing the missing fields', () => {
    const r = parseBehovsbedomningText('Genomförandeplan\nMål: Ökad självständighet');
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.missing).toEqual(['kind', 'caseRef', 'client.name', 'client.personnummer', 'legalBasis',
      'provider', 'unit', 'assessedOn', 'assessor', 'points', 'housingPrice']);
    expect(r.ok ? '' : r.message).toMatch(/^Dokumentet ser inte ut att vara en behovsbedömning/);
  });
});
