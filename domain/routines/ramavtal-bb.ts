import { bbDistribution, bbFields, EXCEPTION } from './shared.ts';
import type { DateRule, RoutineDefinition, StepDefinition } from './types.ts';

/**
 * Routine 1: "Förvaltningen för funktionsstöds rutin för hantering av behovsbedömningar på
 * ramavtal" (N161A00187, reviderad 2025-03-19). Four phases: inför köp, uppföljande (a timer
 * three months after move-in), förändrade behov, and the end (the case's close).
 */

const contractRole = { when: EXCEPTION, then: 'link_samordnare', else: 'socialadministrator' } as const;
const workingDays = (param: string): DateRule => ({ from: 'opened', add: { workingDays: { param } }, kind: 'deadline' });
const days = (param: string): DateRule => ({ from: 'opened', add: { days: { param } }, kind: 'deadline' });

/**
 * The steps every phase shares after the BB has come in: Treserva, the exception, the contract,
 * signature, sending with return envelope, administration told, the signed contract archived.
 */
function contractChain(phase: string, suffix: string, contract: Pick<StepDefinition, 'title' | 'derive' | 'captures' | 'notes'>, after: string[]): StepDefinition[] {
  const id = (base: string): string => `${base}${suffix}`;
  const bb = id('bb');
  return [
    {
      id: id('treserva'), phases: [phase], role: 'socialsekreterare',
      title: 'Lägg in bifogad behovsbedömning utan prisuppgifter i Treserva',
      opensOn: { on: 'steps_done', steps: [bb] }, completedBy: { by: 'confirmation' },
      deadline: { type: 'offset', ...workingDays('treservaWorkingDays') },
    },
    {
      id: id('forhandling'), phases: [phase], role: 'link_samordnare', when: EXCEPTION,
      title: 'Förhandla med leverantören om villkoren för placeringsavtalet (undantag från prismodellen)',
      opensOn: { on: 'steps_done', steps: [bb] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'negotiatedDailyPrice', kind: 'number', label: 'Överenskommet dygnspris', required: true, min: 0 }],
      notes: [{ when: EXCEPTION, text: 'Skäl till undantag: {exceptionReason}.' }],
      deadline: { type: 'offset', ...days('forhandlingDays') },
      notify: { onOpen: ['socialadministrator'], onComplete: ['socialadministrator'] },
    },
    {
      id: id('avtal'), phases: [phase], role: contractRole, title: contract.title,
      opensOn: { on: 'steps_done', steps: [...after, id('forhandling')] }, completedBy: { by: 'confirmation' },
      ...(contract.derive ? { derive: contract.derive } : {}),
      ...(contract.captures ? { captures: contract.captures } : {}),
      ...(contract.notes ? { notes: contract.notes } : {}),
      deadline: { type: 'offset', ...workingDays('avtalWorkingDays') },
    },
    {
      id: id('signering'), phases: [phase], role: 'enhetschef_myndighet',
      title: 'Skriv under placeringsavtalet',
      opensOn: { on: 'steps_done', steps: [id('avtal')] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'signedOn', kind: 'document_date', label: 'Underskrivet datum', required: true }],
      deadline: { type: 'offset', ...workingDays('signeringWorkingDays') },
    },
    {
      id: id('skicka_avtal'), phases: [phase], role: 'socialadministrator',
      title: 'Skriv ut två exemplar av behovsbedömningen och skicka placeringsavtalet till leverantören med bifogad behovsbedömning och svarskuvert',
      opensOn: { on: 'steps_done', steps: [id('signering')] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'contractSentOn', kind: 'document_date', label: 'Skickat datum', required: true }],
      deadline: { type: 'offset', ...workingDays('skickaWorkingDays') },
    },
    {
      // "Samtidigt som avtalet skickas till leverantör meddelar socialadministratör enheten för
      // administration informationen från avtalet så de kan stämma av fakturor."
      id: id('administration'), phases: [phase], role: 'socialadministrator',
      title: 'Meddela enheten för administration avtalets uppgifter för fakturaavstämning',
      opensOn: { on: 'steps_done', steps: [id('skicka_avtal')] }, completedBy: { by: 'system' },
      mailOnComplete: [{ to: 'administration', template: 'avtal_till_administration', fields: ['dailyPrice', 'negotiatedDailyPrice', 'contractFrom', 'contractUntil'] }],
    },
    {
      // "sparar en behovsbedömning tills underskrivet avtal kommer tillbaka och arkiverar båda"
      id: id('avtal_retur'), phases: [phase], role: 'socialadministrator',
      title: 'Underskrivet avtal har kommit tillbaka: arkivera det tillsammans med behovsbedömningen',
      opensOn: { on: 'steps_done', steps: [id('skicka_avtal')] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'contractReturnedOn', kind: 'document_date', label: 'Avtalet kom tillbaka', required: true }],
      deadline: { type: 'offset', ...days('avtalReturDays') },
      notify: { onLate: ['socialadministrator'] },
    },
  ];
}

