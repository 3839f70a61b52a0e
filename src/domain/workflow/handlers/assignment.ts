import { liveDeadlines, returnWindowEnd } from '../deadlines.js';
import type { Assignment } from '../model.js';
import { ACTIVE, acknowledged, refuse, requireText, type Handlers, type Session } from '../session.js';

/** Routing to departments and executors: assign, designate, accept, return, reassign, co-executors' parts (К7, К9, К16 · А6.3, А7.2, А7.10). */
export const assignmentHandlers: Pick<Handlers, 'assign' | 'designateExecutor' | 'accept' | 'returnCase' | 'reassign' | 'contributePart'> = {
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
    const list = items.map((it, i) =>
      newAssignment(h, {
        seq: base + i + 1,
        departmentId: it.departmentId,
        executorId: it.executorId,
        role: i === responsibleIndex ? 'responsible' : 'co_executor',
        order: it.order ?? maxOrder + i + 1,
      }),
    );
    if (first) h.close('route', 'met');
    // А7.1: routing without a triage is the moment the message is accepted for consideration.
    const acknowledge = first && h.reg.rules.acknowledgeAuthor && !acknowledged(s);
    const resp = list.find((a) => a.role === 'responsible');
    if (resp) h.retargetResponsible(resp);
    for (const a of list) if (a.role === 'co_executor') h.openPart(a);
    h.emit('assigned', first ? 'assigned' : 'same', { assignments: list }, cmd.comment);
    if (acknowledge) h.effect({ type: 'acknowledgeAuthor', caseId: s.id, messageId: h.messageId() });
    for (const a of list) notifyAssigned(h, a);
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
    h.emit('executor_designated', 'same', { assignmentSeq: a.seq, executorId: ex.executorId!, substituteFor: ex.substituteFor }, cmd.comment);
    h.notify({ staffId: ex.executorId! }, 'assigned');
  },

  accept(h, cmd) {
    const a = h.pickAssignment(cmd.assignmentSeq, (x) => x.status === 'assigned');
    if (a.status !== 'assigned') refuse(a.status === 'accepted' ? 'already_done' : 'wrong_state', 'the assignment is not waiting for acceptance', { assignmentStatus: a.status });
    if (a.executorId === null) refuse('no_executor', 'the department head designates the executor first', { departmentId: a.departmentId });
    if (a.role === 'responsible') {
      h.openDraftSubmission();
      h.emit('accepted', 'in_work', { assignmentSeq: a.seq }, cmd.comment);
    } else {
      h.emit('accepted', 'same', { assignmentSeq: a.seq }, cmd.comment);
    }
  },

  returnCase(h, cmd) {
    const a = h.pickAssignment(cmd.assignmentSeq, (x) => ACTIVE.includes(x.status));
    if (!ACTIVE.includes(a.status)) refuse('wrong_state', 'the assignment is not active', { assignmentStatus: a.status });
    const reason = requireText(cmd.reason, 'reason');
    const w = h.reg.windows.executorReturn;
    const until = returnWindowEnd(h.reg, h.wt, a);
    if (h.now > until) refuse('window_closed', `the return window (${w.clause}) is over`, { until, clause: w.clause });
    if (a.role === 'responsible') {
      h.close('draft_submission', 'cancelled');
      if (h.reg.windows.reassign) {
        h.open('reassign', { clause: h.reg.windows.reassign.clause, role: 'administrator', duration: h.reg.windows.reassign.duration });
      }
      h.emit('returned', 'returned', { assignmentSeq: a.seq, reason }, cmd.comment);
    } else {
      h.close('co_executor_part', 'cancelled', (d) => d.assignmentSeq === a.seq);
      h.emit('returned', 'same', { assignmentSeq: a.seq, reason }, cmd.comment);
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
    const next = newAssignment(h, { seq: s.assignments.length + 1, departmentId: cmd.departmentId, executorId: cmd.executorId, role: target.role, order: target.order });
    if (target.role === 'responsible') {
      h.close('reassign', 'met');
      h.close('draft_submission', 'cancelled');
      h.retargetResponsible(next);
      h.emit('reassigned', 'assigned', { withdrawnSeq: target.seq, assignment: next }, cmd.comment);
    } else {
      h.close('co_executor_part', 'cancelled', (d) => d.assignmentSeq === target.seq);
      h.openPart(next);
      h.emit('reassigned', 'same', { withdrawnSeq: target.seq, assignment: next }, cmd.comment);
    }
    notifyAssigned(h, next);
  },

  contributePart(h, cmd) {
    const a = h.pickAssignment(cmd.assignmentSeq, (x) => x.role === 'co_executor' && ACTIVE.includes(x.status));
    if (a.role !== 'co_executor') refuse('invalid', 'only a co-executor sends a part; the responsible executor writes the joint answer', { field: 'assignmentSeq' });
    if (a.status === 'part_submitted') refuse('already_done', 'the part was already sent', { assignmentSeq: a.seq });
    if (!ACTIVE.includes(a.status)) refuse('wrong_state', 'the assignment is not active', { assignmentStatus: a.status });
    const text = requireText(cmd.text, 'text');
    h.close('co_executor_part', 'met', (d) => d.assignmentSeq === a.seq);
    h.emit('part_contributed', 'same', { assignmentSeq: a.seq, text, attachments: cmd.attachments ?? [] }, cmd.comment);
    const r = h.responsible();
    if (r) h.notify(h.executorRecipient(r), 'part_contributed');
    h.notify({ role: 'administrator', departmentId: null }, 'part_contributed');
  },
};

/** A new assignment, to the named executor or his substitute (А6.3); assign and reassign both place one. */
function newAssignment(h: Session, o: { seq: number; departmentId: string; executorId: number | null | undefined; role: Assignment['role']; order: number }): Assignment {
  const ex = h.resolveExecutor(o.executorId);
  return {
    seq: o.seq,
    departmentId: o.departmentId,
    executorId: ex.executorId,
    role: o.role,
    order: o.order,
    status: 'assigned',
    assignedAt: h.now,
    acceptedAt: null,
    returnedAt: null,
    returnReason: null,
    substituteFor: ex.substituteFor,
    part: null,
  };
}

/** The executor is told; a department named without one asks its head to designate him (К7). */
function notifyAssigned(h: Session, a: Assignment): void {
  h.notify(h.executorRecipient(a), a.executorId === null ? 'designate_executor' : 'assigned');
}
