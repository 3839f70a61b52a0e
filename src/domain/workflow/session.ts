import type { Regulation, Role } from '../regulation/schema.js';
import type { WorkingTime } from '../time/types.js';
import type { Duration } from '../time/duration.js';
import { substituteFor } from './absence.js';
import type { Command, CommandOf, WorkflowContext } from './command-types.js';
import { beforeDue, dueOf, liveDeadline, liveDeadlines } from './deadlines.js';
import type { Effect, NotifyKind, Recipient } from './effects.js';
import { applyEvent, type DeadlineChange, type EventDataMap, type EventType, type WorkflowEvent } from './events.js';
import type { Actor, Assignment, CaseState, CaseStatus, Deadline, DeadlineKind, Draft, Millis } from './model.js';
import { refusal, type Refusal } from './refusals.js';
import type { CommandType, TableRole } from './transitions.js';

/**
 * The session one command runs in, and the helpers every stage's handlers share: a handler reads the
 * case through the session, queues deadline changes, emits events and effects, or refuses.
 */

export class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

export function refuse(...args: Parameters<typeof refusal>): never {
  throw new Refused(refusal(...args));
}

export const ACTIVE: readonly Assignment['status'][] = ['assigned', 'accepted'];

export class Session {
  state: CaseState | null;
  readonly events: WorkflowEvent[] = [];
  readonly effects: Effect[] = [];
  /** Deadline changes waiting for the next emitted event. */
  pending: DeadlineChange[] = [];
  /** The first status a handler named explicitly: which of a command's edges it takes. */
  declared: CaseStatus | null = null;
  /** For each event, the command whose edge it records. */
  readonly steps: CommandType[] = [];
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

  /**
   * Appends an event and applies it. `to` is the status the handler moves the case to: its first
   * explicit status names the table edge taken. The event's clause is that edge's, stamped by `decide`
   * once the edge is known; `of` names another command whose step this event records (an escalation
   * at triage, a publication requested on approval).
   */
  emit<K extends EventType>(type: K, to: CaseStatus | 'same', data: EventDataMap[K], comment?: string | null, of: CommandType = this.cmd.type): void {
    const from = this.state?.status ?? null;
    const e = {
      type,
      at: this.now,
      actor: { staffId: this.actor.staffId, name: this.actor.name },
      from,
      to: to === 'same' ? (from as CaseStatus) : to,
      clause: null,
      comment: comment ?? null,
      deadlines: this.pending,
      data,
    } as WorkflowEvent;
    if (of === this.cmd.type && to !== 'same' && this.declared === null) this.declared = to;
    this.pending = [];
    this.state = applyEvent(this.state, e);
    this.events.push(e);
    this.steps.push(of);
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
      { duration: Duration; dueAt?: undefined } | { duration?: null; dueAt: Millis }
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

export function hasRole(actor: Actor, roles: readonly TableRole[], reg: Regulation): boolean {
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

export function requireText(v: string | null | undefined, field: string): string {
  if (typeof v !== 'string' || v.trim() === '') refuse('invalid', `${field} is required`, { field });
  return v.trim();
}

export function label(s: CaseState | null): string {
  return s ? s.status : 'none';
}

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

export type Handler<T extends CommandType> = (h: Session, cmd: CommandOf<T>) => void;
export type Handlers = { [T in CommandType]: Handler<T> };
