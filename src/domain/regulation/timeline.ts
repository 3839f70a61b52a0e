import type { DateTime } from 'luxon';
import type { Duration } from '../time/duration.js';
import type { WorkingTime } from '../time/types.js';
import type { ImportanceLevel, Regulation, RegulationWindow, Role } from './schema.js';

/**
 * Every deadline of one case, computed from the moment of detection, for `otklik deadlines` and for
 * checking the presets against the texts. Pure: the working time is injected.
 *
 * Assumptions (docs/working-time.md, "Deadlines of a case"):
 * - each step happens at the LAST allowed moment, so each later deadline is the latest it can be;
 * - when routing has no number (Канаш К8 «оперативно») the case counts as routed at detection;
 * - the draft deadline counts back from the answer deadline (К11, А7.4), the approval counts from the
 *   draft deadline, publication from the approval;
 * - branches (return, co-executors, rework, intermediate answer, extension) are shown as if they happen;
 * - the final answer after an intermediate one (К15) counts from the answer deadline (the intermediate
 *   answer published at the last moment); the extension (А7.9) likewise.
 */

export type Branch = 'main' | 'return' | 'coexecutors' | 'rework' | 'intermediate' | 'extension' | 'urgent';

export interface TimelineStage {
  id: string;
  title: { ru: string; en: string };
  role: Role;
  roleTitle: { ru: string; en: string };
  clause: string;
  /** null: the regulation sets no term for this step. */
  at: DateTime | null;
  branch: Branch;
  note?: { ru: string; en: string };
  /** The step, done at its last allowed moment, ends after the answer deadline (never set for the intermediate and extension branches, which by design run past it). */
  afterAnswerDeadline: boolean;
}

export interface Timeline {
  regulation: string;
  importance: ImportanceLevel;
  detectedAt: DateTime;
  answerDeadline: DateTime;
  stages: TimelineStage[];
}

export type TimelineWorkingTime = WorkingTime & { subtract(from: DateTime, d: Duration): DateTime };

export class UnknownImportanceError extends Error {}

