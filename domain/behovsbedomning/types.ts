export type BbKind = 'infor_kop' | 'uppfoljande' | 'forandrade_behov';
export type LegalBasis = 'LSS 9 § 9' | 'LSS 9 § 8' | 'SoL';
export type PriceCheck = 'ok' | 'mismatch' | 'not_stated';

/** The parsed behovsbedömning, in the JSON shape the samples' expected.json files use. */
export type Behovsbedomning = {
  kind: BbKind;
  /** Null when the document names no case reference: the mailbox then matches by personnummer. */
  caseRef: string | null;
  client: { name: string; personnummer: string };
  legalBasis: LegalBasis;
  provider: string;
  unit: string;
  agreementRef: string | null;
  assessedOn: string;
  assessor: string;
  /** BB-poäng, e.g. 2.15 */
  points: number;
  /** Kronor per dygn; whole öre. */
  housingPrice: number;
  childSupplement: number;
  statedDailyPrice: number | null;
  /** boendepris × BB-poäng (+ barntillägg for LSS 9 § 8), rounded to öre. */
  dailyPrice: number;
  priceCheck: PriceCheck;
  exception: { reason: string } | null;
};

/** JSON field names (dotted for nested ones) as reported in `missing` and `invalid`. */
export type BbField =
  | 'kind'
  | 'caseRef'
  | 'client.name'
  | 'client.personnummer'
  | 'legalBasis'
  | 'provider'
  | 'unit'
  | 'agreementRef'
  | 'assessedOn'
  | 'assessor'
  | 'points'
  | 'housingPrice'
  | 'childSupplement'
  | 'statedDailyPrice'
  | 'exception';

export type BbParseFailure = {
  ok: false;
  missing: BbField[];
  invalid: BbField[];
  /** Swedish, names fields in Swedish words; never echoes a value (it may reach a reply mail). */
  message: string;
};

export type BbParseResult = { ok: true; bb: Behovsbedomning } | BbParseFailure;

/** An exact decimal: value = digits / 10^scale. Money and points never pass through floats. */
export type Decimal = { digits: bigint; scale: number };
