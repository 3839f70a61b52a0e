import type { Clock } from '../clock.js';
import type { Regulation, Role } from '../regulation/schema.js';
import type { WorkingTime } from '../time/types.js';
import type { Duration } from '../time/duration.js';
import { substituteFor } from './absence.js';
import { addDuration, addWorkingMinutes, beforeDue, dueOf, liveDeadline, liveDeadlines, workingEndAtOrBefore, workingMinutesBetween } from './deadlines.js';
import type { Effect, NotifyKind, Recipient } from './effects.js';
import { applyEvent, type DeadlineChange, type EventDataMap, type EventType, type WorkflowEvent } from './events.js';
import type {
  Absence,
  Actor,
  Assignment,
  Attachment,
  Author,
  CaseState,
  CaseStatus,
  Deadline,
  DeadlineKind,
  Draft,
  DraftKind,
  Millis,
  SourceKind,
} from './model.js';
import { refusal, type Refusal } from './refusals.js';
import { findEdge, rolesFor, statusesFor, transitionsOf, type CommandType, type TableRole } from './transitions.js';
import { acceptJoined, joinInto, joinedReplies } from './join.js';

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

export interface WorkflowContext {
  regulation: Regulation;
  workingTime: WorkingTime;
  clock: Clock;
  /** Absences in force (А6.3); new assignments to an absent person go to the substitute. */
  absences?: readonly Absence[];
  /**
   * Departments whose drafts a department head or a supervising deputy agrees (К11). A department
   * with neither sends its drafts straight to the administrator. Omitted: every department has one.
   */
  reviewedDepartments?: ReadonlySet<string>;
  /**
   * А17 reports what is socially significant («значимое происшествие»: the administrator's `escalate`),
   * not every short answer term: an importance level marked `urgent` pushes to the head only when the
   * organization file says so (`options.urgentImportanceIsSignificant`).
   */
  urgentImportancePushes?: boolean;
}

export interface AssignmentInput {
  departmentId: string;
  /** Omit to name only the department: its head designates the executor (К7). */
  executorId?: number | null;
  /** Exactly one responsible executor per case (К16, А7.10); a single assignment is responsible. */
  responsible?: boolean;
  /** Order of preparing the information (К16, А7.10); defaults to the list order. */
  order?: number;
}

export interface DraftInput {
  kind?: DraftKind;
  text?: string;
  attachments?: Attachment[];
  /** Intermediate answers: the promised date of the final answer (К15, А7.8). */
  promisedBy?: Millis | null;
  promisedConditions?: string | null;
  /** Repeats: measures taken / progress (К17, А7.11). */
  measures?: string | null;
}

type C<T extends CommandType, P = unknown> = { type: T; actor: Actor; comment?: string | null } & P;

export type Command =
  | C<
      'register',
      {
        caseId: number;
        number: number;
        message: { id: number; author: Author | null; kind: SourceKind | null; network: string | null; detectedAt: Millis };
        importance?: string;
      }
    >
  | C<'attachMessage', { messageId: number }>
  | C<'triage', { topic?: string | null; location?: string | null; importance?: string }>
  | C<'reject', { reasonId: string }>
  | C<'markNotCompetent', { outsideBodyId?: string | null }>
  | C<'markRepeat', { repeatOf: number }>
  | C<'assign', { assignments: AssignmentInput[] }>
  | C<'designateExecutor', { assignmentSeq: number; executorId: number }>
  | C<'accept', { assignmentSeq?: number }>
  | C<'returnCase', { assignmentSeq?: number; reason: string }>
  | C<'reassign', { assignmentSeq?: number; departmentId: string; executorId?: number | null }>
  | C<'contributePart', { assignmentSeq?: number; text: string; attachments?: Attachment[] }>
  | C<'saveDraft', DraftInput>
  | C<'submitDraft', DraftInput>
  | C<'approveAtDepartment'>
  | C<'returnAtDepartment'>
  | C<'approve'>
  | C<'sendToRework'>
  | C<'publish'>
  | C<'recordPublication', { externalId?: string | null; permalink?: string | null }>
  | C<'authorReplied', { messageId: number }>
  | C<'close'>
  | C<'extend', { until: Millis }>
  | C<'setControlDate', { until: Millis }>
  | C<'escalate'>
  | C<'banAuthor', { reasonId: string; until: Millis | null }>
  | C<'recomputeDeadlines', { reason: string }>
  | C<'joinInto', { intoCaseId: number; intoNumber: number }>
  | C<'acceptJoined', { joined: { caseId: number; number: number; messageId: number } }>;

export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

export type Decision = { ok: true; events: WorkflowEvent[]; effects: Effect[]; state: CaseState } | { ok: false; refusal: Refusal };

// ---------------------------------------------------------------------------------------------
// Helpers shared by the handlers
// ---------------------------------------------------------------------------------------------

class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

function refuse(...args: Parameters<typeof refusal>): never {
  throw new Refused(refusal(...args));
}

const ACTIVE: readonly Assignment['status'][] = ['assigned', 'accepted'];

export class Session {
  state: CaseState | null;
  readonly events: WorkflowEvent[] = [];
  readonly effects: Effect[] = [];
  /** Deadline changes waiting for the next emitted event. */
  pending: DeadlineChange[] = [];
  readonly now: Millis;

  constructor(
    initial: CaseState | null,
    readonly cmd: Command,
    readonly ctx: WorkflowContext,
  ) {
    this.state = initial;
    this.now = ctx.clock.now().toMillis();
  }

  get s(): CaseState {
    if (!this.state) throw new Error('no case');
    return this.state;
  }
  get reg(): Regulation {
    return this.ctx.regulation;
  }
  get wt(): WorkingTime {
    return this.ctx.workingTime;
  }
  get actor(): Actor {
    return this.cmd.actor;
  }

  refuse(...args: Parameters<typeof refusal>): never {
    return refuse(...args);
  }

  emit<K extends EventType>(type: K, to: CaseStatus | 'same', data: EventDataMap[K], clause: string | null, comment?: string | null): void {
    const from = this.state?.status ?? null;
    const e = {
      type,
      at: this.now,
      actor: { staffId: this.actor.staffId, name: this.actor.name },
      from,
      to: to === 'same' ? (from as CaseStatus) : to,
      clause,
      comment: comment ?? null,
      deadlines: this.pending,
      data,
    } as WorkflowEvent;
    this.pending = [];
    this.state = applyEvent(this.state, e);
    this.events.push(e);
  }

  effect(e: Effect): void {
    this.effects.push(e);
  }