function bbStep(phase: string, suffix: string, title: string, opensOn: StepDefinition['opensOn'], kind: string): StepDefinition {
  return {
    id: `bb${suffix}`, phases: [phase], role: 'planeringsledare', title, opensOn,
    completedBy: { by: 'document', kind: 'behovsbedomning' },
    captures: bbFields(),
    rules: [{ rule: 'condition', when: { fact: 'bbKind', equals: kind }, message: `Behovsbedömningen är inte av slaget ”${kind.replace('_', ' ')}” som ärendet väntar på.` }],
    mailOnComplete: bbDistribution(),
    deadline: { type: 'offset', ...days('bbDays') },
  };
}

const inforKop: StepDefinition[] = [
  {
    id: 'beslut_kop', phases: ['infor_kop'], role: 'enhetschef_myndighet',
    title: 'Besluta om köp av ramavtalsplats',
    opensOn: { on: 'phase_start' }, completedBy: { by: 'confirmation' },
    captures: [{ name: 'purchaseDecidedOn', kind: 'document_date', label: 'Beslutsdatum', required: true }],
    notify: { onComplete: ['socialsekreterare'] },
  },
  {
    id: 'kontaktuppgifter', phases: ['infor_kop'], role: 'socialsekreterare',
    title: 'Ordna kontaktuppgifter till den som ska intervjuas för behovsbedömningen och lämna dem till planeringsledare',
    opensOn: { on: 'steps_done', steps: ['beslut_kop'] }, completedBy: { by: 'confirmation' },
    captures: [{ name: 'interviewSource', kind: 'choice', label: 'Intervjuperson', required: true, options: [
      { value: 'korttidsboende', label: 'korttidsboende' },
      { value: 'annat_bmss', label: 'annat BmSS' },
      { value: 'socialsekreterare', label: 'socialsekreteraren själv' },
      { value: 'annan', label: 'annan' },
    ] }],
    deadline: { type: 'offset', ...workingDays('kontaktuppgifterWorkingDays') },
    notify: { onComplete: ['planeringsledare'] },
  },
  bbStep('infor_kop', '', 'Boka och genomför behovsbedömning inför köp; skicka den med prisuppgift', { on: 'steps_done', steps: ['kontaktuppgifter'] }, 'infor_kop'),
  {
    id: 'kontrollrakning', phases: ['infor_kop'], role: 'socialadministrator',
    title: 'Kontrollräkna boendepris × BB-poäng (+ barntillägg vid LSS 9 § 8) = dygnspris',
    opensOn: { on: 'steps_done', steps: ['bb'] }, completedBy: { by: 'confirmation' },
    captures: [{ name: 'controlledDailyPrice', kind: 'number', label: 'Kontrollräknat dygnspris', required: true, min: 0 }],
    notes: [
      { when: { fact: 'priceCheck', equals: 'mismatch' }, text: 'Obs! Priset stämmer inte: angivet dygnspris {statedDailyPrice} kr, beräknat {dailyPrice} kr.' },
      { when: { fact: 'priceCheck', equals: 'not_stated' }, text: 'Obs! Behovsbedömningen anger inget dygnspris; beräknat {dailyPrice} kr.' },
    ],
    deadline: { type: 'offset', ...workingDays('kontrollrakningWorkingDays') },
  },
  {
    // "kontaktar leverantör direkt behovsbedömningen ”inför köp” inkommer och meddelar priset …
    // uppföljande behovsbedömning … börjar gälla dagen efter att 3 månader av placeringen pågått."
    id: 'pris_till_leverantor', phases: ['infor_kop'], role: { anyOf: ['socialadministrator', 'socialsekreterare'] },
    title: 'Meddela leverantören priset och att en uppföljande behovsbedömning görs och gäller dagen efter 3 månaders placering',
    opensOn: { on: 'steps_done', steps: ['bb'] }, completedBy: { by: 'confirmation' },
    deadline: { type: 'offset', from: 'opened', add: { workingDays: 1 }, kind: 'deadline' },
    mailOnComplete: [{ to: 'leverantor', template: 'pris_och_uppfoljande_bb', fields: ['dailyPrice'] }],
  },
  {
    // "Datumet blir underlag för eventuell expansionsmedel till köpande myndighetsenhet."
    id: 'inflyttningsdatum', phases: ['infor_kop'], role: 'socialsekreterare',
    title: 'Meddela inflyttningsdatum till planeringsledare och socialadministratör',
    opensOn: { on: 'steps_done', steps: ['bb'] }, completedBy: { by: 'confirmation' },
    captures: [{ name: 'moveInDate', kind: 'date', label: 'Inflyttningsdatum', required: true }],
    derive: [
      { fact: 'placementStart', rule: { from: { fact: 'moveInDate' }, kind: 'validity' } },
      { fact: 'followUpContractFrom', rule: { from: { fact: 'moveInDate' }, add: { months: 3, days: 1 }, kind: 'validity' } },
    ],
    notify: { onComplete: ['planeringsledare', 'socialadministrator'] },
  },
  ...contractChain('infor_kop', '', {
    title: 'Upprätta placeringsavtal för de första 3 månaderna utifrån behovsbedömningens pris',
    derive: [
      { fact: 'contractFrom', rule: { from: { fact: 'placementStart' }, kind: 'validity' } },
      { fact: 'contractUntil', rule: { from: { fact: 'placementStart' }, add: { months: 3 }, kind: 'validity' } },
    ],
  }, ['kontrollrakning', 'pris_till_leverantor', 'inflyttningsdatum']),
];

