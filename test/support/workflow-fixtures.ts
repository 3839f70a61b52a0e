import { DateTime } from 'luxon';
import { expect } from 'vitest';
import { manualClock } from '../../src/domain/clock.js';
import { getPreset } from '../../src/domain/regulation/load.js';
import type { Regulation } from '../../src/domain/regulation/schema.js';
import { createWorkingTime } from '../../src/domain/time/working-time.js';
import type { WorkingTime } from '../../src/domain/time/types.js';
import {
  decide,
  type Actor,
  type CaseState,
  type CaseStatus,
  type Command,
  type Decision,
  type IncomingMessage,
  type WorkflowContext,
  type WorkflowEvent,
  type Effect,
} from '../../src/domain/workflow/index.js';

export const ZONE = 'Europe/Moscow';
/** Monday 2025-03-03 10:00 Moscow: an ordinary working day. */
export const MONDAY_10 = DateTime.fromISO('2025-03-03T10:00', { zone: ZONE });

/** The n-th citizen's comment under one VK post, detected on MONDAY_10 (tests that store messages on a real file). */
export function vkWallComment(n: number, text: string): IncomingMessage {
  return {
    sourceKey: `vk:wall:-1_25_${n}`,
    kind: 'vk_comment',
    network: 'vk',
    threadKey: 'vk:wall:-1_25',
    author: { externalId: String(700 + n), name: `Житель ${n}`, profileUrl: null },
    text,
    attachments: [],
    permalink: null,
    publishedAt: null,
    detectedAt: MONDAY_10.toMillis(),
    raw: {},
  };
}

export type PresetId = 'kanash-2020' | 'akhty-2021';
export const PRESET_IDS: PresetId[] = ['kanash-2020', 'akhty-2021'];

export function regulation(id: PresetId): Regulation {
  const r = getPreset(id);
  if (!r) throw new Error(`preset ${id} missing`);
  return r;
}

let sharedWt: WorkingTime | null = null;
export function workingTime(): WorkingTime {
  sharedWt ??= createWorkingTime({ zone: ZONE, calendar: { region: null, warn: () => {} } });
  return sharedWt;
}

export function makeCtx(id: PresetId, start: DateTime = MONDAY_10) {
  const clock = manualClock(start);
  const ctx: WorkflowContext & { clock: typeof clock } = { regulation: regulation(id), workingTime: workingTime(), clock, absences: [] };
  return ctx;
}

const actor = (staffId: number | null, name: string, roles: Actor['roles'], departmentId: string | null = null): Actor => ({
  staffId,
  name,
  roles,
  departmentId,
});

/** The cast of every workflow test. Roads is the responsible department, parks the co-executor's. */
export const cast = {
  system: actor(null, 'Отклик', []),
  admin: actor(1, 'Администратор Петрова', ['administrator']),
  coordinator: actor(2, 'Куратор Агасиев', ['coordinator']),
  head: actor(3, 'Глава', ['head']),
  roadsHead: actor(10, 'Начальник дорог Иванов', ['department_head'], 'roads'),
  roadsExec: actor(11, 'Исполнитель Сидоров', ['executor'], 'roads'),
  roadsExec2: actor(12, 'Исполнитель Орлова', ['executor'], 'roads'),
  parksHead: actor(20, 'Начальник парков Ким', ['department_head'], 'parks'),
  parksExec: actor(21, 'Исполнитель Зайцев', ['executor'], 'parks'),
  parksExec2: actor(22, 'Исполнитель Белова', ['executor'], 'parks'),
  housingExec: actor(41, 'Исполнитель Жилищный', ['executor'], 'housing'),
} as const;

export function registerCommand(caseId = 1, detectedAt: number = MONDAY_10.toMillis(), extra: Partial<Extract<Command, { type: 'register' }>> = {}): Command {
  return {
    type: 'register',
    actor: cast.system,
    caseId,
    number: caseId,
    message: {
      id: 100 + caseId,
      author: { externalId: '777', name: 'Житель Иван', profileUrl: 'https://vk.com/id777' },
      kind: 'vk_comment',
      network: 'vk',
      detectedAt,
    },
    ...extra,
  };
}

/** Drives a case through commands, asserting every one succeeds; keeps the event log. */
export class Driver {
  state: CaseState | null = null;
  readonly events: WorkflowEvent[] = [];
  readonly effects: Effect[] = [];
  constructor(readonly ctx: ReturnType<typeof makeCtx>) {}

