import { interpretException, interpretKind, interpretLegalBasis, checkedText } from './choices.ts';
import {
  interpretAssessor, interpretFreeText, interpretName, interpretReference, isNone, isPlaceholder, resolveField,
  type Resolved,
} from './field-values.ts';
import { canonicalLine, findLabelledValues, type LabelledValue } from './label-lines.ts';
import { failureMessage } from './messages.ts';
import { parsePersonnummer, findPersonnummerText, type PersonnummerResult } from './personnummer.ts';
import { computeDailyPrice, oreToNumber } from './price.ts';
import { formatIsoDate, parseSwedishDate } from './swedish-date.ts';
import { decimalToNumber, parseSwedishNumber, toScale } from './swedish-number.ts';
import type { BbField, BbParseResult, Decimal } from './types.ts';

/** A BB is a page or two: text beyond this is not read (the same bound extraction applies). */
const MAX_TEXT_CHARS = 200_000;

// Bounded quantifiers and no start inside a digit run: linear on long digit runs.
const MONEY = String.raw`(?<!\d)(?:\d{1,3}(?:[ .]\d{3}){1,4}(?:,\d{1,2})?|\d{1,9}(?:[.,]\d{1,2})?)`;
// "1 980,00 kr × 1,35 (+ 485 kr) = dygnspris 2 673,00 kr", as some templates print the sum; the
// barntillägg may be named before or after its amount ("+ barntillägg 485,00 kr").
const FORMULA = new RegExp(
  String.raw`(${MONEY})\s*(?:kr|sek)?\s*[×x*·]\s*(\d{1,4}(?:[.,]\d{1,4})?)\s*(?:bb-)?(?:poäng|p)?\s*` +
  String.raw`(?:\+\s*(?:\(?barntillägg\)?\s*:?\s*)?(${MONEY})\s*(?:kr|sek)?\s*(?:\(?barntillägg\)?)?\s*)?=\s*(?:dygnspris\s*:?\s*)?(${MONEY})`,
  'iu',
);

/** Extra candidates from text that carries no label: a printed formula, a ticked kind box. */
function unlabelledCandidates(lines: readonly string[]): LabelledValue[] {
  const found: LabelledValue[] = [];
  lines.forEach((line, i) => {
    const f = FORMULA.exec(line);
    if (f) {
      const add = (field: LabelledValue['field'], value: string | undefined): void => {
        if (value !== undefined) found.push({ field, priority: 0, value, line: i });
      };
      add('housingPrice', f[1]);
      add('points', f[2]);
      add('childSupplement', f[3]);
      add('statedDailyPrice', f[4]);
    }
    const boxes = checkedText(line);
    if (boxes.boxes && boxes.checkedCount > 0 && interpretKind(line) !== null) {
      found.push({ field: 'kind', priority: 0, value: line, line: i });
    }
  });
  return found;
}

/** A name cell that also holds the personnummer ("Elin Berg, 19910412-3188") feeds both fields. */
function splitNamePersonnummer(values: readonly LabelledValue[]): LabelledValue[] {
  const extra = values
    .filter((v) => v.field === 'name')
    .flatMap((v) => {
      const pnr = findPersonnummerText(v.value);
      return pnr ? [{ field: 'personnummer' as const, priority: 1, value: pnr.text, line: v.line }] : [];
    });
  return [...values, ...extra];
}

const money = (v: string): bigint | null => {
  const d = parseSwedishNumber(v, 'money');
  return d === null ? null : toScale(d, 2);
};
// A stated dygnspris written as a sum ("2 310 × 2,15 = 4 966,50") is the part after "=".
const statedMoney = (v: string): bigint | null => money(v.includes('=') ? v.slice(v.lastIndexOf('=') + 1) : v);
const points = (v: string): Decimal | null => {
  const d = parseSwedishNumber(v, 'points');
  return d !== null && d.digits > 0n && d.digits < 100n * 10n ** BigInt(d.scale) ? d : null;
};
const optionalMoney = (v: string): bigint | null => (isNone(v) ? 0n : money(v));

const PNR_WHY: Record<Exclude<PersonnummerResult, { ok: true }>['reason'], string> = {
  format: 'fel format',
  date: 'datumdelen är inget giltigt datum',
  checksum: 'kontrollsiffran stämmer inte',
  century: 'århundradet kan inte avgöras',
};

const PLACEHOLDER_IS_ANSWER: ReadonlySet<LabelledValue['field']> = new Set(['childSupplement', 'agreementRef', 'exception', 'exceptionReason']);

const FIELD_ORDER: readonly BbField[] = ['kind', 'caseRef', 'client.name', 'client.personnummer', 'legalBasis', 'provider',
  'unit', 'agreementRef', 'assessedOn', 'assessor', 'points', 'housingPrice', 'childSupplement', 'statedDailyPrice', 'exception'];
const inFieldOrder = (fields: readonly BbField[]): BbField[] =>
  [...fields].sort((a, b) => FIELD_ORDER.indexOf(a) - FIELD_ORDER.indexOf(b));