  notify(to: Recipient, kind: NotifyKind): void {
    this.effect({ type: 'notify', to, caseId: this.s.id, kind });
  }

  // --- deadlines (changes go into the next emitted event) ---

  private nextSeq(): number {
    return (this.state?.deadlines.length ?? 0) + this.pending.filter((c) => c.op === 'open').length + 1;
  }

  open(
    kind: DeadlineKind,
    o: { clause: string; role: Role | null; staffId?: number | null; departmentId?: string | null; assignmentSeq?: number | null; startsAt?: Millis } & (
      | { duration: Duration; dueAt?: undefined }
      | { duration?: null; dueAt: Millis }
    ),
  ): void {
    const startsAt = o.startsAt ?? this.now;
    const dueAt = o.duration ? dueOf(this.wt, { startsAt, duration: o.duration, pausedMinutes: 0, dueAt: 0 }) : o.dueAt!;
    const deadline: Deadline = {
      seq: this.nextSeq(),
      kind,
      clause: o.clause,
      role: o.role,
      staffId: o.staffId ?? null,
      departmentId: o.departmentId ?? null,
      assignmentSeq: o.assignmentSeq ?? null,
      startsAt,
      dueAt,
      duration: o.duration ?? null,
      status: 'open',
      closedAt: null,
      pausedAt: null,
      pausedMinutes: 0,
    };
    this.pending.push({ op: 'open', deadline });
  }

  close(kind: DeadlineKind | DeadlineKind[], status: 'met' | 'cancelled', filter: (d: Deadline) => boolean = () => true): void {
    const kinds = Array.isArray(kind) ? kind : [kind];
    for (const d of this.state?.deadlines ?? []) {
      if ((d.status === 'open' || d.status === 'paused') && kinds.includes(d.kind) && filter(d)) {
        this.pending.push({ op: 'close', seq: d.seq, status, at: this.now });
      }
    }
  }

  cancelAll(): void {
    for (const d of this.s.deadlines) {
      if (d.status === 'open' || d.status === 'paused') this.pending.push({ op: 'close', seq: d.seq, status: 'cancelled', at: this.now });
    }
  }

  change(c: DeadlineChange): void {
    this.pending.push(c);
  }

  // --- assignments ---

  responsible(): Assignment | undefined {
    return this.state?.assignments.find((a) => a.role === 'responsible' && ACTIVE.includes(a.status));
  }

  canActOn(a: Assignment): boolean {
    const act = this.actor;
    if (act.staffId !== null && act.staffId === a.executorId) return true;
    return act.roles.includes('department_head') && act.departmentId === a.departmentId;
  }

  /** The assignment named by the command, or the actor's own active one. */
  pickAssignment(seq: number | undefined, pred: (a: Assignment) => boolean = () => true): Assignment {
    const list = this.s.assignments;
    if (seq !== undefined) {
      const a = list.find((x) => x.seq === seq);
      if (!a) refuse('not_found', `assignment ${seq} not found`, { assignmentSeq: seq });
      if (!this.canActOn(a)) refuse('not_assignee', 'not your assignment', { assignmentSeq: seq });
      return a;
    }
    const mine = list.filter((a) => this.canActOn(a) && pred(a));
    const own = mine.find((a) => a.executorId === this.actor.staffId) ?? mine[0];
    if (!own) refuse('not_assignee', 'you have no assignment in this case');
    return own;
  }

  /** Applies absences (А6.3): the executor, or his substitute, and whom he stands in for. */
  resolveExecutor(executorId: number | null | undefined): { executorId: number | null; substituteFor: number | null } {
    if (executorId === undefined || executorId === null) return { executorId: null, substituteFor: null };
    const sub = substituteFor(executorId, this.now, this.ctx.absences ?? []);
    if (sub === undefined) return { executorId, substituteFor: null };
    return { executorId: sub, substituteFor: executorId };
  }

  executorRecipient(a: Assignment): Recipient {
    return a.executorId !== null ? { staffId: a.executorId } : { role: 'department_head', departmentId: a.departmentId };
  }

  messageId(): number {
    return this.s.messageIds[0]!;
  }

  currentDraft(): Draft | undefined {
    return [...this.s.drafts].reverse().find((d) => d.status !== 'superseded' && d.status !== 'published');
  }

  /** Moves the derived draft-submission deadline after the answer deadline moved. */
  rederiveDraftSubmission(answerDue: Millis): void {
    const ds = liveDeadline(this.s, 'draft_submission');
    if (!ds) return;
    const due = beforeDue(this.wt, ds.startsAt, answerDue, this.reg.windows.draftLeadTime.duration);
    if (due !== ds.dueAt) this.change({ op: 'reschedule', seq: ds.seq, dueAt: due, duration: null });
  }

  /** Retargets the responsible executor's deadlines to a new person/department. */
  retargetResponsible(a: { executorId: number | null; departmentId: string }): void {
    const kinds: DeadlineKind[] = ['answer', 'draft_submission', 'rework', 'final_answer'];
    if (this.reg.rules.publisher === 'executor') kinds.push('publish');
    for (const d of liveDeadlines(this.s)) {
      if (!kinds.includes(d.kind)) continue;
      const role: Role = a.executorId === null ? 'department_head' : 'executor';
      if (d.staffId !== a.executorId || d.departmentId !== a.departmentId || d.role !== role) {
        this.change({ op: 'reassign', seq: d.seq, role, staffId: a.executorId, departmentId: a.departmentId });
      }
    }
  }

  openPart(a: Assignment): void {
    this.open('co_executor_part', {
      clause: this.reg.windows.coExecutorPart.clause,
      role: a.executorId === null ? 'department_head' : 'executor',
      staffId: a.executorId,
      departmentId: a.departmentId,
      assignmentSeq: a.seq,
      duration: this.reg.windows.coExecutorPart.duration,
    });
  }

  openDraftSubmission(answerDue?: Millis): void {
    const answer = liveDeadline(this.s, 'answer');
    const r = this.responsible();
    if (!answer || !r || liveDeadline(this.s, 'draft_submission')) return;
    const due = answerDue ?? answer.dueAt;
    this.open('draft_submission', {
      clause: this.reg.windows.draftLeadTime.clause,
      role: 'executor',
      staffId: r.executorId,
      departmentId: r.departmentId,
      dueAt: beforeDue(this.wt, this.now, due, this.reg.windows.draftLeadTime.duration),
    });
  }
}

