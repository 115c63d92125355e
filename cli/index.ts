import type { CliCommand } from './types.ts';

/**
 * One table drives dispatch and the help text. It imports nothing: a command's module (and what
 * that pulls in: parsers, the database driver) is loaded only when that command runs, so
 * `hjälp` and the routine commands answer in about the time Node needs to start.
 */
export type CommandSpec = {
  /** Words that name the command, e.g. ['routine', 'show']. */
  words: readonly string[];
  usage: string;
  /** Swedish one-line description for `boendelotsen hjälp`. */
  summary: string;
  /** Commands that need the database get it from the composition root. */
  needsDb: boolean;
  /** Commands that read the settings without the database being opened (and migrated) for them. */
  needsConfig?: boolean;
  load: () => Promise<CliCommand>;
};

export const commands: readonly CommandSpec[] = [
  {
    words: ['parse-bb'],
    usage: 'parse-bb FIL   (FIL: .eml, .pdf, .docx, .txt eller .html)',
    summary: 'Läser en behovsbedömning ur ett mejl eller dokument och kontrollräknar dygnspriset',
    needsDb: false,
    load: async () => (await import('./parse-bb.ts')).parseBbCommand,
  },
  {
    words: ['bb-copy'],
    usage: 'bb-copy FIL UT.pdf',
    summary: 'Skapar en kopia av behovsbedömningen utan prisuppgifter (för Treserva)',
    needsDb: false,
    load: async () => (await import('./bb-copy.ts')).bbCopyCommand,
  },
  {
    words: ['routines'],
    usage: 'routines',
    summary: 'Listar rutinerna och deras versioner',
    needsDb: false,
    load: async () => (await import('./routines.ts')).routinesCommand,
  },
  {
    words: ['routines', 'validate'],
    usage: 'routines validate [MAPP]',
    summary: 'Kontrollerar rutinfilerna i mappen (schema, hänvisningar, nåbarhet, normal väg, tidsfrister, e-postmallar)',
    needsDb: false,
    load: async () => (await import('./routines.ts')).routinesValidateCommand,
  },
  {
    words: ['routines', 'diff'],
    usage: 'routines diff ID V1 V2',
    summary: 'Visar vilka steg, tidsfrister och roller som skiljer två versioner av en rutin',
    needsDb: false,
    load: async () => (await import('./routines.ts')).routinesDiffCommand,
  },
  {
    words: ['routines', 'schema'],
    usage: 'routines schema',
    summary: 'Skriver JSON Schema för rutinfiler (för editorer)',
    needsDb: false,
    load: async () => (await import('./routines.ts')).routinesSchemaCommand,
  },
  {
    words: ['routine', 'show'],
    usage: 'routine show ID [--version N]',
    summary: 'Visar en rutins parametrar, regler och steg: roll, vad som startar steget och tidsfrist',
    needsDb: false,
    load: async () => (await import('./routines.ts')).routineShowCommand,
  },
  {
    words: ['simulate'],
    usage: 'simulate ID --events FIL.json [--until ÅÅÅÅ-MM-DD]',
    summary: 'Kör ett ärende genom rutinen med tidsstämplade händelser och skriver tidslinjen som JSON',
    needsDb: false,
    load: async () => (await import('./routines.ts')).simulateCommand,
  },
  {
    words: ['users', 'import'],
    usage: 'users import FIL   (FIL: .csv eller .json)',
    summary: 'Läser in personalkatalogen: e-post, namn, roller, område, chef (chefens e-post), Entra-id',
    needsDb: true,
    load: async () => (await import('./users-import.ts')).usersImportCommand,
  },
  {
    words: ['providers', 'import'],
    usage: 'providers import FIL   (FIL: .csv eller .json)',
    summary: 'Läser in leverantörsregistret: id, namn, tjänster, e-post, maildomän, tar emot nya, aktiv',
    needsDb: true,
    load: async () => (await import('./providers-import.ts')).providersImportCommand,
  },
  {
    words: ['units', 'import'],
    usage: 'units import FIL   (FIL: .csv eller .json)',
    summary: 'Läser in enheterna: id, name, area, landlord_email, manager_email, care_emails (;-separerade)',
    needsDb: true,
    load: async () => (await import('./units-import.ts')).unitsImportCommand,
  },
  {
    words: ['audit', 'verify'],
    usage: 'audit verify',
    summary: 'Kontrollerar granskningsloggens kedja och signerade kontrollpunkter; pekar ut första ändrade post',
    needsDb: true,
    load: async () => (await import('./audit.ts')).auditVerifyCommand,
  },
  {
    words: ['reminders', 'preview'],
    usage: 'reminders preview --at "ÅÅÅÅ-MM-DD TT:MM" [--json]',
    summary: 'Visar vilka påminnelser, eskaleringar, översikter, svarsfrister och tidsstyrda steg som skulle gå ut då, med mottagare (skickar inget)',
    needsDb: true,
    load: async () => (await import('./reminders.ts')).remindersPreviewCommand,
  },
  {
    words: ['cases', 'without-area'],
    usage: 'cases without-area',
    summary: 'Listar ärenden utan område (bara rollinnehavarna ser dem tills ett område är satt)',
    needsDb: true,
    load: async () => (await import('./case-areas.ts')).casesWithoutAreaCommand,
  },
  {
    words: ['case', 'set-area'],
    usage: 'case set-area REF OMRÅDE',
    summary: 'Sätter område på ett ärende som saknar det (granskningsloggas)',
    needsDb: true,
    load: async () => (await import('./case-areas.ts')).caseSetAreaCommand,
  },
  {
    words: ['audit', 'person'],
    usage: 'audit person PERSONNUMMER [--from ÅÅÅÅ-MM-DD] [--to ÅÅÅÅ-MM-DD] [--pdf FIL]',
    summary: 'Loggutdrag för en person: vem som läst eller ändrat uppgifterna, när och hur (CSV, PDF)',
    needsDb: true,
    load: async () => (await import('./audit-exports.ts')).auditPersonCommand,
  },
  {
    words: ['audit', 'case'],
    usage: 'audit case REF [--out KATALOG]',
    summary: 'Ärendets granskningslogg för tillsyn: skriver granskning-REF.csv och .pdf',
    needsDb: true,
    load: async () => (await import('./audit-exports.ts')).auditCaseCommand,
  },
  {
    words: ['rapport', 'ej-verkställda'],
    usage: 'rapport ej-verkställda --kvartal ÅÅÅÅKn [--format csv|pdf] [--ut FIL] [--nämnd]',
    summary: 'Kvartalsrapporten till IVO om ej verkställda beslut om boende (CSV eller PDF); --nämnd: antal per insats och väntetid utan personuppgifter',
    needsDb: true,
    load: async () => (await import('./report.ts')).reportCommand,
  },
  {
    words: ['keys', 'rotate'],
    usage: 'keys rotate',
    summary: 'Krypterar om personuppgifter med den senaste nyckeln i ENCRYPTION_KEYS_FILE',
    needsDb: true,
    load: async () => (await import('./keys.ts')).keysRotateCommand,
  },
  {
    words: ['gallring'],
    usage: 'gallring [--preview]',
    summary: 'Gallrar personuppgifter vars bevarandetid gått ut (--preview: visar bara antal per slag)',
    needsDb: true,
    load: async () => (await import('./gallring.ts')).gallringCommand,
  },
  {
    words: ['demo'],
    usage: 'demo',
    summary: 'Läser in påhittad demodata (personal, leverantörer, enheter, lediga lägenheter, ärenden); inte i produktion',
    needsDb: true,
    load: async () => (await import('./demo.ts')).demoCommand,
  },
  {
    words: ['doctor'],
    usage: 'doctor',
    summary: 'Kontrollerar konfigurationen inför drift: databas, brevlåda, SMTP med TLS, e-postregler, nycklar, bot',
    // Not needsDb: opening the database for a command migrates it, and whether it is migrated is one of the checks.
    needsDb: false,
    needsConfig: true,
    load: async () => (await import('./doctor.ts')).doctorCommand,
  },
];

export function isHelp(word: string | undefined): boolean {
  return word === 'hjälp' || word === 'help' || word === '--help' || word === '-h';
}

export function findCommand(argv: readonly string[]): { spec: CommandSpec; args: string[] } | undefined {
  // Longest match first, so `routine show` wins over a shorter command with the same first word.
  const sorted = [...commands].sort((a, b) => b.words.length - a.words.length);
  for (const spec of sorted) {
    if (spec.words.every((w, i) => argv[i] === w)) return { spec, args: argv.slice(spec.words.length) };
  }
  return undefined;
}

/** Finds a command by its words (tests and scripts that run one directly). */
export function commandSpec(...words: string[]): CommandSpec {
  const spec = commands.find((c) => c.words.join(' ') === words.join(' '));
  if (!spec) throw new Error(`no command ${words.join(' ')}`);
  return spec;
}

export function helpText(): string {
  const lines = ['Användning: npx boendelotsen <kommando>', '', 'Utan kommando startar tjänsten.', '', 'Kommandon:'];
  for (const c of commands) lines.push(`  ${c.usage.padEnd(44)} ${c.summary}`);
  return lines.join('\n') + '\n';
}