  get s(): CaseState {
    if (!this.state) throw new Error('no case');
    return this.state;
  }

  try(cmd: Command): Decision {
    return decide(this.state, cmd, this.ctx);
  }

  do(cmd: Command, advanceMinutes = 1): this {
    const r = decide(this.state, cmd, this.ctx);
    if (!r.ok) throw new Error(`${cmd.type} by ${cmd.actor.name} refused: ${r.refusal.code} ${r.refusal.message}`);
    this.state = r.state;
    this.events.push(...r.events);
    this.effects.push(...r.effects);
    this.ctx.clock.advance(advanceMinutes * 60_000);
    return this;
  }

  refused(cmd: Command, code: string): this {
    const r = decide(this.state, cmd, this.ctx);
    expect(r.ok ? 'ok' : r.refusal.code).toBe(code);
    return this;
  }

  status(st: CaseStatus): this {
    expect(this.s.status).toBe(st);
    return this;
  }

  clone(): Driver {
    const d = new Driver({ ...this.ctx, clock: manualClock(this.ctx.clock.now()) });
    d.state = this.state;
    d.events.push(...this.events);
    return d;
  }
}

/** A promised date for intermediate answers inside both presets' limits. */
export function promised(ctx: WorkflowContext): number {
  return ctx.clock.now().plus({ days: 3 }).toMillis();
}

/**
 * Brings a fresh case to `target` along the ordinary path (roads responsible, parks co-executor),
 * or returns null when the status is unreachable under the preset (dept_review without К11 step).
 */
export function reach(id: PresetId, target: CaseStatus | 'none'): Driver | null {
  const ctx = makeCtx(id);
  const d = new Driver(ctx);
  const reg = ctx.regulation;
  const deptStep = reg.windows.departmentHeadApproval !== null || reg.rules.draftAgreedWithDepartmentHead;
  if (target === 'dept_review' && !deptStep) return null;
  if (target === 'none') return d;
  d.do(registerCommand());
  if (target === 'new') return d;
  if (target === 'rejected') return d.do({ type: 'reject', actor: cast.admin, reasonId: reg.rejectionReasons[0]!.id });
  if (target === 'not_competent') return d.do({ type: 'markNotCompetent', actor: cast.admin, outsideBodyId: 'rosseti' });
  d.do({ type: 'triage', actor: cast.admin, topic: 'roads', location: 'ул. Ленина' });
  d.do({
    type: 'assign',
    actor: cast.admin,
    assignments: [
      { departmentId: 'roads', executorId: 11, responsible: true, order: 2 },
      { departmentId: 'parks', executorId: 21, order: 1 },
    ],
  });
  if (target === 'assigned') return d;
  if (target === 'returned') return d.do({ type: 'returnCase', actor: cast.roadsExec, reason: 'не наша компетенция' });
  d.do({ type: 'accept', actor: cast.roadsExec });
  if (target === 'in_work') return d;
  if (target === 'drafting') return d.do({ type: 'saveDraft', actor: cast.roadsExec, text: 'Черновик' });
  const kind = target === 'awaiting_final' ? 'intermediate' : target === 'awaiting_author' ? 'clarification' : 'final';
  d.do({ type: 'submitDraft', actor: cast.roadsExec, kind, text: 'Ответ', ...(kind === 'intermediate' ? { promisedBy: promised(ctx) } : {}) });
  if (target === 'dept_review') return d;
  if (deptStep) d.do({ type: 'approveAtDepartment', actor: cast.roadsHead });
  if (target === 'on_approval') return d;
  if (target === 'rework') return d.do({ type: 'sendToRework', actor: cast.admin, comment: 'уточните сроки' });
  d.do({ type: 'approve', actor: cast.admin });
  if (target === 'approved') return d;
  d.do({ type: 'recordPublication', actor: cast.system, externalId: '9001' });
  if (target === 'published' || target === 'awaiting_final' || target === 'awaiting_author') return d;
  if (target === 'closed') return d.do({ type: 'close', actor: cast.admin });
  throw new Error(`unreachable ${target}`);
}

/** The one who publishes under the preset (К14: the executor; А7.7: the administrator). */
export function publisherOf(id: PresetId): Actor {
  const p = regulation(id).rules.publisher;
  return p === 'executor' ? cast.roadsExec : p === 'administrator' ? cast.admin : cast.system;
}