const uppfoljande: StepDefinition[] = [
  bbStep('uppfoljande', '_uppf', 'Boka och genomför uppföljande behovsbedömning med boendets personal; skicka den med prisuppgift', { on: 'phase_start' }, 'uppfoljande'),
  ...contractChain('uppfoljande', '_uppf', {
    title: 'Utforma placeringsavtal från dagen efter 3 månader från placeringsstart, under ramavtalsperioden eller tills beslutet löper ut',
    notes: [{ when: { fact: 'followUpContractFrom', exists: true }, text: 'Avtalet gäller från {followUpContractFrom}.' }],
    derive: [{ fact: 'contractFrom', rule: { from: { fact: 'followUpContractFrom' }, kind: 'validity' } }],
    captures: [{ name: 'contractUntil', kind: 'date', label: 'Avtalet gäller till (ramavtalets eller beslutets slut, det som kommer först)', required: true }],
  }, []),
];

const forandradeBehov: StepDefinition[] = [
  {
    // "socialsekreterare eller LINK kontaktar leverantör om att begäran inkommit samt vilket datum"
    id: 'begaran_till_leverantor', phases: ['forandrade_behov'], role: { anyOf: ['socialsekreterare', 'link_samordnare'] },
    title: 'Meddela leverantören att begäran om ny behovsbedömning inkommit och vilket datum',
    opensOn: { on: 'phase_start' }, completedBy: { by: 'confirmation' },
    deadline: { type: 'offset', ...workingDays('kontaktuppgifterWorkingDays') },
    mailOnComplete: [{ to: 'leverantor', template: 'begaran_ny_bb_mottagen', fields: ['changeRequestedOn'] }],
  },
  {
    // "Socialadministratör ansvarar för att kontrollera med socialsekreterare från när det
    // förändrade behovet är kommunicerat som underlag till start för placeringsavtalet."
    id: 'startdatum_kontroll', phases: ['forandrade_behov'], role: 'socialadministrator',
    title: 'Kontrollera med socialsekreteraren från när det förändrade behovet kommunicerades (nya avtalets startdatum)',
    opensOn: { on: 'phase_start' }, completedBy: { by: 'confirmation' },
    captures: [{ name: 'changeRequestedOn', kind: 'document_date', label: 'Datum för begäran (avtalets startdatum)', required: true }],
    derive: [{ fact: 'contractFrom', rule: { from: { fact: 'changeRequestedOn' }, kind: 'validity' } }],
    deadline: { type: 'offset', ...workingDays('kontrollrakningWorkingDays') },
  },
  bbStep('forandrade_behov', '_forandr', 'Boka möte med leverantören och genomför behovsbedömning vid förändrade behov; skicka den med prisuppgift', { on: 'phase_start' }, 'forandrade_behov'),
  ...contractChain('forandrade_behov', '_forandr', {
    title: 'Gör ett placeringsavtal utifrån behovsbedömningen från datumet för begäran, under ramavtalsperioden eller tills beslutet löper ut',
    notes: [{ when: { fact: 'contractFrom', exists: true }, text: 'Avtalet gäller från {contractFrom}.' }],
    captures: [{ name: 'contractUntil', kind: 'date', label: 'Avtalet gäller till (ramavtalets eller beslutets slut, det som kommer först)', required: true }],
  }, ['startdatum_kontroll']),
];

