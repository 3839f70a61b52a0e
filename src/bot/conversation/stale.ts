import type { CaseState } from '../../domain/workflow/model.js';
import { liveDeadline } from '../../domain/workflow/index.js';
import type { Conversation } from './store.js';

const DRAFTING = ['in_work', 'drafting', 'rework', 'awaiting_final', 'awaiting_author'];
const ACTIVE = ['assigned', 'accepted'];

/**
 * Whether what a person is typing into still fits the case as it is now (issue 5 §7). A conversation
 * is about one step of one case; when the case moved on — someone else acted, the case was closed,
 * the assignment was withdrawn — the typed input must not be applied to a step that is no longer there.
 * The checks mirror the buttons that open each kind (features/*.ts); the workflow still re-checks
 * whatever is then run.
 */
export function conversationFits(conv: Pick<Conversation, 'kind' | 'data' | 'staffId'>, s: CaseState): boolean {
  const me = conv.staffId;
  const bySeq = () => s.assignments.find((a) => a.seq === Number(conv.data['assignmentSeq']));
  const responsible = () => s.assignments.find((a) => a.role === 'responsible' && a.status === 'accepted');
  switch (conv.kind) {
    case 'draft': {
      const r = responsible();
      return !!r && r.executorId === me && DRAFTING.includes(s.status);
    }
    case 'part': {
      const a = bySeq();
      return !!a && a.executorId === me && a.role === 'co_executor' && a.status === 'accepted';
    }
    case 'return-reason': {
      const a = bySeq();
      return !!a && a.executorId === me && ACTIVE.includes(a.status);
    }
    case 'extension-reason': {
      const r = responsible();
      return !!r && r.executorId === me && !!(liveDeadline(s, 'answer') ?? liveDeadline(s, 'final_answer'));
    }
    case 'rework-comment':
      return s.status === 'on_approval';
    case 'dept-return-comment':
      return s.status === 'dept_review';
    case 'admin-topic':
    case 'admin-location':
      return ['new', 'assigned', 'returned'].includes(s.status);
    case 'admin-repeat-search':
      return ['new', 'returned'].includes(s.status);
    case 'admin-note':
      // A note goes with the first routing, or is the reason for moving a misrouted case.
      return ['new', 'returned', 'assigned', 'in_work', 'drafting', 'rework', 'awaiting_final'].includes(s.status);
    case 'control-date':
      return s.status === 'awaiting_final' && !liveDeadline(s, 'final_answer');
    default:
      return true;
  }
}

/**
 * Whether the person may still use what he is typing into: his roles can change (an administrator
 * demoted to executor) while an input stays open, so every typed text re-checks the role that opened it.
 * The same person only: a conversation belongs to whoever started it.
 */
export function conversationAllowed(
  conv: Pick<Conversation, 'kind' | 'staffId'>,
  who: { id: number; active: boolean; roles: readonly string[]; departmentId: string | null },
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
      const resp = s.assignments.find((a) => a.role === 'responsible' && (a.status === 'assigned' || a.status === 'accepted'));
      return who.roles.includes('department_head') && !!resp && resp.departmentId === who.departmentId;
    }
    default:
      // Executors' inputs (draft, part, return, extension) are tied to the assignment: conversationFits checks it.
      return true;
  }
}