/** Parses the text of a behovsbedömning (from any source) into its fields and checks the price. */
export function parseBehovsbedomningText(text: string): BbParseResult {
  const lines = text.slice(0, MAX_TEXT_CHARS).split(/\r\n|\r|\n/).map(canonicalLine);
  const values = splitNamePersonnummer([...findLabelledValues(lines), ...unlabelledCandidates(lines)]);
  const missing: BbField[] = [];
  const invalid: Array<{ field: BbField; why: string }> = [];
  const take = <T>(field: BbField, r: Resolved<T>, required: boolean, why = 'kan inte läsas'): T | null => {
    if (r.status === 'ok') return r.value;
    if (r.status === 'invalid') invalid.push({ field, why });
    else if (required) missing.push(field);
    return null;
  };
  // A placeholder means "not given": the field is missing (and named so), not invalid. Fields
  // where "saknas"/"nej" is itself the answer (barntillägg, avtal, undantag) keep their values.
  const answered = values.filter((v) => PLACEHOLDER_IS_ANSWER.has(v.field) || !isPlaceholder(v.value));
  const field = <T>(f: LabelledValue['field'], interpret: (v: string) => T | null, conflict: boolean): Resolved<T> =>
    resolveField(answered, f, interpret, conflict);

  const kind = take('kind', field('kind', interpretKind, true), true, 'oklar eller flera typer angivna');
  const caseRef = take('caseRef', field('caseRef', interpretReference, false), true);
  const name = take('client.name', field('name', interpretName, false), true);
  const assessedOn = take('assessedOn', field('assessedOn', parseSwedishDate, true), true, 'inget giltigt datum');
  const pnrField = field('personnummer', (v) => {
    const found = findPersonnummerText(v);
    return found ? found.text : v.trim() === '' ? null : v;
  }, true);
  let personnummer: string | null = null;
  if (pnrField.status === 'ok') {
    const parsed = parsePersonnummer(pnrField.value, assessedOn);
    if (parsed.ok) personnummer = parsed.value;
    // Without an assessment date a 10-digit number cannot be placed in a century; the date is
    // already reported missing, so this is not a second error.
    else if (!(parsed.reason === 'century' && assessedOn === null)) {
      invalid.push({ field: 'client.personnummer', why: PNR_WHY[parsed.reason] });
    }
  } else {
    take('client.personnummer', pnrField, true, 'fel format');
  }
  const legalBasis = take('legalBasis', field('legalBasis', interpretLegalBasis, true), true, 'okänt lagrum');
  const provider = take('provider', field('provider', interpretFreeText, false), true);
  const unit = take('unit', field('unit', interpretFreeText, false), true);
  const agreementField = field('agreementRef', (v) => (isNone(v) ? 'none' : interpretReference(v)), false);
  const agreementRef = take('agreementRef', agreementField, false);
  const assessor = take('assessor', field('assessor', interpretAssessor, false), true);
  const pts = take('points', field('points', points, true), true, 'inget giltigt poängtal');
  const housing = take('housingPrice', field('housingPrice', money, true), true, 'inget giltigt belopp');
  const child = take('childSupplement', field('childSupplement', optionalMoney, true), legalBasis === 'LSS 9 § 8',
    'inget giltigt belopp');
  const stated = take('statedDailyPrice', field('statedDailyPrice', statedMoney, true), false, 'inget giltigt belopp');
  const exceptionValue = take('exception', field('exception', interpretException, true), false, 'varken ja eller nej');
  let exception: { reason: string } | null = null;
  if (exceptionValue?.stated === 'yes') {
    const reason = exceptionValue.reason
      ?? (() => {
        const r = field('exceptionReason', interpretFreeText, false);
        return r.status === 'ok' ? r.value : null;
      })();
    if (reason === null) invalid.push({ field: 'exception', why: 'skäl för undantaget saknas' });
    else exception = { reason };
  }

  // A BB without a case reference is still a BB: the mailbox matches it by personnummer among the
  // sender's cases. It is named missing only when the document fails for another reason too.
  if (kind === null || name === null || personnummer === null || legalBasis === null
    || provider === null || unit === null || assessedOn === null || assessor === null || pts === null
    || housing === null || invalid.length > 0 || (legalBasis === 'LSS 9 § 8' && child === null)
    || missing.some((f) => f !== 'caseRef')) {
    const found = new Set(values.map((v) => v.field)).size;
    const invalidFields = [...new Set(invalid.map((i) => i.field))];
    return {
      ok: false,
      missing: inFieldOrder(missing),
      invalid: inFieldOrder(invalidFields),
      message: failureMessage(missing, invalid, found >= 4),
    };
  }
  const childOre = child ?? 0n;
  const price = computeDailyPrice({
    legalBasis, points: pts, housingPriceOre: housing, childSupplementOre: childOre, statedDailyPriceOre: stated,
  });
  return {
    ok: true,
    bb: {
      kind,
      caseRef,
      client: { name, personnummer },
      legalBasis,
      provider,
      unit,
      agreementRef: agreementRef === 'none' ? null : agreementRef,
      assessedOn: formatIsoDate(assessedOn),
      assessor,
      points: decimalToNumber(pts),
      housingPrice: oreToNumber(housing),
      childSupplement: oreToNumber(childOre),
      statedDailyPrice: stated === null ? null : oreToNumber(stated),
      dailyPrice: oreToNumber(price.dailyPriceOre),
      priceCheck: price.priceCheck,
      exception,
    },
  };
}
