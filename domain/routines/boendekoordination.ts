import type { RoutineDefinition } from './types.ts';

/**
 * Routine 5: Ystads kommun, "Boendekoordination: interna och externa placeringar" (2024-01-01).
 * "Myndigheten" is the socialsekreterare role. Three processes: internal placement from a vacancy
 * to move-in, external placement, and change of home through a separate waiting list. The queue
 * and vacancy registry themselves live elsewhere; here are the steps.
 */

const ACCEPTED = { fact: 'answer', equals: 'accepted' } as const;
const DECLINED = { fact: 'answer', equals: 'declined' } as const;

export const boendekoordination: RoutineDefinition = {
  id: 'boendekoordination',
  version: 1,
  title: 'Boendekoordination (Ystad)',
  source: 'Ystads kommun: Boendekoordination, interna och externa placeringar (gäller fr.o.m. 2024-01-01)',
  params: {
    // "två gånger per år": every 6 months from move-in; opened 30 days ahead (standard, not in the routine).
    uppfoljningMonths: 6,
    uppfoljningLeadDays: 30,
    // Not in the routine document ("snarast möjligt"): configurable standard.
    svarWorkingDays: 5,
    auMeetings: [],
  },
  startableBy: ['socialsekreterare', 'enhetschef_utforare'],
  phases: [
    { id: 'intern', title: 'Intern placeringsprocess' },
    { id: 'extern', title: 'Extern placeringsprocess' },
    { id: 'byte', title: 'Byte av boende' },
  ],
  steps: [
    // — 2. Intern placeringsprocess —
    {
      id: 'registrera_ledig', phases: ['intern'], role: 'enhetschef_utforare',
      title: 'Registrera den lediga lägenheten i Lifecares boendemodul och informera hyresvärden',
      opensOn: { on: 'phase_start' }, completedBy: { by: 'confirmation' },
      // "registrerar ansvarig enhetschef detta omedelbart"
      deadline: { type: 'offset', from: 'opened', kind: 'deadline' },
      captures: [
        { name: 'vacantFrom', kind: 'date', label: 'Ledig från', required: true },
        { name: 'landlordInformed', kind: 'boolean', label: 'Samhällsbyggnadsförvaltningen/hyresvärden informerad', required: true },
      ],
      rules: [{ rule: 'condition', when: { fact: 'landlordInformed', equals: true }, message: 'Samhällsbyggnadsförvaltningen eller hyresvärden ska informeras om den lediga lägenheten.' }],
      notify: { onComplete: ['socialsekreterare'] },
    },
    {
      id: 'reservation', phases: ['intern'], role: 'socialsekreterare',
      title: 'Anvisa lägenheten till en person i kön genom att reservera den i Lifecares boendemodul och informera enhetschefen',
      opensOn: { on: 'steps_done', steps: ['registrera_ledig'] }, completedBy: { by: 'confirmation' },
      notify: { onComplete: ['enhetschef_utforare'] },
    },
    {
      id: 'erbjudande', phases: ['intern'], role: 'enhetschef_utforare',
      title: 'Kontakta personen, erbjud lägenheten, föreslå visning och begär svar snarast',
      opensOn: { on: 'steps_done', steps: ['reservation'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'viewingOn', kind: 'date', label: 'Visning', required: false }],
      deadline: { type: 'offset', from: 'opened', add: { workingDays: { param: 'svarWorkingDays' } }, kind: 'deadline' },
    },
    {
      id: 'svar', phases: ['intern'], role: 'enhetschef_utforare',
      title: 'Registrera svaret på erbjudandet i Lifecares boendemodul (”Boka” eller ”Tacka nej”)',
      opensOn: { on: 'steps_done', steps: ['erbjudande'] }, completedBy: { by: 'confirmation' },
      captures: [
        { name: 'answer', kind: 'choice', label: 'Svar', required: true, options: [{ value: 'accepted', label: 'tackat ja' }, { value: 'declined', label: 'tackat nej' }] },
        { name: 'declineReason', kind: 'text', label: 'Uppgiven orsak', required: false, requiredWhen: DECLINED, maxLength: 500 },
        { name: 'staysInQueue', kind: 'boolean', label: '”Vill stå kvar i kö” markerad', required: false, requiredWhen: DECLINED },
        { name: 'plannedMoveIn', kind: 'date', label: 'Planerat inflyttningsdatum', required: false, requiredWhen: ACCEPTED },
      ],
      rules: [{
        // "Rutan ”vill stå kvar i kö” ska alltid vara markerad, eftersom Myndigheten ansvarar för avslut av beslut."
        rule: 'condition', when: { any: [ACCEPTED, { fact: 'staysInQueue', equals: true }] },
        message: 'Vid ett avböjande ska ”vill stå kvar i kö” alltid vara markerad: Myndigheten ansvarar för avslut av beslut.',
      }],
      notify: { onComplete: ['socialsekreterare'] },
      // A declined offer: the vacancy goes back to Myndigheten for a new reservation.
      restart: { when: DECLINED, steps: ['reservation', 'erbjudande', 'svar'] },
    },
    {
      id: 'bestallningar', phases: ['intern'], role: 'socialsekreterare', when: ACCEPTED,
      title: 'Skicka beställningar till berörd enhet och informera hemtjänst, dagverksamhet, växelboende, korttidsboende och/eller Hälsa och sjukvård',
      opensOn: { on: 'steps_done', steps: ['svar'] }, completedBy: { by: 'confirmation' },
      mailOnComplete: [{ to: 'hso', template: 'inflyttning_planerad', fields: ['plannedMoveIn'] }],
      notify: { onComplete: ['hso', 'enhetschef_utforare'] },
    },
    {
      id: 'inflyttning', phases: ['intern'], role: 'enhetschef_utforare',
      title: 'Verkställ beställningarna från den dag personen faktiskt flyttade in',
      opensOn: { on: 'steps_done', steps: ['bestallningar'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'moveInDate', kind: 'date', label: 'Faktiskt inflyttningsdatum', required: true }],
      notify: { onComplete: ['socialsekreterare', 'hso', 'avgiftshandlaggare'] },
    },
    {
      id: 'avsluta_ordinart_myndighet', phases: ['intern'], role: 'socialsekreterare',
      title: 'Avsluta beställningar och uppdrag relaterade till ordinärt boende (Myndigheten)',
      opensOn: { on: 'steps_done', steps: ['inflyttning'] }, completedBy: { by: 'confirmation' },
    },
    {
      id: 'avsluta_ordinart_hso', phases: ['intern'], role: 'hso',
      title: 'Avsluta beställningar och uppdrag relaterade till ordinärt boende (Hälsa och sjukvård)',
      opensOn: { on: 'steps_done', steps: ['inflyttning'] }, completedBy: { by: 'confirmation' },
    },
    {
      id: 'inflyttning_bekraftad', phases: ['intern'], role: 'socialsekreterare',
      title: 'Bekräftelse till alla berörda att inflyttningen har ägt rum',
      opensOn: { on: 'steps_done', steps: ['avsluta_ordinart_myndighet', 'avsluta_ordinart_hso'] }, completedBy: { by: 'system' },
      notify: { onComplete: ['enhetschef_utforare', 'socialsekreterare', 'hso', 'avgiftshandlaggare'] },
      closeCase: { when: { stepDone: 'inflyttning_bekraftad' }, reason: 'Inflyttning genomförd' },
    },
    // — 3. Extern placeringsprocess —
    {
      id: 'sok_lagenhet', phases: ['extern'], role: 'socialsekreterare',
      title: 'Sök en lämplig lägenhet i Skånes kommuners databas för upphandlade företag',
      opensOn: { on: 'phase_start' }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'placementType', kind: 'choice', label: 'Placering', required: true, options: [{ value: 'korttid', label: 'korttids' }, { value: 'permanent', label: 'permanent' }] }],
    },
    {
      id: 'tjansteskrivelse', phases: ['extern'], role: 'socialsekreterare',
      title: 'Upprätta tjänsteskrivelse i Evolution och föredra ärendet för socialnämndens arbetsutskott',
      opensOn: { on: 'steps_done', steps: ['sok_lagenhet'] }, completedBy: { by: 'confirmation' },
      deadline: { type: 'au_submission', meetingsParam: 'auMeetings' },
    },
    {
      id: 'au_beslut', phases: ['extern'], role: 'socialsekreterare',
      title: 'Registrera arbetsutskottets beslut',
      opensOn: { on: 'steps_done', steps: ['tjansteskrivelse'] }, completedBy: { by: 'confirmation' },
      captures: [
        { name: 'auDecisionOn', kind: 'document_date', label: 'Sammanträdesdatum', required: true },
        { name: 'auApproved', kind: 'boolean', label: 'Arbetsutskottet beviljade placeringen', required: true },
      ],
      closeCase: { when: { fact: 'auApproved', equals: false }, reason: 'Arbetsutskottet beviljade inte placeringen' },
    },
    {
      id: 'registrera_lagenhet', phases: ['extern'], role: 'socialsekreterare',
      title: 'Låt systemansvarig registrera den nya lägenheten i Lifecares boendemodul',
      opensOn: { on: 'steps_done', steps: ['au_beslut'] }, completedBy: { by: 'confirmation' },
    },
    {
      id: 'verkstallighet_extern', phases: ['extern'], role: 'socialsekreterare',
      title: 'Verkställ boendebeslutet på ”Myndighet Extern Placering SoL/LSS” från dagen personen faktiskt flyttade in',
      opensOn: { on: 'steps_done', steps: ['registrera_lagenhet'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'moveInDate', kind: 'date', label: 'Faktiskt inflyttningsdatum', required: true }],
    },
    {
      // "följer upp beslutet och placeringen två gånger per år"; "inhämtar aktuell genomförandeplan inför varje uppföljning"
      id: 'uppfoljning', phases: ['extern'], role: 'socialsekreterare',
      title: 'Följ upp beslutet och placeringen med berörd verksamhetschef; hämta in aktuell genomförandeplan och registrera den i Lifecare utförare',
      opensOn: { on: 'steps_done', steps: ['verkstallighet_extern'] }, completedBy: { by: 'confirmation' },
      recurrence: { every: 'months', months: { param: 'uppfoljningMonths' }, anchor: { fact: 'moveInDate' }, leadDays: { param: 'uppfoljningLeadDays' } },
      deadline: { type: 'occurrence' },
      captures: [
        { name: 'followUpOn', kind: 'document_date', label: 'Uppföljningsdatum', required: true },
        { name: 'genomforandeplanRegistered', kind: 'boolean', label: 'Aktuell genomförandeplan inhämtad och registrerad', required: true },
      ],
      rules: [{ rule: 'condition', when: { fact: 'genomforandeplanRegistered', equals: true }, message: 'Aktuell genomförandeplan ska hämtas in och registreras i Lifecare utförare inför varje uppföljning.' }],
      notify: { onOpen: ['verksamhetschef'], onComplete: ['verksamhetschef'] },
    },
    {
      // "Samtliga kontakter med den enskilde och den externa verksamheten dokumenteras"
      id: 'kontaktlogg', phases: ['extern'], role: 'socialsekreterare',
      title: 'Dokumentera kontakt med den enskilde eller den externa verksamheten i Lifecare handläggare',
      opensOn: { on: 'action' }, completedBy: { by: 'confirmation' },
      captures: [
        { name: 'contactOn', kind: 'document_date', label: 'Datum', required: true },
        { name: 'contactWith', kind: 'choice', label: 'Kontakt med', required: true, options: [{ value: 'enskilde', label: 'den enskilde' }, { value: 'verksamheten', label: 'den externa verksamheten' }] },
      ],
    },
    // — 4. Byte av boende —
    {
      id: 'vantelista', phases: ['byte'], role: 'socialsekreterare',
      title: 'Registrera behovet eller önskemålet om flytt i den separata väntelistan',
      opensOn: { on: 'phase_start' }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'reportedOn', kind: 'document_date', label: 'Anmält datum', required: true }],
    },
    {
      id: 'bedomning_inriktning', phases: ['byte'], role: 'socialsekreterare',
      title: 'Bedöm om behov av en annan inriktning föreligger',
      opensOn: { on: 'steps_done', steps: ['vantelista'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'newInvestigation', kind: 'boolean', label: 'En ny utredning behöver inledas', required: true }],
    },
    {
      id: 'ny_utredning', phases: ['byte'], role: 'socialsekreterare', when: { fact: 'newInvestigation', equals: true },
      title: 'Inled och avsluta ny utredning',
      opensOn: { on: 'steps_done', steps: ['bedomning_inriktning'] }, completedBy: { by: 'confirmation' },
    },
    {
      id: 'erbjud_fran_vantelista', phases: ['byte'], role: 'socialsekreterare',
      title: 'Avgör när personen ska erbjudas lägenhet och påbörja den interna eller externa placeringsprocessen',
      opensOn: { on: 'steps_done', steps: ['bedomning_inriktning', 'ny_utredning'] }, completedBy: { by: 'confirmation' },
      captures: [{ name: 'process', kind: 'choice', label: 'Process', required: true, options: [{ value: 'intern', label: 'intern placering' }, { value: 'extern', label: 'extern placering' }] }],
      startCase: { when: { fact: 'process', exists: true }, routineId: 'boendekoordination', phase: { fact: 'process' } },
      closeCase: { when: { fact: 'process', exists: true }, reason: 'Placeringsprocessen påbörjad' },
    },
  ],
  closing: { by: ['socialsekreterare'], notify: ['enhetschef_utforare'] },
};
