import type { Regulation } from '../schema.js';

/**
 * Регламент организации работы Администрации МР «Ахтынский район» с сообщениями из открытых источников
 * (распоряжение главы МР «Ахтынский район» от 04.08.2021 № 20). Clause references «А<n>» are the points of
 * that Регламент. Hours and minutes count working time (design.md §4); the 30-day extension (А7.9)
 * counts calendar days.
 */
export const akhty2021 = {
  id: 'akhty-2021',
  title: {
    ru: 'Ахтынский район, 2021: Регламент работы с сообщениями из открытых источников',
    en: 'Akhty district, 2021: regulation on messages from open sources',
  },
  source: 'Распоряжение главы МР «Ахтынский район» Республики Дагестан от 04.08.2021 № 20',
  region: 'RU-DA', // Республика Дагестан: Ураза-байрам, Курбан-байрам and the republic's own days off
  roleTitles: {
    // А6.2: detects, acknowledges, routes, approves and publishes.
    administrator: { ru: 'администратор', en: 'administrator' },
    // А3, А6.1: the deputy head who organizes the work — «куратор».
    coordinator: { ru: 'куратор (заместитель главы)', en: 'curator (deputy head)' },
    // А13: heads of structural and sectoral units are responsible for the answers.
    department_head: { ru: 'руководитель подразделения', en: 'head of the unit' },
    // А15: shortcomings are reported to the first deputies and the deputies supervising the units concerned.
    deputy: { ru: 'заместитель главы администрации', en: 'deputy head of the administration' },
    // А6.3: «исполнитель».
    executor: { ru: 'исполнитель', en: 'executor' },
    // А17: Глава МР «Ахтынский район».
    head: { ru: 'глава района', en: 'head of the district' },
  },
  importance: {
    levels: [
      {
        id: 'urgent',
        title: { ru: 'срочно', en: 'urgent' },
        // А7.3: an answer marked «срочно» is prepared and published within three working hours.
        answer: { duration: { amount: 3, unit: 'hours', basis: 'working' }, clause: 'А7.3' },
        // А7.1 «в сокращенный срок»; pushed at once and reminded outside working hours.
        urgent: true,
      },
      {
        id: 'operative',
        title: { ru: 'оперативно', en: 'operative' },
        // А7.3: marked «оперативно» — within two working days.
        answer: { duration: { amount: 2, unit: 'days', basis: 'working' }, clause: 'А7.3' },
        urgent: false,
      },
    ],
    // А7.1: the administrator may decide on a shortened term, so «оперативно» is the ordinary level.
    default: 'operative',
  },
  windows: {
    // А7.1: routed to the competent units within 30 minutes.
    routing: { duration: { amount: 30, unit: 'minutes', basis: 'working' }, clause: 'А7.1' },
    // А7.2: the executor returns a message outside his competence within 30 minutes.
    executorReturn: { duration: { amount: 30, unit: 'minutes', basis: 'working' }, clause: 'А7.2' },
    // Not set by the Регламент (only К9 has 15 minutes).
    reassign: null,
    // А7.4: the draft reaches the administrator no later than 1 hour before the А7.3 deadline.
    draftLeadTime: { duration: { amount: 1, unit: 'hours', basis: 'working' }, clause: 'А7.4' },
    // No department-head approval step.
    departmentHeadApproval: null,
    // А7.5: the administrator approves or returns within 30 minutes of receiving the draft.
    approval: { duration: { amount: 30, unit: 'minutes', basis: 'working' }, clause: 'А7.5' },
    // А7.6: a returned draft is reworked and resubmitted within 1 hour of receipt.
    rework: { duration: { amount: 1, unit: 'hours', basis: 'working' }, clause: 'А7.6' },
    // А7.7: the approved answer is published within 30 minutes of approval.
    publish: { duration: { amount: 30, unit: 'minutes', basis: 'working' }, clause: 'А7.7' },
    // А7.10: each co-executor sends his part within 2 hours of receiving the message.
    coExecutorPart: { duration: { amount: 2, unit: 'hours', basis: 'working' }, clause: 'А7.10' },
    // А7.8: the intermediate answer states the term of the final one — no fixed window.
    finalAfterIntermediate: null,
    // А7.9: the term may be extended by no more than 30 days (calendar days: the text says «дней»).
    maxExtension: { duration: { amount: 30, unit: 'days', basis: 'calendar' }, clause: 'А7.9' },
  },
  rules: {
    publisher: 'administrator', // А6.2, А7.7: published through the official page by the administrator
    acknowledgeAuthor: true, // А7.1: the author is told the message was accepted
    notifyNotCompetent: true, // А7.12: the author is told which body is responsible
    intermediateStatesTerm: true, // А7.8
    notifyExtension: true, // А7.9
    urgentPushToHead: true, // А17: accidents, disasters, emergencies — reported to the head at once
    draftAgreedWithDepartmentHead: false, // no such step
    bansAllowed: true, // А10; А10.1: the term of a block is set by the administrator
    repeatNeedsMeasures: true, // А7.11
  },
  // А9: messages not accepted.
  rejectionReasons: [
    { id: 'incorrect_content', title: { ru: 'некорректное содержание или невозможно определить содержание', en: 'incorrect or undeterminable content' }, clause: 'А9' },
    { id: 'harm_intent', title: { ru: 'сведения о намерении причинить вред другому лицу', en: 'intent to harm another person' }, clause: 'А9' },
    { id: 'obscene_or_offensive', title: { ru: 'нецензурные либо оскорбительные выражения', en: 'obscene or offensive language' }, clause: 'А9' },
    {
      id: 'threats',
      title: { ru: 'угрозы жизни, здоровью и имуществу должностного лица и членов его семьи', en: "threats to an official's or his family's life, health or property" },
      clause: 'А9',
    },
  ],
  // А10: blocking is allowed for these; VK groups.ban reason codes: 1 spam, 2 verbal abuse, 4 irrelevant, 0 other.
  banReasons: [
    { id: 'insults', title: { ru: 'оскорбления сотрудников администрации или пользователей', en: 'insulting staff or users' }, clause: 'А10', vkReason: 2 },
    { id: 'illegal_calls', title: { ru: 'призывы к незаконным действиям', en: 'calls for illegal actions' }, clause: 'А10', vkReason: 0 },
    { id: 'advertising', title: { ru: 'реклама посторонних услуг и продукции', en: 'advertising of unrelated goods and services' }, clause: 'А10', vkReason: 1 },
    { id: 'off_topic', title: { ru: 'комментарии на темы, не относящиеся к профилю деятельности администрации', en: 'comments unrelated to the administration' }, clause: 'А10', vkReason: 4 },
    { id: 'spam', title: { ru: 'спам (любая посторонняя информация)', en: 'spam (any unrelated information)' }, clause: 'А10', vkReason: 1 },
  ],
  recipients: {
    monthlySummary: ['coordinator'], // А16: reported to the supervising deputy head
    violations: ['coordinator', 'deputy'], // А15: to the (first) deputies by supervised questions
    urgent: ['head'], // А17: reported to the head of the district at once
  },
  clauses: {
    scope: 'А1',
    federalLawNotApplied: 'А2',
    coordinator: 'А3',
    networks: 'А4',
    accounts: 'А5',
    curator: 'А6.1',
    administrator: 'А6.2',
    executor: 'А6.3',
    acknowledgeAuthor: 'А7.1',
    routing: 'А7.1',
    executorReturn: 'А7.2',
    answer: 'А7.3',
    draftLeadTime: 'А7.4',
    approval: 'А7.5',
    rework: 'А7.6',
    publish: 'А7.7',
    intermediateStatesTerm: 'А7.8',
    maxExtension: 'А7.9',
    notifyExtension: 'А7.9',
    coExecutors: 'А7.10',
    repeat: 'А7.11',
    notifyNotCompetent: 'А7.12',
    answerFormat: 'А8',
    rejection: 'А9',
    bans: 'А10',
    banTerm: 'А10.1',
    executorResponsibility: 'А11',
    administratorResponsibility: 'А12',
    headsResponsibility: 'А13',
    noPersonalPosition: 'А14',
    violations: 'А15',
    monthlySummary: 'А16',
    urgentPushToHead: 'А17',
  },
} satisfies Regulation;