export function regulationTimeline(reg: Regulation, wt: TimelineWorkingTime, detectedAt: DateTime, importanceId?: string): Timeline {
  const id = importanceId ?? reg.importance.default;
  const level = reg.importance.levels.find((l) => l.id === id);
  if (!level) {
    throw new UnknownImportanceError(`Регламент ${reg.id} не знает важность «${id}»; доступны: ${reg.importance.levels.map((l) => l.id).join(', ')}. (Unknown importance "${id}".)`);
  }
  const t0 = detectedAt.setZone(wt.zone);
  const w = reg.windows;
  const add = (from: DateTime, win: RegulationWindow) => wt.add(from, win.duration);
  const answer = add(t0, level.answer);
  const stages: TimelineStage[] = [];
  const push = (s: Omit<TimelineStage, 'roleTitle' | 'afterAnswerDeadline'>) =>
    stages.push({
      ...s,
      roleTitle: reg.roleTitles[s.role] ?? { ru: s.role, en: s.role },
      afterAnswerDeadline: s.at !== null && s.branch !== 'intermediate' && s.branch !== 'extension' && s.at.toMillis() > answer.toMillis(),
    });
  const clause = (key: string, fallback: string) => reg.clauses[key] ?? fallback;

  push({ id: 'detected', title: { ru: 'Выявление сообщения', en: 'Message detected' }, role: 'administrator', clause: clause('routing', level.answer.clause), at: t0, branch: 'main' });

  if (reg.rules.urgentPushToHead && level.urgent) {
    push({
      id: 'headNotified',
      title: { ru: 'Незамедлительный доклад главе (ЧП, аварии, высокая активность)', en: 'Immediate report to the head (emergencies)' },
      role: 'administrator',
      clause: clause('urgentPushToHead', '—'),
      at: t0,
      branch: 'urgent',
      note: { ru: 'незамедлительно', en: 'at once' },
    });
  }

  const routedAt = w.routing ? add(t0, w.routing) : t0;
  if (reg.rules.acknowledgeAuthor) {
    push({
      id: 'acknowledged',
      title: { ru: 'Сообщить автору, что обращение принято к рассмотрению', en: 'Tell the author the message is accepted' },
      role: 'administrator',
      clause: clause('acknowledgeAuthor', '—'),
      at: routedAt,
      branch: 'main',
      note: { ru: 'до направления в подразделение', en: 'before routing' },
    });
  }
  push({
    id: 'routed',
    title: { ru: 'Направление в подразделение', en: 'Routed to a department' },
    role: 'administrator',
    clause: w.routing?.clause ?? clause('routing', '—'),
    at: w.routing ? routedAt : null,
    branch: 'main',
    ...(w.routing ? {} : { note: { ru: '«оперативно», срок в регламенте не указан; дальше считается от выявления', en: '"promptly", no number; later steps count from detection' } }),
  });

  const returnedAt = add(routedAt, w.executorReturn);
  push({
    id: 'executorReturn',
    title: { ru: 'Возврат исполнителем: не его компетенция', en: 'Executor returns the case (not competent)' },
    role: 'executor',
    clause: w.executorReturn.clause,
    at: returnedAt,
    branch: 'return',
  });
  if (w.reassign) {
    push({
      id: 'reassigned',
      title: { ru: 'Назначение нового исполнителя', en: 'New executor named' },
      role: 'administrator',
      clause: w.reassign.clause,
      at: add(returnedAt, w.reassign),
      branch: 'return',
    });
  }
  if (reg.rules.notifyNotCompetent) {
    push({
      id: 'notCompetentNotice',
      title: { ru: 'Если вопрос не в компетенции администрации — сообщить автору ответственный орган', en: 'Outside competence: tell the author the responsible body' },
      role: 'administrator',
      clause: clause('notifyNotCompetent', '—'),
      at: null,
      branch: 'return',
      note: { ru: 'срок не установлен', en: 'no term set' },
    });
  }
  push({
    id: 'coExecutorPart',
    title: { ru: 'Соисполнитель направляет свою часть', en: 'Co-executor sends his part' },
    role: 'executor',
    clause: w.coExecutorPart.clause,
    at: add(routedAt, w.coExecutorPart),
    branch: 'coexecutors',
  });

  const draftAt = wt.subtract(answer, w.draftLeadTime.duration);
  if (reg.rules.draftAgreedWithDepartmentHead) {
    push({
      id: 'draftAgreed',
      title: { ru: 'Согласование проекта с руководителем подразделения', en: 'Draft agreed with the department head' },
      role: 'department_head',
      clause: clause('draftAgreedWithDepartmentHead', w.draftLeadTime.clause),
      at: w.departmentHeadApproval ? wt.subtract(draftAt, w.departmentHeadApproval.duration) : draftAt,
      branch: 'main',
      note: { ru: 'до направления проекта администратору', en: 'before the draft goes to the administrator' },
    });
  }
  push({ id: 'draft', title: { ru: 'Проект ответа направлен на согласование', en: 'Draft sent for approval' }, role: 'executor', clause: w.draftLeadTime.clause, at: draftAt, branch: 'main' });
  const approvedAt = add(draftAt, w.approval);
  push({ id: 'approved', title: { ru: 'Согласование или возврат на доработку', en: 'Draft approved or returned' }, role: 'administrator', clause: w.approval.clause, at: approvedAt, branch: 'main' });
  const publisherRole: Role = reg.rules.publisher === 'executor' ? 'executor' : 'administrator';
  push({
    id: 'published',
    title: { ru: 'Размещение ответа', en: 'Answer published' },
    role: publisherRole,
    clause: w.publish.clause,
    at: add(approvedAt, w.publish),
    branch: 'main',
    ...(reg.rules.publisher === 'on_approval' ? { note: { ru: 'публикуется при согласовании', en: 'published on approval' } } : {}),
  });
  push({
    id: 'answerDeadline',
    title: { ru: 'Срок ответа (подготовка и размещение)', en: 'Answer deadline (prepared and published)' },
    role: publisherRole,
    clause: level.answer.clause,
    at: answer,
    branch: 'main',
  });

  const reworkedAt = add(approvedAt, w.rework);
  push({ id: 'reworked', title: { ru: 'Доработка проекта', en: 'Draft reworked' }, role: 'executor', clause: w.rework.clause, at: reworkedAt, branch: 'rework' });
  const reapprovedAt = add(reworkedAt, w.approval);
  push({ id: 'reapproved', title: { ru: 'Повторное согласование', en: 'Reworked draft approved' }, role: 'administrator', clause: w.approval.clause, at: reapprovedAt, branch: 'rework' });
  push({
    id: 'publishedAfterRework',
    title: { ru: 'Размещение ответа после доработки', en: 'Answer published after rework' },
    role: publisherRole,
    clause: w.publish.clause,
    at: add(reapprovedAt, w.publish),
    branch: 'rework',
  });

  if (w.finalAfterIntermediate) {
    push({
      id: 'finalAfterIntermediate',
      title: { ru: 'Окончательный проект ответа после промежуточного', en: 'Final draft after an intermediate answer' },
      role: 'executor',
      clause: w.finalAfterIntermediate.clause,
      at: add(answer, w.finalAfterIntermediate),
      branch: 'intermediate',
      note: { ru: 'если промежуточный ответ размещён в последний момент срока ответа', en: 'intermediate answer published at the answer deadline' },
    });
  } else if (reg.rules.intermediateStatesTerm) {
    push({
      id: 'finalAfterIntermediate',
      title: { ru: 'Окончательный ответ после промежуточного', en: 'Final answer after an intermediate one' },
      role: 'executor',
      clause: clause('intermediateStatesTerm', '—'),
      at: null,
      branch: 'intermediate',
      note: { ru: 'срок указывается в промежуточном ответе', en: 'the term stated in the intermediate answer' },
    });
  }
  if (w.maxExtension) {
    push({
      id: 'maxExtension',
      title: { ru: 'Предельный срок при продлении', en: 'Latest term when extended' },
      role: 'administrator',
      clause: w.maxExtension.clause,
      at: add(answer, w.maxExtension),
      branch: 'extension',
      ...(reg.rules.notifyExtension ? { note: { ru: 'автор уведомляется о продлении', en: 'the author is notified of the extension' } } : {}),
    });
  }
  return { regulation: reg.id, importance: level, detectedAt: t0, answerDeadline: answer, stages };
}
