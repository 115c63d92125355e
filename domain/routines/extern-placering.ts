import type { DateRule, RoutineDefinition } from './types.ts';

/**
 * Routine 2: Östhammars kommun, "Externa placeringar inom biståndsenheten" (fastställd
 * 2020-10-21). The AU calendar is a param the municipality keeps up to date.
 */

const workingDays = (param: string): DateRule => ({ from: 'opened', add: { workingDays: { param } }, kind: 'deadline' });
const OWN_REGIME = { fact: 'regime', equals: 'egen_regi' } as const;

export const externPlacering: RoutineDefinition = {
  id: 'extern-placering',
  version: 1,
  title: 'Extern placering (Östhammar)',
  source: 'Östhammars kommun: Externa placeringar inom biståndsenheten (fastställd 2020-10-21)',
  params: {
    // "genomförandeplan inkommer efter 14 dagar … förlängd tidsfrist på upp till totalt en månad"
    genomforandeplanDays: 14,
    genomforandeplanMaxMonths: 1,
    // "månadsrapport inkommer senast 10:e varje månad"
    manadsrapportDueDay: 10,
    // AU:s schema för sammanträden: { date, submissionDeadline }, kept by the municipality.
    auMeetings: [],
    // Not in the routine document: configurable standard times.
    beslutRegiWorkingDays: 10,
    matchningDays: 30,
    informationWorkingDays: 3,
    registreringWorkingDays: 5,
  },
  startableBy: ['socialsekreterare'],
  phases: [{ id: 'placering', title: 'Extern placering' }],
  steps: [
    {
      id: 'underlag', phases: ['placering'], role: 'socialsekreterare',
      title: 'Lämna ärende och underlag (bilaga 1) till närmaste chef',
      opensOn: { on: 'phase_start' }, completedBy: { by: 'confirmation' },
      deadline: { type: 'offset', ...workingDays('informationWorkingDays') },
    },
    {
      id: 'beslut_regi', phases: ['placering'], role: 'verksamhetschef',
      title: 'Avgör i samråd med verksamhetschef produktion: verkställa i egen regi eller lämna till boendesamordnare',
      opensOn: { on: 'steps_done', steps: ['underlag'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'regime', kind: 'choice', label: 'Beslut', required: true, options: [
        { value: 'egen_regi', label: 'egen regi' }, { value: 'extern', label: 'extern placering' },
      ] }],
      deadline: { type: 'offset', ...workingDays('beslutRegiWorkingDays') },
      notify: { onComplete: ['socialsekreterare'] },
      closeCase: { when: OWN_REGIME, reason: 'Verkställs i egen regi' },
    },
    {
      id: 'matchning', phases: ['placering'], role: 'boendesamordnare',
      title: 'Ta fram förslag på matchning och pris och lämna till biståndshandläggaren',
      opensOn: { on: 'steps_done', steps: ['beslut_regi'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'proposedDailyPrice', kind: 'number', label: 'Föreslaget dygnspris', required: true, min: 0 }],
      deadline: { type: 'offset', from: 'opened', add: { days: { param: 'matchningDays' } }, kind: 'deadline' },
      notify: { onComplete: ['socialsekreterare'] },
    },
    {
      id: 'besok', phases: ['placering'], role: { anyOf: ['socialsekreterare', 'boendesamordnare'] },
      title: 'Besök boendet tillsammans med brukaren (vid behov först utan brukaren)',
      opensOn: { on: 'steps_done', steps: ['matchning'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'visitedOn', kind: 'document_date', label: 'Besöksdatum', required: true }],
    },
    {
      id: 'tjansteutlatande', phases: ['placering'], role: 'socialsekreterare',
      title: 'Skriv tjänsteutlåtande för inlämning till AU',
      opensOn: { on: 'steps_done', steps: ['besok'] }, completedBy: { by: 'confirmation' },
      deadline: { type: 'au_submission', meetingsParam: 'auMeetings' },
    },
    {
      id: 'au_beslut', phases: ['placering'], role: 'socialsekreterare',
      title: 'Föredra ärendet på AU tillsammans med chef och registrera AU:s beslut',
      opensOn: { on: 'steps_done', steps: ['tjansteutlatande'] }, completedBy: { by: 'confirmation' },
      captures: [
        { name: 'auDecisionOn', kind: 'document_date', label: 'AU-sammanträdets datum', required: true },
        { name: 'auApproved', kind: 'boolean', label: 'AU beviljade placeringen', required: true },
      ],
      closeCase: { when: { fact: 'auApproved', equals: false }, reason: 'AU beviljade inte placeringen' },
    },
    {
      id: 'information_extern_placering', phases: ['placering'], role: 'socialsekreterare',
      title: 'Fyll i ”information vid extern placering” (bilaga 2) och lämna till boendesamordnare, avgiftshandläggare och ekonomicontroller',
      opensOn: { on: 'steps_done', steps: ['au_beslut'] }, completedBy: { by: 'confirmation' },
      deadline: { type: 'offset', ...workingDays('informationWorkingDays') },
      notify: { onComplete: ['boendesamordnare', 'avgiftshandlaggare', 'ekonomicontroller'] },
    },
    {
      id: 'registrering', phases: ['placering'], role: 'boendesamordnare',
      title: 'Lägg upp plats, placera och skicka beställning i verksamhetssystemet',
      opensOn: { on: 'steps_done', steps: ['information_extern_placering'] }, completedBy: { by: 'confirmation' },
      deadline: { type: 'offset', ...workingDays('registreringWorkingDays') },
    },
    {
      id: 'avtal', phases: ['placering'], role: 'boendesamordnare',
      title: 'Skriv avtal och skicka med underlag (uppdrag till utförare) till den externa utföraren',
      opensOn: { on: 'steps_done', steps: ['registrering'] }, completedBy: { by: 'confirmation' },
      deadline: { type: 'offset', ...workingDays('registreringWorkingDays') },
      mailOnComplete: [{ to: 'leverantor', template: 'avtal_och_uppdrag' }],
    },
    {
      // "bevakar att personen kommer på plats och verkställer sedan beslutet"
      id: 'verkstallighet', phases: ['placering'], role: 'socialsekreterare',
      title: 'Bevaka att personen kommer på plats och verkställ beslutet i verksamhetssystemet',
      opensOn: { on: 'steps_done', steps: ['avtal'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'placementStart', kind: 'date', label: 'Placeringens start (ankomst)', required: true }],
    },
    {
      id: 'genomforandeplan', phases: ['placering'], role: 'socialsekreterare',
      title: 'Bevaka att genomförandeplan inkommer',
      opensOn: { on: 'steps_done', steps: ['verkstallighet'] },
      completedBy: { by: 'provider_reply', kind: 'genomforandeplan' },
      captures: [{ name: 'date', kind: 'date', label: 'Genomförandeplanen inkom', required: false, fact: 'genomforandeplanReceivedOn' }],
      deadline: { type: 'offset', from: { fact: 'placementStart' }, add: { days: { param: 'genomforandeplanDays' } }, kind: 'deadline' },
      extendable: { by: 'socialsekreterare', maxTotal: { from: { fact: 'placementStart' }, add: { months: { param: 'genomforandeplanMaxMonths' } }, kind: 'deadline' } },
    },
    {
      id: 'manadsrapport', phases: ['placering'], role: 'socialsekreterare',
      title: 'Bevaka att månadsrapport inkommer',
      opensOn: { on: 'steps_done', steps: ['verkstallighet'] },
      completedBy: { by: 'provider_reply', kind: 'manadsrapport' },
      captures: [{ name: 'date', kind: 'date', label: 'Månadsrapporten inkom', required: false, fact: 'lastMonthlyReportOn' }],
      recurrence: { every: 'month', anchor: { fact: 'placementStart' }, dueDay: { param: 'manadsrapportDueDay' } },
      deadline: { type: 'occurrence' },
      // "Avvikelse från detta ska meddelas samordnare för LSS/SoL."
      notify: { onLate: ['samordnare_lss_sol'] },
    },
    {
      // Steps 10–11: deviations and invoice disputes are decided with samordnare LSS/SoL.
      id: 'avvikelse', phases: ['placering'], role: 'socialsekreterare',
      title: 'Meddela avvikelse under placeringen till samordnare LSS/SoL',
      opensOn: { on: 'action', availableAfter: 'verkstallighet' }, completedBy: { by: 'confirmation' },
      captures: [
        { name: 'deviationKind', kind: 'choice', label: 'Slag av avvikelse', required: true, options: [
          { value: 'manadsrapport', label: 'månadsrapport saknas eller är sen' },
          { value: 'uppdrag', label: 'uppdraget följs inte enligt avtal' },
          { value: 'ovrigt', label: 'övrig avvikelse' },
        ] },
        { name: 'disputeInvoice', kind: 'boolean', label: 'Faktura bör bestridas', required: false },
      ],
      notify: { onComplete: ['samordnare_lss_sol'] },
    },
    {
      id: 'avgifter', phases: ['placering'], role: 'avgiftshandlaggare',
      title: 'Beräkna och debitera avgifter till brukaren',
      opensOn: { on: 'steps_done', steps: ['verkstallighet'] }, completedBy: { by: 'confirmation' },
      deadline: { type: 'offset', from: 'opened', add: { days: 30 }, kind: 'deadline' },
    },
  ],
  // "meddelar vid avslut av placering, orsak och datum, till boendesamordnare, avgiftshandläggare och ekonomicontroller"
  closing: { by: ['socialsekreterare'], notify: ['boendesamordnare', 'avgiftshandlaggare', 'ekonomicontroller'] },
};
