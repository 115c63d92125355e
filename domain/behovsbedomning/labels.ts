/** What a label in a BB document introduces. */
export type LabelField =
  | 'kind' | 'caseRef' | 'name' | 'personnummer' | 'legalBasis' | 'provider' | 'unit'
  | 'agreementRef' | 'assessedOn' | 'assessor' | 'points' | 'housingPrice' | 'childSupplement'
  | 'statedDailyPrice' | 'exception' | 'exceptionReason';

export type LabelDef = {
  field: LabelField;
  /** Lower case, single spaces. */
  label: string;
  /** Specific labels win over generic ones ("Datum för bedömning" over "Datum"). */
  priority: number;
  /** Generic words that also occur in signatures and headings only count with a value on the line. */
  inlineOnly: boolean;
};

const SPECIFIC = 2;
const GENERIC = 1;

// Labels seen from different authors and templates. Add new ones here, lower case.
const TABLE: ReadonlyArray<readonly [LabelField, number, boolean, readonly string[]]> = [
  ['kind', SPECIFIC, false, ['typ av behovsbedömning', 'typ av bedömning', 'bedömningstyp', 'behovsbedömningstyp',
    'typ av bb', 'bb-typ', 'behovsbedömningen avser', 'bedömningen avser', 'typ av ärende']],
  ['kind', GENERIC, true, ['typ', 'avser', 'ärendetyp']],
  ['caseRef', SPECIFIC, false, ['ärendereferens', 'ärendenummer', 'ärendenr', 'ärende-id', 'ärende nr', 'ärendets referens',
    'referensnummer', 'diarienummer', 'dnr', 'ärendets id']],
  ['caseRef', GENERIC, false, ['ärende', 'ref', 'referens', 'vår referens', 'vår ref']],
  ['name', SPECIFIC, false, ['namn på brukare', 'namn på klient', 'brukarens namn', 'klientens namn', 'den enskildes namn',
    'sökandes namn', 'namn och personnummer', 'namn/personnummer', 'namn, personnummer', 'brukare', 'klient', 'den enskilde', 'sökande', 'för- och efternamn']],
  ['name', GENERIC, false, ['namn']],
  ['personnummer', SPECIFIC, false, ['personnummer', 'personnr', 'pers.nr', 'pers nr', 'pnr', 'p-nr',
    'personnummer/samordningsnummer', 'personnummer / samordningsnummer', 'samordningsnummer',
    'personnummer eller samordningsnummer', 'personnummer (ååååmmdd-nnnn)', 'personnummer (åååå-mm-dd-nnnn)']],
  ['legalBasis', SPECIFIC, false, ['insats', 'lagrum', 'lagstöd', 'beviljad insats', 'beslutad insats', 'insats enligt',
    'beslut enligt', 'insatstyp', 'lagrum/insats', 'insats/lagrum']],
  ['legalBasis', GENERIC, false, ['beslut', 'lag']],
  ['provider', SPECIFIC, false, ['leverantör', 'utförare', 'anordnare', 'vårdgivare', 'leverantörens namn', 'utförarens namn',
    'leverantör/utförare', 'utförare/leverantör', 'företag']],
  ['unit', SPECIFIC, false, ['boende', 'boendet', 'boendets namn', 'enhet', 'enhetens namn', 'namn på boende',
    'namn på boendet', 'boendeenhet', 'verksamhet', 'placeringsboende', 'bostad med särskild service (namn)', 'boende/enhet',
    'enhet/boende']],
  ['agreementRef', SPECIFIC, false, ['avtalsnummer', 'avtalsnr', 'avtalsreferens', 'ramavtal', 'ramavtalsnummer',
    'ramavtalsnr', 'avtals-id', 'avtal', 'avtalsid', 'ramavtalsreferens']],
  ['assessedOn', SPECIFIC, false, ['datum för bedömning', 'datum för behovsbedömning', 'bedömningsdatum', 'bedömd datum',
    'datum för bedömningen', 'bedömningen gjord datum', 'datum bedömning', 'bedömningen genomförd', 'bedömningen gjordes',
    'bedömd']],
  ['assessedOn', GENERIC, false, ['datum']],
  ['assessor', SPECIFIC, false, ['bedömning gjord av', 'bedömningen gjord av', 'bedömare', 'bedömd av', 'utförd av',
    'genomförd av', 'bedömningen utförd av', 'ansvarig planeringsledare', 'ansvarig bedömare', 'handläggande planeringsledare']],
  ['assessor', GENERIC, true, ['planeringsledare']],
  ['points', SPECIFIC, false, ['bb-poäng', 'bb poäng', 'summa bb-poäng', 'summa bb poäng', 'summa poäng', 'poäng totalt',
    'poäng summa', 'totalt antal poäng', 'antal poäng', 'total poäng', 'totalpoäng', 'poängsumma', 'behovsbedömningspoäng',
    'bb-poäng totalt', 'totala bb-poäng', 'summa behovspoäng', 'behovspoäng', 'totalt bb-poäng', 'poäng enligt bb']],
  ['points', GENERIC, true, ['poäng']],
  ['housingPrice', SPECIFIC, false, ['boendepris', 'boendepris enligt ramavtal', 'boendepris/dygn', 'boendepris per dygn',
    'boendepris (kr/dygn)', 'grundpris', 'grundpris boende', 'pris enligt ramavtal', 'ramavtalspris', 'boendepris enligt avtal',
    'boendets pris', 'pris per poäng', 'boendepris kr/dygn']],
  ['childSupplement', SPECIFIC, false, ['barntillägg', 'barntillägg per dygn', 'barntillägg/dygn', 'tillägg barn',
    'tillägg för barn', 'tillägg för barnplacering', 'barntillägg (lss 9 § 8)', 'tillägg barnplacering']],
  ['statedDailyPrice', SPECIFIC, false, ['dygnspris', 'pris per dygn', 'pris/dygn', 'dygnskostnad', 'totalt dygnspris',
    'dygnspris totalt', 'summa dygnspris', 'totalpris per dygn', 'kostnad per dygn', 'beräknat dygnspris', 'dygnspris (kr)',
    'totalt pris per dygn', 'dygnspris att betala', 'pris per dygn totalt']],
  ['exception', SPECIFIC, false, ['undantag från prismodellen', 'undantag från prismodell', 'undantag', 'undantag prismodell',
    'avvikelse från prismodellen', 'avsteg från prismodellen', 'undantag från ramavtalets prismodell']],
  ['exceptionReason', SPECIFIC, true, ['skäl för undantag', 'motivering till undantag', 'motivering', 'skäl', 'orsak',
    'anledning', 'undantaget avser', 'beskrivning av undantag']],
];

export const LABELS: readonly LabelDef[] = TABLE
  .flatMap(([field, priority, inlineOnly, labels]) => labels.map((label) => ({ field, label, priority, inlineOnly })))
  // Longest first so "boendepris enligt ramavtal" wins over "boende", "typ av bedömning" over "typ".
  .sort((a, b) => b.label.length - a.label.length);
