import type { Condition, RoutineDefinition } from './types.ts';

/**
 * Routine 3: "Förvaltningen för funktionsstöds rutin för intern flytt inom BmSS samt byte av
 * BmSS" (2022-06-07). Four entries: the unit initiates (1), the person asks via socialsekreterare
 * (2a) or via the unit (2b), a vacancy appears (3). They meet in one decision: a direct internal
 * move to a suitable vacant apartment in the area (no document, but the planeringsledare
 * dialogue first), or the "Byte BmSS/uppdaterad utredning BmSS" document and förmedling.
 */

const ALL = ['verksamheten', 'enskilde_via_socialsekreterare', 'enskilde_via_enhet', 'ledig_lagenhet'];

/** "kan en intern flytt genomföras utan att socialsekreterare upprättar dokumentet" */
const DIRECT_MOVE: Condition = {
  all: [{ fact: 'vacancyInArea', equals: true }, { fact: 'otherAreaOrPurchase', equals: false }],
};

export const internFlytt: RoutineDefinition = {
  id: 'intern-flytt',
  version: 1,
  title: 'Intern flytt och byte av BmSS',
  source: 'Förvaltningen för funktionsstöds rutin för intern flytt inom BmSS samt byte av BmSS (2022-06-07)',
  params: {
    // "Vid förmedling till BmSS ska dokumentet vara max 1 år gammalt."
    documentMaxAgeMonths: 12,
  },
  startableBy: ['enhetschef_utforare', 'socialsekreterare'],
  phases: [
    { id: 'verksamheten', title: 'Scenario 1: verksamheten initierar ett behov' },
    { id: 'enskilde_via_socialsekreterare', title: 'Scenario 2a: den enskilde kontaktar socialsekreterare' },
    { id: 'enskilde_via_enhet', title: 'Scenario 2b: den enskilde kontaktar enhetschef/personal på BmSS' },
    { id: 'ledig_lagenhet', title: 'Scenario 3: en ledig lägenhet uppstår i befintlig BmSS' },
  ],
  steps: [
    {
      id: 'avstamning', phases: ['verksamheten'], role: 'enhetschef_utforare',
      title: 'Avstämning med socialsekreteraren: pröva först anpassningar av verksamheten',
      opensOn: { on: 'phase_start' }, completedBy: { by: 'confirmation' },
      captures: [
        { name: 'adaptationsTried', kind: 'boolean', label: 'Anpassningar av verksamheten har prövats', required: true },
        { name: 'agreed', kind: 'boolean', label: 'Verksamheten och socialsekreteraren är överens om behovet av byte', required: true },
      ],
      rules: [{ rule: 'condition', when: { fact: 'adaptationsTried', equals: true }, message: 'Möjligheter att anpassa verksamheten efter den enskildes behov ska prövas innan det blir aktuellt med ett annat BmSS.' }],
      notify: { onComplete: ['socialsekreterare'] },
    },
    {
      id: 'linjen', phases: ['verksamheten'], role: 'verksamhetschef', when: { fact: 'agreed', equals: false },
      title: 'Verksamheten och socialsekreteraren är inte överens: frågan lyfts i linjen',
      opensOn: { on: 'steps_done', steps: ['avstamning'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'changeDecided', kind: 'boolean', label: 'Byte av BmSS ska göras', required: true }],
      closeCase: { when: { fact: 'changeDecided', equals: false }, reason: 'Inget byte av BmSS efter beslut i linjen' },
    },
    {
      id: 'byte_beslutat', phases: ['verksamheten'], role: 'enhetschef_utforare',
      when: { not: { fact: 'changeDecided', equals: false } },
      title: 'Bestämt att den enskilde ska byta BmSS',
      opensOn: { on: 'steps_done', steps: ['avstamning', 'linjen'] }, completedBy: { by: 'system' },
    },
    {
      id: 'onskemal_2a', phases: ['enskilde_via_socialsekreterare'], role: 'socialsekreterare',
      title: 'Den enskilde vill byta BmSS: bedöm ärendet och informera vid behov enhetschefen på nuvarande BmSS',
      opensOn: { on: 'phase_start' }, completedBy: { by: 'confirmation' },
      captures: [
        { name: 'sameArea', kind: 'boolean', label: 'Önskemålet gäller samma verksamhetschefs område/stadsområde', required: true },
        { name: 'unitManagerInformed', kind: 'boolean', label: 'Enhetschefen har informerats', required: false, requiredWhen: { fact: 'sameArea', equals: true } },
      ],
      notify: { onComplete: ['enhetschef_utforare'] },
    },
    {
      id: 'onskemal_2b', phases: ['enskilde_via_enhet'], role: 'enhetschef_utforare',
      title: 'Informera socialsekreteraren om den enskildes önskan om byte av BmSS',
      opensOn: { on: 'phase_start' }, completedBy: { by: 'confirmation' },
      notify: { onComplete: ['socialsekreterare'] },
    },
    {
      id: 'kontakt_2b', phases: ['enskilde_via_enhet'], role: 'socialsekreterare',
      title: 'Ta kontakt med den enskilde/företrädaren om önskan om byte',
      opensOn: { on: 'steps_done', steps: ['onskemal_2b'] }, completedBy: { by: 'confirmation' },
    },
    {
      id: 'ledig_lagenhet', phases: ['ledig_lagenhet'], role: 'enhetschef_utforare',
      title: 'Se över om den lediga lägenheten kan bli en intern flytt inom området innan den lämnas till förmedling',
      opensOn: { on: 'phase_start' }, completedBy: { by: 'confirmation' },
      captures: [
        { name: 'vacantFrom', kind: 'date', label: 'Lägenheten ledig från', required: true },
        { name: 'candidateFound', kind: 'boolean', label: 'Det finns en person som är aktuell för intern flytt', required: true },
      ],
    },
    {
      id: 'lamna_till_formedling', phases: ['ledig_lagenhet'], role: 'enhetschef_utforare', when: { fact: 'candidateFound', equals: false },
      title: 'Lämna lägenheten till planeringsledare för förmedling',
      opensOn: { on: 'steps_done', steps: ['ledig_lagenhet'] }, completedBy: { by: 'confirmation' },
      notify: { onComplete: ['planeringsledare'] },
      closeCase: { when: { stepDone: 'lamna_till_formedling' }, reason: 'Lägenheten lämnad till förmedling' },
    },
    {
      id: 'avstamning_vakans', phases: ['ledig_lagenhet'], role: 'enhetschef_utforare', when: { fact: 'candidateFound', equals: true },
      title: 'Kontakta socialsekreteraren för uppföljningsmöte/avstämning om intern flytt till den lediga lägenheten',
      opensOn: { on: 'steps_done', steps: ['ledig_lagenhet'] }, completedBy: { by: 'confirmation' },
      notify: { onComplete: ['socialsekreterare'] },
    },
    {
      id: 'inriktning', phases: ALL, role: 'socialsekreterare',
      title: 'Finns en lämplig ledig lägenhet inom verksamhetschefens område/stadsområdet, eller gäller det annat område eller köpt plats?',
      opensOn: { on: 'steps_done', steps: ['byte_beslutat', 'onskemal_2a', 'kontakt_2b', 'avstamning_vakans'], mode: 'any' },
      completedBy: { by: 'confirmation' },
      captures: [
        { name: 'vacancyInArea', kind: 'boolean', label: 'Lämplig ledig lägenhet finns inom området', required: true },
        { name: 'otherAreaOrPurchase', kind: 'boolean', label: 'Flytt till annat stadsområde eller köpt plats', required: true },
      ],
    },
    {
      id: 'bytesdokument', phases: ALL, role: 'socialsekreterare', when: { not: DIRECT_MOVE },
      title: 'Upprätta ”Byte BmSS/uppdaterad utredning BmSS” i Treserva och informera planeringsledare (mejllistan Boendeplanering funktionshinder)',
      opensOn: { on: 'steps_done', steps: ['inriktning'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'changeDocumentDate', kind: 'document_date', label: 'Dokumentets datum', required: true }],
      notify: { onComplete: ['planeringsledare'] },
    },
    {
      id: 'aterkoppling', phases: ALL, role: 'planeringsledare',
      title: 'Återkoppla till socialsekreteraren: ytterligare information och ställningstagande om köp av plats',
      opensOn: { on: 'steps_done', steps: ['bytesdokument'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'purchaseConsidered', kind: 'boolean', label: 'Köp av plats är aktuellt', required: false }],
      notify: { onComplete: ['socialsekreterare'] },
    },
    {
      id: 'formedling', phases: ALL, role: 'planeringsledare',
      title: 'Förmedla BmSS enligt förmedlingsrutinen',
      opensOn: { on: 'steps_done', steps: ['aterkoppling'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'formedlingDate', kind: 'date', label: 'Förmedlingsdatum', required: true }],
      rules: [{
        rule: 'max_months', from: { fact: 'changeDocumentDate' }, to: { fact: 'formedlingDate' }, months: { param: 'documentMaxAgeMonths' },
        message: 'Dokumentet ”Byte BmSS/uppdaterad utredning BmSS” är äldre än ett år. Socialsekreteraren uppdaterar det (eller uppföljningsdokumentet) före förmedling.',
      }],
      notify: { onComplete: ['socialsekreterare', 'enhetschef_utforare'] },
      closeCase: { when: { stepDone: 'formedling' }, reason: 'Förmedlad enligt förmedlingsrutinen' },
    },
    {
      // "Innan en intern flytt genomförs ska enhetschef ha en dialog med planeringsledare … för att
      // värna om de platser som det finns särskilt stora behov av."
      id: 'dialog_planeringsledare', phases: ALL, role: 'planeringsledare', when: DIRECT_MOVE,
      title: 'Dialog med enhetschef före intern flytt: ta ställning utifrån förvaltningens totala och aktuella behov av platsen',
      opensOn: { on: 'steps_done', steps: ['inriktning'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'planeringsledareStance', kind: 'choice', label: 'Planeringsledarens ställningstagande', required: true, options: [
        { value: 'tillstyrker', label: 'tillstyrker' }, { value: 'motsatter', label: 'motsätter sig' },
      ] }],
      notify: { onComplete: ['enhetschef_utforare'] },
    },
    {
      // "Om planeringsledare motsätter sig en intern flytt förs en dialog med verksamhetschef BmSS
      // som beslutar om en intern flytt ska genomföras." The decision is final.
      id: 'beslut_verksamhetschef', phases: ALL, role: 'verksamhetschef', when: { fact: 'planeringsledareStance', equals: 'motsatter' },
      title: 'Planeringsledaren motsätter sig den interna flytten: besluta om den ska genomföras',
      opensOn: { on: 'steps_done', steps: ['dialog_planeringsledare'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'verksamhetschefDecision', kind: 'choice', label: 'Beslut', required: true, options: [
        { value: 'genomfor', label: 'genomför den interna flytten' }, { value: 'genomfor_ej', label: 'genomför inte' },
      ] }],
      notify: { onComplete: ['enhetschef_utforare', 'planeringsledare', 'socialsekreterare'] },
      closeCase: { when: { fact: 'verksamhetschefDecision', equals: 'genomfor_ej' }, reason: 'Verksamhetschef beslutade att inte genomföra den interna flytten' },
    },
    {
      id: 'intern_flytt', phases: ALL, role: 'enhetschef_utforare', when: DIRECT_MOVE,
      title: 'Genomför den interna flytten till den lediga lägenheten',
      opensOn: { on: 'steps_done', steps: ['inriktning'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'moveDate', kind: 'date', label: 'Flyttdatum', required: true }],
      rules: [
        { rule: 'condition', when: { stepDone: 'dialog_planeringsledare' }, message: 'Innan en intern flytt genomförs ska enhetschef ha en dialog med planeringsledare.' },
        {
          rule: 'condition',
          when: { any: [{ fact: 'planeringsledareStance', equals: 'tillstyrker' }, { fact: 'verksamhetschefDecision', equals: 'genomfor' }] },
          message: 'Planeringsledaren motsätter sig flytten: verksamhetschef BmSS beslutar först om den ska genomföras.',
        },
      ],
      notify: { onComplete: ['socialsekreterare', 'planeringsledare'] },
      closeCase: { when: { stepDone: 'intern_flytt' }, reason: 'Intern flytt genomförd' },
    },
  ],
  closing: { by: ['socialsekreterare', 'enhetschef_utforare'], notify: ['planeringsledare', 'socialsekreterare', 'enhetschef_utforare'] },
};