function hasRole(actor: Actor, roles: readonly TableRole[], reg: Regulation): boolean {
  return roles.some((r) => {
    if (r === 'system') return actor.staffId === null;
    if (r === 'publisher') {
      const p = reg.rules.publisher;
      if (p === 'on_approval') return actor.staffId === null;
      return actor.staffId !== null && actor.roles.includes(p);
    }
    return actor.staffId !== null && actor.roles.includes(r);
  });
}

function requireText(v: string | null | undefined, field: string): string {
  if (typeof v !== 'string' || v.trim() === '') refuse('invalid', `${field} is required`, { field });
  return v.trim();
}

function label(s: CaseState | null): string {
  return s ? s.status : 'none';
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

type Handler<T extends CommandType> = (h: Session, cmd: CommandOf<T>) => void;

const handlers: { [T in CommandType]: Handler<T> } = {
  register(h, cmd) {
    const reg = h.reg;
    const importance = cmd.importance ?? reg.importance.default;
    const level = reg.importance.levels.find((l) => l.id === importance);
    if (!level) refuse('invalid', `unknown importance ${importance}`, { field: 'importance', value: importance });
    const start = cmd.message.detectedAt;
    if (reg.windows.routing) {
      h.open('route', { clause: reg.windows.routing.clause, role: 'administrator', startsAt: start, duration: reg.windows.routing.duration });
    }
    h.open('answer', { clause: level.answer.clause, role: 'executor', startsAt: start, duration: level.answer.duration });
    h.emit(
      'registered',
      'new',
      {
        caseId: cmd.caseId,
        number: cmd.number,
        regulationId: reg.id,
        messageId: cmd.message.id,
        author: cmd.message.author,
        sourceKind: cmd.message.kind,
        network: cmd.message.network,
        detectedAt: start,
        importance,
      },
      'К8 · А7.1',
      cmd.comment,
    );
    h.notify({ role: 'administrator', departmentId: null }, 'new_case');
  },

  attachMessage(h, cmd) {
    if (h.s.messageIds.includes(cmd.messageId)) refuse('already_done', 'message already in the case', { messageId: cmd.messageId });
    h.emit('message_attached', 'same', { messageId: cmd.messageId }, null, cmd.comment);
  },

  triage(h, cmd) {
    const s = h.s;
    const importance = cmd.importance ?? s.importance;
    const level = h.reg.importance.levels.find((l) => l.id === importance);
    if (!level) refuse('invalid', `unknown importance ${importance}`, { field: 'importance', value: importance });
    const answer = liveDeadline(s, 'answer');
    if (answer && importance !== s.importance && !s.extension) {
      const due = dueOf(h.wt, { ...answer, duration: level.answer.duration });
      h.change({ op: 'reschedule', seq: answer.seq, dueAt: due, duration: level.answer.duration });
      h.rederiveDraftSubmission(due);
    }
    const acknowledge = h.reg.rules.acknowledgeAuthor && !acknowledged(s);
    h.emit(
      'triaged',
      'same',
      {
        topic: cmd.topic === undefined ? s.topic : cmd.topic,
        location: cmd.location === undefined ? s.location : cmd.location,
        importance,
        acknowledged: acknowledge,
      },
      'К8 · А7.1',
      cmd.comment,
    );
    if (acknowledge) h.effect({ type: 'acknowledgeAuthor', caseId: s.id, messageId: h.messageId() });
    if (level.urgent && h.ctx.urgentImportancePushes && h.reg.rules.urgentPushToHead && !h.s.urgent) {
      h.emit('escalated', 'same', {}, 'А17', null);
      h.effect({ type: 'pushUrgentToHead', caseId: s.id });
    }
  },

  reject(h, cmd) {
    // А9: a rejected message is «not accepted»; one already acknowledged as accepted (А7.1) cannot be.
    if (h.reg.rules.acknowledgeAuthor && acknowledged(h.s)) refuse('already_accepted', 'the author was told the message is accepted (А7.1); it cannot be rejected now (А9)', { clause: 'А7.1 · А9' });
    const reason = h.reg.rejectionReasons.find((r) => r.id === cmd.reasonId);
    if (!reason) refuse('unknown_reason', `unknown rejection reason ${cmd.reasonId}`, { reasonId: cmd.reasonId });
    h.close(['route', 'reassign'], 'met');
    h.cancelAll();
    h.emit('rejected', 'rejected', { reasonId: reason.id }, reason.clause, cmd.comment);
  },

  markNotCompetent(h, cmd) {
    const body = cmd.outsideBodyId ?? null;
    if (h.reg.rules.notifyNotCompetent && !body) refuse('invalid', 'the responsible outside body is required (А7.12)', { field: 'outsideBodyId' });
    h.close(['route', 'reassign'], 'met');
    h.cancelAll();
    h.emit('marked_not_competent', 'not_competent', { outsideBodyId: body }, h.reg.rules.notifyNotCompetent ? 'А7.12' : 'К9', cmd.comment);
    if (h.reg.rules.notifyNotCompetent && body) {
      h.effect({ type: 'notifyAuthorNotCompetent', caseId: h.s.id, messageId: h.messageId(), outsideBodyId: body });
    }
  },

  markRepeat(h, cmd) {
    if (!Number.isInteger(cmd.repeatOf) || cmd.repeatOf <= 0 || cmd.repeatOf === h.s.id) {
      refuse('invalid', 'repeatOf must be another case', { field: 'repeatOf' });
    }
    if (h.s.repeatOf === cmd.repeatOf) refuse('already_done', 'already marked as a repeat of that case', { repeatOf: cmd.repeatOf });
    h.emit('marked_repeat', 'same', { repeatOf: cmd.repeatOf }, 'К17 · А7.11', cmd.comment);
  },

  assign(h, cmd) {
    const s = h.s;
    const items = cmd.assignments;
    if (!Array.isArray(items) || items.length === 0) refuse('invalid', 'at least one department', { field: 'assignments' });
    const first = s.status === 'new';
    const depts = new Set<string>();
    for (const it of items) {
      if (!it.departmentId) refuse('invalid', 'departmentId is required', { field: 'departmentId' });
      if (depts.has(it.departmentId)) refuse('invalid', 'a department is named twice', { field: 'departmentId', value: it.departmentId });
      depts.add(it.departmentId);
    }
    const explicit = items.filter((i) => i.responsible === true).length;
    let responsibleIndex = -1;
    if (first) {
      if (items.length === 1 && items[0]!.responsible !== false) responsibleIndex = 0;
      else if (explicit === 1) responsibleIndex = items.findIndex((i) => i.responsible === true);
      else refuse('invalid', 'exactly one responsible executor (К16, А7.10)', { field: 'responsible' });
    } else if (explicit > 0) {
      refuse('invalid', 'the case already has a responsible executor', { field: 'responsible' });
    }
    const base = s.assignments.length;
    const maxOrder = Math.max(0, ...s.assignments.map((a) => a.order));
    const list: Assignment[] = items.map((it, i) => {
      const ex = h.resolveExecutor(it.executorId);
      return {
        seq: base + i + 1,
        departmentId: it.departmentId,
        executorId: ex.executorId,
        role: i === responsibleIndex ? 'responsible' : 'co_executor',
        order: it.order ?? maxOrder + i + 1,
        status: 'assigned',
        assignedAt: h.now,
        acceptedAt: null,
        returnedAt: null,
        returnReason: null,
        substituteFor: ex.substituteFor,
        part: null,
      };
    });
    if (first) h.close('route', 'met');
    // А7.1: routing without a triage is the moment the message is accepted for consideration.
    const acknowledge = first && h.reg.rules.acknowledgeAuthor && !acknowledged(s);
    const resp = list.find((a) => a.role === 'responsible');
    if (resp) h.retargetResponsible(resp);
    for (const a of list) if (a.role === 'co_executor') h.openPart(a);
    h.emit('assigned', first ? 'assigned' : 'same', { assignments: list }, list.length > 1 || !first ? 'К16 · А7.10' : 'К8 · А7.1', cmd.comment);
    if (acknowledge) h.effect({ type: 'acknowledgeAuthor', caseId: s.id, messageId: h.messageId() });
    for (const a of list) h.notify(h.executorRecipient(a), a.executorId === null ? 'designate_executor' : 'assigned');
  },

  designateExecutor(h, cmd) {
    const a = h.s.assignments.find((x) => x.seq === cmd.assignmentSeq);
    if (!a) refuse('not_found', `assignment ${cmd.assignmentSeq} not found`, { assignmentSeq: cmd.assignmentSeq });
    if (!ACTIVE.includes(a.status)) refuse('wrong_state', 'the assignment is no longer active', { assignmentStatus: a.status });
    const isAdmin = h.actor.roles.includes('administrator');
    if (!isAdmin && h.actor.departmentId !== a.departmentId) refuse('wrong_department', 'another department', { departmentId: a.departmentId });
    const ex = h.resolveExecutor(cmd.executorId);
    if (ex.executorId === a.executorId) refuse('already_done', 'already the executor', { executorId: cmd.executorId });
    const updated = { ...a, executorId: ex.executorId };
    if (a.role === 'responsible') h.retargetResponsible(updated);
    else {
      for (const d of liveDeadlines(h.s, 'co_executor_part')) {
        if (d.assignmentSeq === a.seq) h.change({ op: 'reassign', seq: d.seq, role: 'executor', staffId: ex.executorId, departmentId: a.departmentId });
      }
    }
    h.emit('executor_designated', 'same', { assignmentSeq: a.seq, executorId: ex.executorId!, substituteFor: ex.substituteFor }, 'К7 · А6.3', cmd.comment);
    h.notify({ staffId: ex.executorId! }, 'assigned');
  },

  accept(h, cmd) {
    const a = h.pickAssignment(cmd.assignmentSeq, (x) => x.status === 'assigned');
    if (a.status !== 'assigned') refuse(a.status === 'accepted' ? 'already_done' : 'wrong_state', 'the assignment is not waiting for acceptance', { assignmentStatus: a.status });
    if (a.executorId === null) refuse('no_executor', 'the department head designates the executor first', { departmentId: a.departmentId });
    if (a.role === 'responsible') {
      h.openDraftSubmission();
      h.emit('accepted', 'in_work', { assignmentSeq: a.seq }, 'К7 · А6.3', cmd.comment);
    } else {
      h.emit('accepted', 'same', { assignmentSeq: a.seq }, 'К16 · А7.10', cmd.comment);
    }
  },

  returnCase(h, cmd) {
    const a = h.pickAssignment(cmd.assignmentSeq, (x) => ACTIVE.includes(x.status));
    if (!ACTIVE.includes(a.status)) refuse('wrong_state', 'the assignment is not active', { assignmentStatus: a.status });
    const reason = requireText(cmd.reason, 'reason');
    const w = h.reg.windows.executorReturn;
    const until = addDuration(h.wt, a.assignedAt, w.duration);
    if (h.now > until) refuse('window_closed', `the return window (${w.clause}) is over`, { until, clause: w.clause });
    if (a.role === 'responsible') {
      h.close('draft_submission', 'cancelled');
      if (h.reg.windows.reassign) {
        h.open('reassign', { clause: h.reg.windows.reassign.clause, role: 'administrator', duration: h.reg.windows.reassign.duration });
      }
      h.emit('returned', 'returned', { assignmentSeq: a.seq, reason }, w.clause, cmd.comment);
    } else {
      h.close('co_executor_part', 'cancelled', (d) => d.assignmentSeq === a.seq);
      h.emit('returned', 'same', { assignmentSeq: a.seq, reason }, w.clause, cmd.comment);
    }
    h.notify({ role: 'administrator', departmentId: null }, 'returned');
  },

  reassign(h, cmd) {
    const s = h.s;
    if (!cmd.departmentId) refuse('invalid', 'departmentId is required', { field: 'departmentId' });
    let target: Assignment | undefined;
    if (cmd.assignmentSeq !== undefined) target = s.assignments.find((a) => a.seq === cmd.assignmentSeq);
    else if (s.status === 'returned') target = [...s.assignments].reverse().find((a) => a.role === 'responsible' && a.status === 'returned');
    else target = h.responsible();
    if (!target) refuse('not_found', 'assignment not found', { assignmentSeq: cmd.assignmentSeq ?? null });
    // A misrouted case may be moved at any moment (not while a draft is under review): the responsible
    // executor is replaced with a reason, the deadlines keep their start (the original detection).
    const moving = s.status !== 'returned' && target.role === 'responsible';
    const allowed =
      s.status === 'returned'
        ? target.role === 'responsible' && target.status === 'returned'
        : moving
          ? ACTIVE.includes(target.status) && s.status !== 'dept_review' && s.status !== 'on_approval'
          : s.status !== 'awaiting_final' && target.status !== 'withdrawn' && target.status !== 'part_submitted';
    if (!allowed) refuse('wrong_state', 'this assignment cannot be reassigned now', { assignmentStatus: target.status });
    if (moving) requireText(cmd.comment, 'comment');
    if (moving && target.departmentId === cmd.departmentId && (cmd.executorId ?? null) === target.executorId) {
      refuse('already_done', 'the case is already with this executor', { departmentId: cmd.departmentId });
    }
    const ex = h.resolveExecutor(cmd.executorId);
    const next: Assignment = {
      seq: s.assignments.length + 1,
      departmentId: cmd.departmentId,
      executorId: ex.executorId,
      role: target.role,
      order: target.order,
      status: 'assigned',
      assignedAt: h.now,
      acceptedAt: null,
      returnedAt: null,
      returnReason: null,
      substituteFor: ex.substituteFor,
      part: null,
    };
    if (target.role === 'responsible') {
      h.close('reassign', 'met');
      h.close('draft_submission', 'cancelled');
      h.retargetResponsible(next);
      h.emit('reassigned', 'assigned', { withdrawnSeq: target.seq, assignment: next }, moving ? 'К6, К8 · А6.2, А7.1' : 'К9', cmd.comment);
    } else {
      h.close('co_executor_part', 'cancelled', (d) => d.assignmentSeq === target.seq);
      h.openPart(next);
      h.emit('reassigned', 'same', { withdrawnSeq: target.seq, assignment: next }, 'К16 · А7.10', cmd.comment);
    }
    h.notify(h.executorRecipient(next), next.executorId === null ? 'designate_executor' : 'assigned');
  },

  contributePart(h, cmd) {
    const a = h.pickAssignment(cmd.assignmentSeq, (x) => x.role === 'co_executor' && ACTIVE.includes(x.status));
    if (a.role !== 'co_executor') refuse('invalid', 'only a co-executor sends a part; the responsible executor writes the joint answer', { field: 'assignmentSeq' });
    if (a.status === 'part_submitted') refuse('already_done', 'the part was already sent', { assignmentSeq: a.seq });
    if (!ACTIVE.includes(a.status)) refuse('wrong_state', 'the assignment is not active', { assignmentStatus: a.status });
    const text = requireText(cmd.text, 'text');
    h.close('co_executor_part', 'met', (d) => d.assignmentSeq === a.seq);
    h.emit('part_contributed', 'same', { assignmentSeq: a.seq, text, attachments: cmd.attachments ?? [] }, h.reg.windows.coExecutorPart.clause, cmd.comment);
    const r = h.responsible();
    if (r) h.notify(h.executorRecipient(r), 'part_contributed');
    h.notify({ role: 'administrator', departmentId: null }, 'part_contributed');
  },

  saveDraft(h, cmd) {
    draft(h, cmd, false);
  },

  submitDraft(h, cmd) {
    draft(h, cmd, true);
  },

  approveAtDepartment(h, cmd) {
    const d = reviewTarget(h, 'dept_review');
    h.close(d.kind === 'final' ? ['dept_review', 'draft_submission', 'rework', 'final_answer'] : ['dept_review', 'draft_submission', 'rework'], 'met');
    h.open('approval', { clause: h.reg.windows.approval.clause, role: 'administrator', duration: h.reg.windows.approval.duration });
    h.emit('department_approved', 'on_approval', { draftSeq: d.seq }, h.reg.windows.departmentHeadApproval?.clause ?? h.reg.clauses['draftAgreedWithDepartmentHead'] ?? 'К11', cmd.comment);
    h.notify({ role: 'administrator', departmentId: null }, 'draft_for_approval');
  },

  returnAtDepartment(h, cmd) {
    const d = reviewTarget(h, 'dept_review');
    const comment = requireText(cmd.comment, 'comment');
    h.close('dept_review', 'met');
    if (!liveDeadline(h.s, 'rework')) openRework(h);
    h.emit('department_returned', 'rework', { draftSeq: d.seq }, h.reg.windows.departmentHeadApproval?.clause ?? h.reg.clauses['draftAgreedWithDepartmentHead'] ?? 'К11', comment);
    const r = h.responsible();
    if (r) h.notify(h.executorRecipient(r), 'draft_returned');
  },

  approve(h, cmd) {
    const d = reviewTarget(h, 'on_approval');
    const reg = h.reg;
    const r = h.responsible();
    h.close('approval', 'met');
    const publisher = reg.rules.publisher;
    h.open('publish', {
      clause: reg.windows.publish.clause,
      role: publisher === 'executor' ? 'executor' : 'administrator',
      staffId: publisher === 'executor' ? (r?.executorId ?? null) : null,
      departmentId: publisher === 'executor' ? (r?.departmentId ?? null) : null,
      duration: reg.windows.publish.duration,
    });
    h.emit('approved', 'approved', { draftSeq: d.seq }, reg.windows.approval.clause, cmd.comment);
    if (r) h.notify(h.executorRecipient(r), publisher === 'executor' ? 'to_publish' : 'draft_approved');
    if (publisher === 'administrator') h.notify({ role: 'administrator', departmentId: null }, 'to_publish');
    if (publisher === 'on_approval') requestPublication(h, d);
  },

  sendToRework(h, cmd) {
    const d = reviewTarget(h, 'on_approval');
    const comment = requireText(cmd.comment, 'comment');
    h.close('approval', 'met');
    openRework(h);
    h.emit('sent_to_rework', 'rework', { draftSeq: d.seq }, `${h.reg.windows.approval.clause}, ${h.reg.windows.rework.clause}`, comment);
    const r = h.responsible();
    if (r) h.notify(h.executorRecipient(r), 'draft_returned');
  },

  publish(h) {
    const d = h.currentDraft();
    if (!d || d.status !== 'approved') refuse('wrong_state', 'no approved draft', {});
    if (h.reg.rules.publisher === 'executor') {
      const r = h.responsible();
      if (!r || !h.canActOn(r)) refuse('not_assignee', 'the responsible executor publishes (К14)', {});
    }
    requestPublication(h, d);
  },

  recordPublication(h, cmd) {
    const s = h.s;
    const d = h.currentDraft();
    if (!d || d.status !== 'approved') refuse('wrong_state', 'no approved draft', {});
    // К14: the executor publishes. The administrator may still record an answer published by hand after
    // the network refused it (issue 6 §8): the administrator is the one told of the refusal.
    if (h.actor.staffId !== null && h.reg.rules.publisher === 'executor' && !h.actor.roles.includes('administrator')) {
      const r = h.responsible();
      if (!r || !h.canActOn(r)) refuse('not_assignee', 'the responsible executor publishes (К14)', {});
    }
    const publication = {
      seq: s.publications.length + 1,
      draftSeq: d.seq,
      kind: d.kind,
      at: h.now,
      by: h.actor.staffId,
      externalId: cmd.externalId ?? null,
      permalink: cmd.permalink ?? null,
    };
    h.close('publish', 'met');
    const reg = h.reg;
    const r = h.responsible();
    if (d.kind === 'final') {
      h.close(['answer', 'final_answer'], 'met');
      h.emit('published', 'published', { publication }, reg.windows.publish.clause, cmd.comment);
    } else if (d.kind === 'intermediate') {
      h.close('answer', 'met');
      const fai = reg.windows.finalAfterIntermediate;
      const who = { role: 'executor' as const, staffId: r?.executorId ?? null, departmentId: r?.departmentId ?? null };
      // A later intermediate answer keeps the control point of the first one (К15 counts from the first
      // publication; А7.8's promise moves only by an extension, А7.9).
      const kept = liveDeadline(h.s, 'final_answer');
      let controlDateNeeded = false;
      if (!kept) {
        if (d.promisedBy !== null) h.open('final_answer', { ...who, clause: fai?.clause ?? 'А7.8', dueAt: fai ? Math.min(d.promisedBy, addDuration(h.wt, h.now, fai.duration)) : d.promisedBy });
        else if (fai) h.open('final_answer', { ...who, clause: fai.clause, duration: fai.duration });
        else controlDateNeeded = true;
      }
      h.emit('published', 'awaiting_final', { publication }, fai?.clause ?? 'А7.8', cmd.comment);
      // А7.8 «срок или условия»: conditions without a date → the administrator sets the control date.
      if (controlDateNeeded) h.notify({ role: 'administrator', departmentId: null }, 'control_date_needed');
    } else {
      h.emit('published', 'awaiting_author', { publication }, reg.windows.publish.clause, cmd.comment);
      const answer = liveDeadline(h.s, 'answer');
      if (answer && answer.status === 'open') h.change({ op: 'pause', seq: answer.seq, at: h.now });
      h.close('draft_submission', 'cancelled');
      h.emit('clock_paused', 'same', {}, 'docs/regulations.md: pause while awaiting the author', null);
    }
    h.notify({ role: 'administrator', departmentId: null }, 'published');
    if (r && reg.rules.publisher !== 'executor') h.notify(h.executorRecipient(r), 'published');
  },

  authorReplied(h, cmd) {
    const s = h.s;
    if (s.messageIds.includes(cmd.messageId)) refuse('already_done', 'message already in the case', { messageId: cmd.messageId });
    h.emit('author_replied', 'drafting', { messageId: cmd.messageId }, 'К6 · А6.2', cmd.comment);
    const answer = liveDeadline(h.s, 'answer');
    let paused = 0;
    let dueAt = answer?.dueAt;
    if (answer && answer.status === 'paused' && answer.pausedAt !== null) {
      paused = workingMinutesBetween(h.wt, answer.pausedAt, h.now);
      dueAt = addWorkingMinutes(h.wt, answer.dueAt, paused);
      h.change({ op: 'resume', seq: answer.seq, at: h.now, dueAt, pausedMinutes: answer.pausedMinutes + paused });
    }
    h.openDraftSubmission(dueAt);
    h.emit('clock_resumed', 'same', { pausedMinutes: paused }, 'docs/regulations.md: pause while awaiting the author', null);
    const r = h.responsible();
    if (r) h.notify(h.executorRecipient(r), 'author_replied');
  },

  close(h, cmd) {
    h.cancelAll();
    h.emit('closed', 'closed', {}, h.s.status === 'published' ? h.reg.windows.publish.clause : 'К6 · А6.2', cmd.comment);
  },

  extend(h, cmd) {
    const reg = h.reg;
    const max = reg.windows.maxExtension;
    if (!max) refuse('not_provided', 'the regulation does not provide for extension', {});
    const s = h.s;
    const target = liveDeadline(s, 'answer') ?? liveDeadline(s, 'final_answer');
    if (!target) refuse('wrong_state', 'no open answer term to extend', {});
    // The ceiling counts from the term before the first extension of this very deadline (an earlier
    // extension of the answer term does not shorten or lengthen the final answer's).
    const base = s.extension && s.extension.until === target.dueAt ? s.extension.baseDueAt : target.dueAt;
    const limit = addDuration(h.wt, base, max.duration);
    if (!Number.isFinite(cmd.until)) refuse('invalid', 'the new term must be later than the current one', { field: 'until', current: target.dueAt });
    // The new term never ends on a day off: the end of the last working day before it.
    const until = workingEndAtOrBefore(h.wt, cmd.until);
    if (until <= target.dueAt) refuse('invalid', 'the new term must be later than the current one', { field: 'until', current: target.dueAt });
    if (until > limit) refuse('term_too_long', `at most ${max.duration.amount} ${max.duration.unit} (${max.clause})`, { limit, clause: max.clause });
    h.change({ op: 'reschedule', seq: target.seq, dueAt: until, duration: null });
    if (target.kind === 'answer') h.rederiveDraftSubmission(until);
    h.emit('extended', 'same', { baseDueAt: base, until }, max.clause, cmd.comment);
    if (reg.rules.notifyExtension) h.effect({ type: 'notifyAuthorExtension', caseId: s.id, messageId: h.messageId(), until });
    const r = h.responsible();
    if (r) h.notify(h.executorRecipient(r), 'extended');
  },

  setControlDate(h, cmd) {
    const s = h.s;
    if (liveDeadline(s, 'final_answer')) refuse('already_done', 'the final answer already has its term; it moves only by an extension (А7.9)', {});
    if (!Number.isFinite(cmd.until) || !(cmd.until > h.now)) refuse('invalid', 'the control date must be in the future', { field: 'until' });
    const r = h.responsible();
    h.open('final_answer', { clause: 'А7.8', role: 'executor', staffId: r?.executorId ?? null, departmentId: r?.departmentId ?? null, dueAt: cmd.until });
    h.emit('control_date_set', 'same', { until: cmd.until }, 'А7.8', cmd.comment);
    if (r) h.notify(h.executorRecipient(r), 'extended');
  },

  escalate(h, cmd) {
    if (!h.reg.rules.urgentPushToHead) refuse('not_provided', 'the regulation does not provide for urgent reports to the head', {});
    if (h.s.urgent) refuse('already_done', 'already reported to the head', {});
    h.emit('escalated', 'same', {}, 'А17', cmd.comment);
    h.effect({ type: 'pushUrgentToHead', caseId: h.s.id });
  },

  banAuthor(h, cmd) {
    const reg = h.reg;
    if (!reg.rules.bansAllowed) refuse('not_provided', 'the regulation does not provide for bans', {});
    const reason = reg.banReasons.find((r) => r.id === cmd.reasonId);
    if (!reason) refuse('unknown_reason', `unknown ban reason ${cmd.reasonId}`, { reasonId: cmd.reasonId });
    const s = h.s;
    const ext = s.author?.externalId;
    if (!ext) refuse('invalid', 'the author is not known', { field: 'author' });
    if (cmd.until !== null && !(cmd.until > h.now)) refuse('invalid', 'the ban must end in the future', { field: 'until' });
    if (s.bans.some((b) => b.until === null || b.until > h.now)) refuse('already_done', 'the author is already banned', {});
    const ban = {
      seq: s.bans.length + 1,
      authorExternalId: ext,
      network: s.network ?? 'vk',
      reasonId: reason.id,
      comment: cmd.comment ?? null,
      until: cmd.until,
      at: h.now,
      by: h.actor.staffId,
    };
    h.emit('author_banned', 'same', { ban }, reason.clause, cmd.comment);
    h.effect({ type: 'banAuthor', caseId: s.id, authorExternalId: ext, network: ban.network, reasonId: reason.id, until: cmd.until, comment: ban.comment });
  },

  recomputeDeadlines(h, cmd) {
    const s = h.s;
    let answerDue: Millis | null = null;
    const moved: Deadline[] = [];
    for (const d of liveDeadlines(s)) {
      if (!d.duration) continue;
      const due = dueOf(h.wt, d);
      if (d.kind === 'answer') answerDue = due;
      if (due !== d.dueAt) {
        h.change({ op: 'reschedule', seq: d.seq, dueAt: due, duration: d.duration });
        moved.push(d);
      }
    }
    const ds = liveDeadline(s, 'draft_submission');
    const answer = liveDeadline(s, 'answer');
    if (ds && answer) {
      const due = beforeDue(h.wt, ds.startsAt, answerDue ?? answer.dueAt, h.reg.windows.draftLeadTime.duration);
      if (due !== ds.dueAt) {
        h.change({ op: 'reschedule', seq: ds.seq, dueAt: due, duration: null });
        moved.push(ds);
      }
    }
    if (!moved.length) return;
    h.emit('deadlines_recomputed', 'same', { reason: requireText(cmd.reason, 'reason') }, null, cmd.comment);
    // Everyone whose deadline moved is told (their card shows the new time).
    const told = new Set<string>();
    for (const d of moved) {
      const to: Recipient = d.staffId !== null ? { staffId: d.staffId } : { role: d.role ?? 'administrator', departmentId: d.departmentId };
      const key = JSON.stringify(to);
      if (!told.has(key)) h.notify(to, 'deadline_moved');
      told.add(key);
    }
  },

  joinInto,
  acceptJoined,
};

/** The author was told «принято к рассмотрению» (А7.1): at the first triage or the first routing. */
export function acknowledged(s: CaseState): boolean {
  return s.triaged || s.assignments.length > 0;
}

/** К11: «с руководителем структурного подразделения либо с курирующим заместителем главы». */
export function agreesFor(actor: Actor, departmentId: string): boolean {
  if (actor.roles.includes('department_head') && actor.departmentId === departmentId) return true;
  return actor.roles.includes('deputy') && (actor.supervises ?? []).includes(departmentId);
}

/** The department head agrees drafts first (К11): a window, or the rule without a window of its own. */
export function departmentStep(reg: Regulation): boolean {
  return reg.windows.departmentHeadApproval !== null || reg.rules.draftAgreedWithDepartmentHead === true;
}

function openRework(h: Session): void {
  const r = h.responsible();
  h.open('rework', {
    clause: h.reg.windows.rework.clause,
    role: 'executor',
    staffId: r?.executorId ?? null,
    departmentId: r?.departmentId ?? null,
    duration: h.reg.windows.rework.duration,
  });
}

function reviewTarget(h: Session, status: 'dept_review' | 'on_approval'): Draft {
  const d = h.currentDraft();
  if (!d || d.status !== status) refuse('wrong_state', 'no draft waiting for this review', {});
  if (status === 'dept_review') {
    const r = h.responsible();
    if (!r || !agreesFor(h.actor, r.departmentId)) {
      refuse('wrong_department', 'the head of the responsible department or its supervising deputy approves (К11)', { departmentId: r?.departmentId ?? null });
    }
  }
  return d;
}

/** The text the author reads: a repeat's measures (К17, А7.11) are part of the answer, never left out. */
export function publishedText(d: Draft): string {
  const v = d.versions[d.versions.length - 1]!;
  const m = d.measures?.trim();
  return m && !v.text.includes(m) ? `${v.text}\n\n${m}` : v.text;
}

function requestPublication(h: Session, d: Draft): void {
  const s = h.s;
  const v = d.versions[d.versions.length - 1]!;
  h.emit('publish_requested', 'same', { draftSeq: d.seq }, h.reg.windows.publish.clause, null);
  h.effect({
    type: 'publishReply',
    caseId: s.id,
    draftSeq: d.seq,
    kind: d.kind,
    text: publishedText(d),
    attachments: v.attachments,
    replyToMessageId: s.messageIds[0]!,
    guid: `otklik-${s.id}-${d.seq}-${v.n}`,
  });
  joinedReplies(h, d, v);
}

function draft(h: Session, cmd: CommandOf<'saveDraft'> | CommandOf<'submitDraft'>, submit: boolean): void {
  const s = h.s;
  const reg = h.reg;
  const r = h.responsible();
  if (!r) refuse('wrong_state', 'no responsible executor', {});
  if (!h.canActOn(r)) refuse('not_assignee', 'the responsible executor writes the answer', { assignmentSeq: r.seq });
  if (r.status !== 'accepted') refuse('wrong_state', 'accept the case first', { assignmentStatus: r.status });
  const current = h.currentDraft();
  const editable = current && (current.status === 'editing' || current.status === 'rework') ? current : undefined;
  const kind: DraftKind = cmd.kind ?? editable?.kind ?? 'final';
  const same = editable && editable.kind === kind ? editable : undefined;
  if (s.status === 'rework' && !same) refuse('invalid', 'rework the returned draft (same kind)', { field: 'kind' });
  const last = same?.versions[same.versions.length - 1];
  const text = cmd.text !== undefined ? requireText(cmd.text, 'text') : last?.text;
  if (text === undefined) refuse('invalid', 'text is required', { field: 'text' });
  const attachments = cmd.attachments ?? last?.attachments ?? [];
  const promisedBy = cmd.promisedBy !== undefined ? cmd.promisedBy : (same?.promisedBy ?? null);
  const promisedConditions = cmd.promisedConditions !== undefined ? cmd.promisedConditions : (same?.promisedConditions ?? null);
  const measures = cmd.measures !== undefined ? cmd.measures : (same?.measures ?? null);

  if (kind === 'clarification' && !liveDeadline(s, 'answer')) {
    refuse('wrong_state', 'a clarification is asked before the answer is given', { field: 'kind' });
  }
  if (submit && kind === 'intermediate') {
    const fai = reg.windows.finalAfterIntermediate;
    if ((reg.rules.intermediateStatesTerm || !fai) && promisedBy === null && !promisedConditions?.trim()) {
      refuse('term_required', 'an intermediate answer states the term of the final one (А7.8)', { clause: 'А7.8' });
    }
    if (promisedBy !== null) {
      if (!(promisedBy > h.now)) refuse('invalid', 'the promised date must be in the future', { field: 'promisedBy' });
      if (fai) {
        // К15 counts from the publication of the intermediate answer, which comes later than this
        // submission — at the latest by the answer term (К10). The publication itself caps the due.
        const answer = liveDeadline(s, 'answer');
        const limit = addDuration(h.wt, Math.max(h.now, answer?.dueAt ?? h.now), fai.duration);
        if (promisedBy > limit) refuse('term_too_long', `the final answer is due within ${fai.duration.amount} ${fai.duration.unit} (${fai.clause})`, { limit, clause: fai.clause });
      }
    }
  }
  if (submit && kind === 'final' && s.repeatOf !== null && reg.rules.repeatNeedsMeasures && !(measures && measures.trim())) {
    refuse('measures_required', 'the answer to a repeat reports the measures taken (К17, А7.11)', { clause: 'К17 · А7.11' });
  }

  const newDraft = !same;
  const seq = same ? same.seq : s.drafts.length + 1;
  const changedText = newDraft || cmd.text !== undefined || cmd.attachments !== undefined;
  const version = changedText ? { n: (same?.versions.length ?? 0) + 1, text, attachments, at: h.now, by: h.actor.staffId } : null;
  const base = { draftSeq: seq, kind, newDraft, version, promisedBy, promisedConditions, measures };

  if (!submit) {
    const inRework = s.status === 'rework';
    h.emit('draft_saved', inRework ? 'same' : 'drafting', { ...base, draftStatus: inRework ? 'rework' : 'editing' }, inRework ? reg.windows.rework.clause : reg.windows.draftLeadTime.clause, cmd.comment);
    return;
  }
  // No draft waits for a role nobody holds: without a head or a supervising deputy it goes to the administrator.
  const toDepartment = departmentStep(reg) && s.reworkFrom !== 'administrator' && (h.ctx.reviewedDepartments?.has(r.departmentId) ?? true);
  if (toDepartment) {
    // К11: the draft is agreed with the department head first; the К11 lead-time, К13 rework and
    // К15 final deadlines are met only when the draft reaches the administrator.
    const w = reg.windows.departmentHeadApproval;
    if (w) h.open('dept_review', { clause: w.clause, role: 'department_head', departmentId: r.departmentId, duration: w.duration });
  } else {
    h.close(kind === 'final' ? ['draft_submission', 'rework', 'final_answer'] : ['draft_submission', 'rework'], 'met');
    h.open('approval', { clause: reg.windows.approval.clause, role: 'administrator', duration: reg.windows.approval.duration });
  }
  const clause = s.status === 'rework' ? reg.windows.rework.clause : reg.windows.draftLeadTime.clause;
  h.emit('draft_submitted', toDepartment ? 'dept_review' : 'on_approval', { ...base, draftStatus: toDepartment ? 'dept_review' : 'on_approval' }, clause, cmd.comment);
  if (toDepartment) {
    h.notify({ role: 'department_head', departmentId: r.departmentId }, 'draft_for_department_review');
    h.notify({ role: 'deputy', departmentId: r.departmentId }, 'draft_for_department_review');
  }
  else h.notify({ role: 'administrator', departmentId: null }, 'draft_for_approval');
}

// ---------------------------------------------------------------------------------------------
// decide
// ---------------------------------------------------------------------------------------------

/**
 * Runs one command against a case: checks the actor's role and the case's status against the
 * transition table, then the step's own rules, and returns the events (already applied in
 * `state`) and effects, or a typed refusal. Pure: time comes from `ctx.clock`.
 */
export function decide(state: CaseState | null, command: Command, ctx: WorkflowContext): Decision {
  const type = command.type;
  const from = state ? state.status : 'none';
  const here = transitionsOf(type).filter((t) => t.from.includes(from));
  const roles = here.length ? [...new Set(here.flatMap((t) => t.roles))] : rolesFor(type);
  if (!hasRole(command.actor, roles, ctx.regulation)) {
    return { ok: false, refusal: refusal('wrong_role', `${type}: not allowed for your role`, { command: type }) };
  }
  if (!statusesFor(type).includes(from) || (type === 'register') !== (state === null)) {
    return { ok: false, refusal: refusal('wrong_state', `${type}: not allowed in status ${label(state)}`, { command: type, status: label(state) }) };
  }
  const h = new Session(state, command, ctx);
  try {
    (handlers[type] as Handler<typeof type>)(h, command as never);
    flushPending(h);
  } catch (err) {
    if (err instanceof Refused) return { ok: false, refusal: err.refusal };
    throw err;
  }
  if (h.events.length === 0) return { ok: true, events: [], effects: [], state: state! };
  const to = h.s.status;
  const edge = findEdge(type, from, to);
  if (!edge) {
    return { ok: false, refusal: refusal('wrong_state', `${type}: no step from ${from} to ${to}`, { command: type, status: from }) };
  }
  if (!hasRole(command.actor, edge.roles, ctx.regulation)) {
    return { ok: false, refusal: refusal('wrong_role', `${type}: not allowed for your role`, { command: type }) };
  }
  return { ok: true, events: h.events, effects: h.effects, state: h.s };
}

function flushPending(h: Session): void {
  if (h.pending.length > 0) throw new Error(`${h.cmd.type}: deadline changes queued after the last event`);
}

/** Recomputes a case's open deadlines after the calendar or the regulation changed (logged as an event). */
export function recomputeOpenDeadlines(state: CaseState, ctx: WorkflowContext, reason: string, actor: Actor): Decision {
  return decide(state, { type: 'recomputeDeadlines', actor, reason }, ctx);
}

export type { WorkflowEvent } from './events.js';
