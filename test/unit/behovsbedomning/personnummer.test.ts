import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnCheckDigit, luhnValid, parsePersonnummer } from '../../../domain/behovsbedomning/personnummer.ts';
import { daysInMonth } from '../../../domain/behovsbedomning/swedish-date.ts';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const REF = { year: 2026, month: 11, day: 18 };

const birth = fc.record({ year: fc.integer({ min: 1900, max: 2026 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
  .filter((b) => b.year * 10000 + b.month * 100 + b.day <= 20261118);
const serial = fc.integer({ min: 0, max: 999 });

function make(b: { year: number; month: number; day: number }, s: number, samordning = false): { twelve: string; ten: string } {
  const nine = `${pad(b.year % 100)}${pad(b.month)}${pad(b.day + (samordning ? 60 : 0))}${pad(s, 3)}`;
  const ten = `${nine}${luhnCheckDigit(nine)}`;
  return { twelve: `${String(b.year).slice(0, 2)}${ten}`, ten };
}
const age100 = (b: { year: number; month: number; day: number }): boolean =>
  (b.year + 100) * 10000 + b.month * 100 + b.day <= 20261118;

describe('personnummer', () => {
  it('accepts the samples and rejects a wrong check digit', () => {
    expect(parsePersonnummer('19910412-3188', REF)).toEqual({ ok: true, value: '199104123188', samordningsnummer: false });
    expect(parsePersonnummer('19910412-3189', REF)).toEqual({ ok: false, reason: 'checksum' });
    expect(luhnValid('8112189876')).toBe(true);
  });

  it('reads every valid 12-digit form, with or without a hyphen', () => {
    fc.assert(fc.property(birth, serial, fc.boolean(), (b, s, hyphen) => {
      const { twelve } = make(b, s);
      const text = hyphen ? `${twelve.slice(0, 8)}-${twelve.slice(8)}` : twelve;
      expect(parsePersonnummer(text, REF)).toMatchObject({ ok: true, value: twelve });
    }));
  });

  it('places a 10-digit "-" form within the last 100 years and a "+" form 100 or more years back', () => {
    fc.assert(fc.property(birth, serial, (b, s) => {
      const { twelve, ten } = make(b, s);
      const sep = age100(b) ? '+' : '-';
      expect(parsePersonnummer(`${ten.slice(0, 6)}${sep}${ten.slice(6)}`, REF)).toMatchObject({ ok: true, value: twelve });
    }));
  });

  it('reads a 10-digit form without separator as under 100 years old', () => {
    expect(parsePersonnummer('1206052878', REF)).toMatchObject({ ok: true, value: '201206052878' });
  });

  it('accepts samordningsnummer (day + 60) and keeps the number as written', () => {
    fc.assert(fc.property(birth, serial, (b, s) => {
      const { twelve } = make(b, s, true);
      expect(parsePersonnummer(twelve, REF)).toEqual({ ok: true, value: twelve, samordningsnummer: true });
    }));
  });

  it('rejects any single changed digit (Luhn catches it)', () => {
    fc.assert(fc.property(birth, serial, fc.integer({ min: 8, max: 11 }), fc.integer({ min: 1, max: 9 }), (b, s, pos, delta) => {
      const { twelve } = make(b, s);
      const changed = twelve.slice(0, pos) + String((Number(twelve[pos]) + delta) % 10) + twelve.slice(pos + 1);
      expect(parsePersonnummer(changed, REF).ok).toBe(false);
    }));
  });

  it('rejects impossible dates even with a matching check digit', () => {
    const nine = '9102301' + '23';
    expect(parsePersonnummer(`19${nine}${luhnCheckDigit(nine)}`, REF)).toEqual({ ok: false, reason: 'date' });
    expect(daysInMonth(2024, 2)).toBe(29);
  });

  it('rejects a birth date after the assessment date', () => {
    const { twelve } = make({ year: 2026, month: 12, day: 24 }, 123);
    expect(parsePersonnummer(twelve, REF)).toEqual({ ok: false, reason: 'date' });
  });
});