export const ramavtalBb: RoutineDefinition = {
  id: 'ramavtal-bb',
  version: 1,
  title: 'Ramavtal BmSS: behovsbedömning',
  source: 'Förvaltningen för funktionsstöds rutin för hantering av behovsbedömningar på ramavtal (N161A00187, rev. 2025-03-19)',
  params: {
    // Not in the routine document: configurable standard times for steps it gives no number for.
    bbDays: 30,
    treservaWorkingDays: 3,
    kontrollrakningWorkingDays: 3,
    kontaktuppgifterWorkingDays: 5,
    forhandlingDays: 14,
    avtalWorkingDays: 5,
    signeringWorkingDays: 5,
    skickaWorkingDays: 3,
    avtalReturDays: 30,
    // From the routine: "tidigast 3 månader efter inflytt"; "ha varit i minst 3 månader".
    uppfoljandeBbMonths: 3,
    changedNeedMinMonths: 3,
  },
  startableBy: ['socialsekreterare'],
  phases: [
    { id: 'infor_kop', title: 'Nytt avrop inför köp' },
    {
      id: 'uppfoljande', title: 'Uppföljande behovsbedömning', beginBy: ['planeringsledare', 'socialsekreterare'],
      timer: { armedBy: 'inflyttningsdatum', at: { from: { fact: 'moveInDate' }, add: { months: { param: 'uppfoljandeBbMonths' } }, kind: 'validity' } },
      rules: [{ rule: 'min_months', from: { fact: 'moveInDate' }, to: 'today', months: { param: 'uppfoljandeBbMonths' }, message: 'Uppföljande behovsbedömning görs tidigast 3 månader efter inflytt.' }],
    },
    {
      id: 'forandrade_behov', title: 'Förändrade behov', beginBy: ['socialsekreterare', 'link_samordnare'],
      captures: [
        { name: 'reportedBy', kind: 'choice', label: 'Uppmärksammat av', required: true, options: [{ value: 'leverantor', label: 'leverantören' }, { value: 'socialsekreterare', label: 'socialsekreteraren' }] },
        { name: 'needAroseOn', kind: 'document_date', label: 'Det förändrade behovet uppstod', required: true },
        { name: 'changeRequestedOn', kind: 'document_date', label: 'Datum för begäran', required: true },
        { name: 'needDocumented', kind: 'boolean', label: 'Det förändrade behovet är dokumenterat', required: true },
      ],
      rules: [
        { rule: 'min_months', from: { fact: 'needAroseOn' }, to: { fact: 'changeRequestedOn' }, months: { param: 'changedNeedMinMonths' }, message: 'Det förändrade behovet ska ha funnits i minst 3 månader innan en ny behovsbedömning begärs.' },
        { rule: 'condition', when: { fact: 'needDocumented', equals: true }, message: 'Det förändrade behovet måste vara dokumenterat innan en ny behovsbedömning begärs.' },
      ],
    },
  ],
  steps: [...inforKop, ...uppfoljande, ...forandradeBehov],
  // "Socialsekreterare meddelar uppsägning/avslut av placering till socialadministratör, LINK och planeringsledare."
  closing: { by: ['socialsekreterare'], notify: ['socialadministrator', 'link_samordnare', 'planeringsledare'] },
};
