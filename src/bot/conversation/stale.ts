import type { Actor, CaseState } from '../../domain/workflow/model.js';
import type { Role } from '../../domain/regulation/schema.js';
import { agreesFor, dryRun, liveDeadline, type Command, type WorkflowContext } from '../../domain/workflow/index.js';
import type { Conversation } from '../../db/repositories/conversations.js';

/** Stands in for what the person is still typing. */
const TYPED = '…';

/**
 * The workflow command each kind of input ends in. Whether the input still fits is the workflow's
 * answer for that command (a dry run of `decide`), not a list of statuses kept here.
 */
const COMMAND_OF: Record<string, (conv: Pick<Conversation, 'data'>, s: CaseState, actor: Actor, now: number) => Command> = {
  draft: (_c, _s, actor) => ({ type: 'saveDraft', actor, text: TYPED }),
  part: (c, _s, actor) => ({ type: 'contributePart', actor, assignmentSeq: Number(c.data['assignmentSeq']), text: TYPED }),
  'return-reason': (c, _s, actor) => ({ type: 'returnCase', actor, assignmentSeq: Number(c.data['assignmentSeq']), reason: TYPED }),
  'rework-comment': (_c, _s, actor) => ({ type: 'sendToRework', actor, comment: TYPED }),
  'dept-return-comment': (_c, _s, actor) => ({ type: 'returnAtDepartment', actor, comment: TYPED }),
  'admin-topic': (_c, _s, actor) => ({ type: 'triage', actor, topic: TYPED }),
  'admin-location': (_c, _s, actor) => ({ type: 'triage', actor, location: TYPED }),
  // Joining this (later) case to an earlier one (К17 · А7.11).
  'admin-join-search': (_c, s, actor) => ({ type: 'joinInto', actor, intoCaseId: s.id === Number.MAX_SAFE_INTEGER ? 1 : Number.MAX_SAFE_INTEGER, intoNumber: 0 }),
  'admin-repeat-search': (_c, s, actor) => ({ type: 'markRepeat', actor, repeatOf: s.id === Number.MAX_SAFE_INTEGER ? 1 : Number.MAX_SAFE_INTEGER }),
  // A note goes with the first routing, or is the reason for moving (or routing again) a case.
  'admin-note': (_c, s, actor) => (s.status === 'new' ? { type: 'assign', actor, assignments: [{ departmentId: TYPED }] } : { type: 'reassign', actor, departmentId: TYPED, comment: TYPED }),
  'control-date': (_c, _s, actor, now) => ({ type: 'setControlDate', actor, until: now + 86_400_000 }),
  // The administrator records an answer he published by hand.
  'manual-publication-link': (_c, _s, actor) => ({ type: 'recordPublication', actor }),
};

/**
 * Whether what a person is typing into still fits the case as it is now. A conversation is about one
 * step of one case; when the case moved on — someone else acted, the case was closed, the assignment
 * was withdrawn — the typed input must not be applied to a step that is no longer there. A kind this
 * guard does not know does not fit.
 */
export function conversationFits(conv: Pick<Conversation, 'kind' | 'data' | 'staffId'>, s: CaseState, actor: Actor, ctx: WorkflowContext): boolean {
  if (conv.kind === 'extension-reason') {
    // A request to the administrator, not a step of the executor's own: his answer term must still be open.
    const r = s.assignments.find((a) => a.role === 'responsible' && a.status === 'accepted');
    return !!r && r.executorId === conv.staffId && !!(liveDeadline(s, 'answer') ?? liveDeadline(s, 'final_answer'));
  }
  const commandOf = COMMAND_OF[conv.kind];
  if (!commandOf) return false;
  const r = dryRun(s, commandOf(conv, s, actor, ctx.clock.now().toMillis()), ctx);
  // A return typed after А7.2's window gets the window's own refusal when sent, not «the case moved on».
  return r.ok || (conv.kind === 'return-reason' && r.refusal.code === 'window_closed');
}

/**
 * Whether the person may still use what he is typing into: his roles can change (an administrator
 * demoted to executor) while an input stays open, so every typed text re-checks the role that opened it.
 * The same person only: a conversation belongs to whoever started it.
 */
export function conversationAllowed(
  conv: Pick<Conversation, 'kind' | 'staffId'>,
  who: { id: number; active: boolean; roles: readonly string[]; departmentId: string | null; supervises?: string[] | null },
  s: CaseState,
): boolean {
  if (!who.active || (conv.staffId !== null && conv.staffId !== who.id)) return false;
  switch (conv.kind) {
    case 'admin-topic':
    case 'admin-location':
    case 'admin-repeat-search':
    case 'admin-note':
    case 'rework-comment':
      return who.roles.includes('administrator');
    case 'dept-return-comment': {
      // К11: the unit's head or the deputy supervising it — the workflow's own rule.
      const resp = s.assignments.find((a) => a.role === 'responsible' && (a.status === 'assigned' || a.status === 'accepted'));
      return !!resp && agreesFor({ staffId: who.id, name: '', roles: who.roles as Role[], departmentId: who.departmentId, supervises: who.supervises ?? [] }, resp.departmentId);
    }
    default:
      // Executors' inputs (draft, part, return, extension) are tied to the assignment: conversationFits checks it.
      return true;
  }
}
