import type { RoutineDefinition } from './types.ts';

/**
 * Routine 4: "Samverkansrutin boendestöd" between Omvårdnadsförvaltningen and LOV providers
 * (fastställd 2018-12-01). Provider steps are watched by the handläggare, who owns them: the
 * provider answers by e-mail and never uses Teams.
 */

const PHASES = ['nytt_arende', 'overgang_65'];

export const boendestodLov: RoutineDefinition = {
  id: 'boendestod-lov',
  version: 1,
  title: 'Boendestöd under LOV',
  source: 'Samverkansrutin boendestöd, Omvårdnadsförvaltningen (fastställd 2018-12-01)',
  params: {
    valMonths: 2, // "Den enskilde väljer utförare inom 2 månader"
    startDays: 14, // "senast 14 dagar efter att beställningen mottagits"
    ejPaborjadMonths: 1, // "inte har påbörjats inom en månad"
    gpStartDays: 14, // "påbörjas inom 14 dagar"
    gpSendMonths: 3, // "skickas till OF senast inom 3 månader"
    uppfoljningMonths: 3, // "inom 3 månader från det att genomförandeplanen inkommit"
  },
  startableBy: ['socialsekreterare'],
  phases: [
    { id: 'nytt_arende', title: 'Nytt ärende' },
    { id: 'overgang_65', title: 'Pågående ärende från socialpsykiatri (övergång vid 65 år)' },
  ],
  steps: [
    {
      id: 'beslut', phases: PHASES, role: 'socialsekreterare',
      title: 'Utred behovet, fatta beslut om boendestöd och informera om LOV och valfriheten att välja utförare',
      opensOn: { on: 'phase_start' }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'decisionDate', kind: 'document_date', label: 'Beslutsdatum', required: true }],
    },
    {
      id: 'val_utforare', phases: PHASES, role: 'socialsekreterare',
      title: 'Registrera den enskildes val av utförare (inom 2 månader)',
      opensOn: { on: 'steps_done', steps: ['beslut'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'provider', kind: 'text', label: 'Vald utförare', required: true, maxLength: 200 }],
      deadline: { type: 'offset', from: { fact: 'decisionDate' }, add: { months: { param: 'valMonths' } }, kind: 'deadline' },
    },
    {
      // "om kund inte gör något val träder principen in om ett ickevals alternativ … handläggare
      // väljer utförare efter turordningsprincipen" — the rotation itself is kept by the shell.
      id: 'ickeval', phases: PHASES, role: 'socialsekreterare',
      title: 'Ickeval: välj nästa utförare i turordningen',
      opensOn: { on: 'timer', armedBy: 'beslut', at: { from: { fact: 'decisionDate' }, add: { months: { param: 'valMonths' } }, kind: 'validity' }, cancelledBy: ['val_utforare'] },
      completedBy: { by: 'confirmation' },
      captures: [{ name: 'provider', kind: 'text', label: 'Utförare enligt turordningen', required: true, maxLength: 200 }],
      deadline: { type: 'offset', from: 'opened', add: { workingDays: 2 }, kind: 'deadline' },
      cancels: ['val_utforare'],
    },
    {
      id: 'bestallning', phases: PHASES, role: 'socialsekreterare',
      title: 'Skicka skriftlig beställning till vald utförare (vid ny kund: kontakta utföraren om att beställningen är på väg)',
      opensOn: { on: 'steps_done', steps: ['val_utforare', 'ickeval'], mode: 'any' }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'orderSentOn', kind: 'document_date', label: 'Beställningen skickad', required: true }],
      mailOnComplete: [{ to: 'leverantor', template: 'bestallning_boendestod', fields: ['orderSentOn'] }],
    },
    {
      id: 'bekraftelse', phases: PHASES, role: 'socialsekreterare',
      title: 'Utföraren bekräftar att beställningen mottagits (senast dagen efter)',
      opensOn: { on: 'steps_done', steps: ['bestallning'] }, completedBy: { by: 'provider_reply', kind: 'confirmed' },
      captures: [{ name: 'date', kind: 'date', label: 'Bekräftad', required: false, fact: 'orderConfirmedOn' }],
      deadline: { type: 'offset', from: 'opened', add: { workingDays: 1 }, kind: 'deadline' },
    },
    {
      id: 'insats_paborjad', phases: PHASES, role: 'socialsekreterare',
      title: 'Utföraren meddelar att insatsen påbörjats (senast 14 dagar efter beställningen)',
      opensOn: { on: 'steps_done', steps: ['bestallning'] }, completedBy: { by: 'provider_reply', kind: 'started' },
      captures: [{ name: 'date', kind: 'date', label: 'Insatsen påbörjad', required: true, fact: 'startedOn' }],
      deadline: { type: 'offset', from: { fact: 'orderSentOn' }, add: { days: { param: 'startDays' } }, kind: 'deadline' },
    },
    {
      // "Om boendestödet inte har påbörjats inom en månad … ska ansvarig handläggare kontaktas"
      id: 'ej_paborjad', phases: PHASES, role: 'socialsekreterare',
      title: 'Boendestödet har inte påbörjats inom en månad från beställningen: kontakta utföraren',
      opensOn: { on: 'timer', armedBy: 'bestallning', at: { from: { fact: 'orderSentOn' }, add: { months: { param: 'ejPaborjadMonths' } }, kind: 'validity' }, cancelledBy: ['insats_paborjad'] },
      completedBy: { by: 'confirmation' },
      deadline: { type: 'offset', from: 'opened', add: { workingDays: 1 }, kind: 'deadline' },
    },
    {
      id: 'gp_paborjad', phases: PHASES, role: 'socialsekreterare',
      title: 'Kontrollera att upprättandet av genomförandeplan påbörjats (inom 14 dagar)',
      opensOn: { on: 'steps_done', steps: ['insats_paborjad'] }, completedBy: { by: 'confirmation' },
      deadline: { type: 'offset', from: { fact: 'startedOn' }, add: { days: { param: 'gpStartDays' } }, kind: 'deadline' },
    },
    {
      id: 'genomforandeplan', phases: PHASES, role: 'socialsekreterare',
      title: 'Genomförandeplanen skickas till OF (senast inom 3 månader)',
      opensOn: { on: 'steps_done', steps: ['insats_paborjad'] }, completedBy: { by: 'provider_reply', kind: 'genomforandeplan' },
      captures: [{ name: 'date', kind: 'date', label: 'Genomförandeplanen inkom', required: true, fact: 'gpReceivedOn' }],
      deadline: { type: 'offset', from: { fact: 'startedOn' }, add: { months: { param: 'gpSendMonths' } }, kind: 'deadline' },
      // "Handläggaren bekräftar att genomförandeplanen mottagits via mail."
      mailOnComplete: [{ to: 'leverantor', template: 'genomforandeplan_mottagen', fields: ['gpReceivedOn'] }],
    },
    {
      id: 'uppfoljning', phases: PHASES, role: 'socialsekreterare',
      title: 'Boka och gör uppföljning med den enskilde (och boendestödjaren om den enskilde vill)',
      opensOn: { on: 'steps_done', steps: ['genomforandeplan'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'followUpOn', kind: 'document_date', label: 'Uppföljningsdatum', required: true }],
      deadline: { type: 'offset', from: { fact: 'gpReceivedOn' }, add: { months: { param: 'uppfoljningMonths' } }, kind: 'deadline' },
    },
    {
      // "vid förändrade förhållanden samt vid längre planerad frånvaro … mer än 30 dagar"
      id: 'franvaro', phases: PHASES, role: 'socialsekreterare',
      title: 'Utföraren meddelar frånvaro över 30 dagar eller förändrade förhållanden',
      opensOn: { on: 'action', availableAfter: 'bestallning' }, completedBy: { by: 'provider_reply', kind: 'franvaro' },
      captures: [
        { name: 'date', kind: 'date', label: 'Från och med', required: true, fact: 'absenceFrom' },
        { name: 'reportKind', kind: 'choice', label: 'Slag', required: true, options: [
          { value: 'franvaro_over_30_dagar', label: 'frånvaro mer än 30 dagar i följd' },
          { value: 'ej_enligt_bestallning', label: 'stödet tas inte emot enligt beställning/genomförandeplan' },
          { value: 'forandrade_forhallanden', label: 'förändrade förhållanden' },
        ] },
      ],
      notify: { onComplete: ['socialsekreterare'] },
    },
    {
      // "När en person fyller 65 år och har pågående boendestöd från socialpsykiatri övergår
      // ansvaret till omvårdnadsförvaltningen." The new case begins with a new investigation.
      id: 'overgang_65', phases: ['nytt_arende'], role: 'socialsekreterare',
      title: 'Personen fyller snart 65 år: förbered överlämning av boendestödet till omvårdnadsförvaltningen',
      // 60 days ahead is not in the routine document: a standard the municipality may change.
      opensOn: { on: 'timer', armedBy: 'beslut', at: { from: { fact: 'turns65On' }, add: { days: -60 }, kind: 'validity' } },
      completedBy: { by: 'confirmation' },
      deadline: { type: 'offset', from: { fact: 'turns65On' }, kind: 'deadline' },
      startCase: { when: { fact: 'turns65On', exists: true }, routineId: 'boendestod-lov', phase: 'overgang_65', facts: ['provider', 'turns65On'] },
      closeCase: { when: { fact: 'turns65On', exists: true }, reason: 'Ansvaret övergår till omvårdnadsförvaltningen vid 65 år' },
    },
  ],
  closing: { by: ['socialsekreterare'], notify: [], mail: [{ to: 'leverantor', template: 'avslut_boendestod' }] },
};
