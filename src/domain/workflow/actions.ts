import type { Command, Decision, WorkflowContext } from './command-types.js';
import { decide } from './decide.js';
import type { Actor, Assignment, CaseState } from './model.js';

/**
 * «What may this person do to this case now», answered by dry-running `decide` for the candidate
 * commands: the buttons on a card, the guard on what a person is typing and the features ask this
 * instead of re-deriving the transition table's rules (roles, statuses, А7.2's return window, К11 …).
 */

export type ActionKind = 'accept' | 'return' | 'part' | 'draft' | 'publish' | 'designate' | 'approveAtDepartment' | 'returnAtDepartment' | 'approve' | 'sendToRework' | 'move' | 'setControlDate';

export interface ActionCandidate {
  kind: ActionKind;
  /** The assignment the action is about (accept, return, part, designate). */
  assignmentSeq?: number;
  /** The person a designation names. */
  executorId?: number;
  command: Command;
}

export interface ActionOptions {
  /** The people a department head may designate in a department (the adapter knows the staff). */
  executorsOf?: (departmentId: string) => readonly number[];
}

/** Stands in for what the person types after pressing the button (a reason, a text, a department). */
const TYPED_LATER = '…';

const active = (a: Assignment) => a.status === 'assigned' || a.status === 'accepted';

/** The commands a person could mean by each action on the case now, before any is checked. */
export function candidateActions(state: CaseState, actor: Actor, ctx: WorkflowContext, options: ActionOptions = {}): ActionCandidate[] {
  const out: ActionCandidate[] = [];
  const mine = state.assignments.filter((a) => actor.staffId !== null && a.executorId === actor.staffId && active(a));
  for (const a of mine) {
    const assignmentSeq = a.seq;
    out.push({ kind: 'accept', assignmentSeq, command: { type: 'accept', actor, assignmentSeq } });
    out.push({ kind: 'return', assignmentSeq, command: { type: 'returnCase', actor, assignmentSeq, reason: TYPED_LATER } });
    if (a.role === 'co_executor') out.push({ kind: 'part', assignmentSeq, command: { type: 'contributePart', actor, assignmentSeq, text: TYPED_LATER } });
    if (a.role === 'responsible') {
      out.push({ kind: 'draft', command: { type: 'saveDraft', actor, text: TYPED_LATER } });
    }
  }
  for (const a of state.assignments.filter((x) => x.executorId === null && active(x))) {
    for (const executorId of options.executorsOf?.(a.departmentId) ?? []) {
      out.push({ kind: 'designate', assignmentSeq: a.seq, executorId, command: { type: 'designateExecutor', actor, assignmentSeq: a.seq, executorId } });
    }
  }
  out.push({ kind: 'approveAtDepartment', command: { type: 'approveAtDepartment', actor } });
  out.push({ kind: 'returnAtDepartment', command: { type: 'returnAtDepartment', actor, comment: TYPED_LATER } });
  out.push({ kind: 'approve', command: { type: 'approve', actor } });
  out.push({ kind: 'sendToRework', command: { type: 'sendToRework', actor, comment: TYPED_LATER } });
  out.push({ kind: 'publish', command: { type: 'publish', actor } });
  // A returned case is routed again at triage; «move» is the misrouted case taken from its executor.
  if (state.status !== 'returned') out.push({ kind: 'move', command: { type: 'reassign', actor, departmentId: TYPED_LATER, comment: TYPED_LATER } });
  out.push({ kind: 'setControlDate', command: { type: 'setControlDate', actor, until: ctx.clock.now().toMillis() + 86_400_000 } });
  return out;
}

/** The decision `command` would get now, changing nothing (`decide` is pure). */
export function dryRun(state: CaseState, command: Command, ctx: WorkflowContext): Decision {
  return decide(state, command, ctx);
}

/** Every action the person may take on the case now: the candidates `decide` accepts. */
export function allowedActions(state: CaseState, actor: Actor, ctx: WorkflowContext, options: ActionOptions = {}): ActionCandidate[] {
  return candidateActions(state, actor, ctx, options).filter((c) => dryRun(state, c.command, ctx).ok);
}

/** A key naming one action (with its assignment and person), to look an action up among the allowed ones. */
export function actionKey(kind: ActionKind, assignmentSeq?: number | null, executorId?: number | null): string {
  return [kind, assignmentSeq ?? '', executorId ?? ''].join(':');
}

/** The allowed actions as a set of `actionKey`s. */
export function allowedKeys(state: CaseState, actor: Actor, ctx: WorkflowContext, options: ActionOptions = {}): Set<string> {
  return new Set(allowedActions(state, actor, ctx, options).map((c) => actionKey(c.kind, c.assignmentSeq, c.executorId)));
}
