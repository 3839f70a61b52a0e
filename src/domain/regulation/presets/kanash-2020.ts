import type { Regulation } from '../schema.js';

/**
 * Положение об организации работы администрации города Канаш Чувашской Республики с сообщениями,
 * опубликованными в открытых источниках (постановление администрации г. Канаш от 31.08.2020 № 610).
 * Clause references «К<n>» are the points of that Положение. Every window counts working time
 * (design.md §4: short windows «в течение 30 минут» count working time too).
 */
export const kanash2020 = {
  id: 'kanash-2020',
  title: {
    ru: 'Канаш, 2020: Положение о работе с сообщениями из открытых источников',
    en: 'Kanash, 2020: regulation on messages from open sources',
  },
  source: 'Постановление администрации города Канаш Чувашской Республики от 31.08.2020 № 610',
  region: 'RU-CU', // Чувашская Республика: 24 June (День республики) is a day off
  roleTitles: {
    // К6: the head of the informatization department detects, routes and approves — «куратор».
    administrator: { ru: 'куратор (начальник отдела информатизации)', en: 'curator (head of the IT department)' },
    // К3: coordination by the managing director — head of the organizational-control and HR department.
    coordinator: {
      ru: 'управляющий делами — начальник отдела организационно-контрольной и кадровой работы',
      en: 'chief of staff — head of the organizational control and HR department',
    },
    // К11: «либо с курирующим заместителем главы администрации» — agrees drafts of the units he supervises.
    deputy: { ru: 'курирующий заместитель главы администрации', en: 'supervising deputy head of the administration' },
    // К7, К11: the head of the structural unit names executors and agrees drafts.
    department_head: { ru: 'руководитель структурного подразделения', en: 'head of the structural unit' },
    // К7: «исполнитель».
    executor: { ru: 'исполнитель', en: 'executor' },
    // Signatory of the постановление: глава администрации города.
    head: { ru: 'глава администрации города', en: 'head of the city administration' },
  },
  importance: {
    levels: [
      {
        id: 'normal',
        title: { ru: 'обычная', en: 'normal' },
        // К10: the draft is prepared and the answer published within 8 working hours of detection by the curator.
        answer: { duration: { amount: 8, unit: 'hours', basis: 'working' }, clause: 'К10' },
        // К8 sets a category of importance but the Положение gives no shorter term and no push to the head.
        urgent: false,
      },
    ],
    default: 'normal', // К10: the only term of the Положение
  },
  windows: {
    // К8: the curator routes «оперативно» — no number; the timeline assumes routing at detection.
    routing: null,
    // К9: the executor returns a message outside his unit's competence within 30 minutes.
    executorReturn: { duration: { amount: 30, unit: 'minutes', basis: 'working' }, clause: 'К9' },
    // К9: the curator names a new executor within 15 minutes.
    reassign: { duration: { amount: 15, unit: 'minutes', basis: 'working' }, clause: 'К9' },
    // К11: the draft reaches the curator no later than 3 working hours before the К10 deadline.
    draftLeadTime: { duration: { amount: 3, unit: 'hours', basis: 'working' }, clause: 'К11' },
    // К11: the draft is agreed with the unit head or the supervising deputy head, but with no own window
    // (see rules.draftAgreedWithDepartmentHead).
    departmentHeadApproval: null,
    // К12: the curator approves or returns the draft within 1 working hour of receiving it.
    approval: { duration: { amount: 1, unit: 'hours', basis: 'working' }, clause: 'К12' },
    // К13: a returned draft is reworked and resubmitted within 1 working hour.
    rework: { duration: { amount: 1, unit: 'hours', basis: 'working' }, clause: 'К13' },
    // К14: the approved answer is published by the executor within 30 minutes of approval.
    publish: { duration: { amount: 30, unit: 'minutes', basis: 'working' }, clause: 'К14' },
    // К16: each co-executor sends his part within 2 working hours of receiving the message.
    coExecutorPart: { duration: { amount: 2, unit: 'hours', basis: 'working' }, clause: 'К16' },
    // К15: the final draft no later than 7 working days after the intermediate answer.
    finalAfterIntermediate: { duration: { amount: 7, unit: 'days', basis: 'working' }, clause: 'К15' },
    // Not provided for by the Положение.
    maxExtension: null,
  },
  rules: {
    publisher: 'executor', // К14: «размещается исполнителем»
    acknowledgeAuthor: false, // not provided for (cf. А7.1)
    notifyNotCompetent: false, // not provided for (К9 only returns the message inside the administration)
    intermediateStatesTerm: false, // К15 fixes the term (7 working days) instead
    notifyExtension: false, // no extension in the Положение
    urgentPushToHead: false, // not provided for
    draftAgreedWithDepartmentHead: true, // К11
    bansAllowed: false, // not provided for
    repeatNeedsMeasures: true, // К17: the answer to a repeat reports measures taken or progress
  },
  // К19: messages not processed and not answered.
  rejectionReasons: [
    { id: 'harm_intent', title: { ru: 'сведения о намерении причинить вред другому лицу', en: 'intent to harm another person' }, clause: 'К19' },
    { id: 'obscene_or_offensive', title: { ru: 'нецензурные либо оскорбительные выражения', en: 'obscene or offensive language' }, clause: 'К19' },
    {
      id: 'threats',
      title: { ru: 'угрозы жизни, здоровью и имуществу должностного лица и членов его семьи', en: "threats to an official's or his family's life, health or property" },
      clause: 'К19',
    },
  ],
  banReasons: [], // blocking authors is not provided for
  recipients: {
    monthlySummary: ['coordinator'], // К22: the curator sends the monthly summary to the managing director
    violations: ['coordinator'], // К21: shortcomings go to the managing director
    urgent: ['coordinator'], // not provided for; the coordinator (К3) as the nearest responsible person
  },
  clauses: {
    scope: 'К1',
    federalLawNotApplied: 'К2',
    coordinator: 'К3',
    networks: 'К4',
    accounts: 'К5',
    administrator: 'К6',
    executor: 'К7',
    routing: 'К8',
    executorReturn: 'К9',
    reassign: 'К9',
    answer: 'К10',
    draftLeadTime: 'К11',
    draftAgreedWithDepartmentHead: 'К11',
    approval: 'К12',
    rework: 'К13',
    publish: 'К14',
    finalAfterIntermediate: 'К15',
    coExecutors: 'К16',
    repeat: 'К17',
    answerFormat: 'К18',
    rejection: 'К19',
    executorResponsibility: 'К20',
    violations: 'К21',
    monthlySummary: 'К22',
  },
} satisfies Regulation;
