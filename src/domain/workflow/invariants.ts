import type { Regulation } from '../regulation/schema.js';
import type { CaseState, DeadlineKind } from './model.js';
import { CASE_STATUSES, TERMINAL_STATUSES } from './model.js';

/**
 * What must always hold for a case (checked by the property test and usable as a DB health check).
 * Returns the violations; empty when the case is consistent.
 */
export function checkInvariants(s: CaseState, regulation: Regulation): string[] {
  const v: string[] = [];
  const live = (k: DeadlineKind) => s.deadlines.filter((d) => d.kind === k && (d.status === 'open' || d.status === 'paused'));
  const open = (k: DeadlineKind) => s.deadlines.filter((d) => d.kind === k && d.status === 'open');
  const need = (k: DeadlineKind, what = 'open') => {
    if ((what === 'open' ? open(k) : live(k)).length !== 1) v.push(`${s.status}: exactly one ${what} ${k} deadline expected`);
  };

  if (!CASE_STATUSES.includes(s.status)) v.push(`unknown status ${s.status}`);
  s.deadlines.forEach((d, i) => {
    if (d.seq !== i + 1) v.push(`deadline seq ${d.seq} at position ${i + 1}`);
    if (d.status === 'paused' && s.status !== 'awaiting_author') v.push(`deadline ${d.seq} paused outside awaiting_author`);
    if ((d.status === 'met' || d.status === 'cancelled') && d.closedAt === null) v.push(`deadline ${d.seq} closed without closedAt`);
    if (d.status === 'open' && !Number.isFinite(d.dueAt)) v.push(`deadline ${d.seq} has no due`);
  });
  const kinds = new Set(s.deadlines.filter((d) => d.status === 'open' || d.status === 'paused').map((d) => `${d.kind}:${d.assignmentSeq ?? ''}`));
  if (kinds.size !== s.deadlines.filter((d) => d.status === 'open' || d.status === 'paused').length) v.push('two live deadlines of the same kind');

  if (TERMINAL_STATUSES.includes(s.status)) {
    if (s.deadlines.some((d) => d.status === 'open' || d.status === 'paused')) v.push(`${s.status}: live deadlines left`);
    if (s.closedAt === null) v.push(`${s.status}: closedAt missing`);
  }
  const responsible = s.assignments.filter((a) => a.role === 'responsible' && (a.status === 'assigned' || a.status === 'accepted'));
  if (responsible.length > 1) v.push('more than one active responsible executor');
  const activeDrafts = s.drafts.filter((d) => d.status !== 'published' && d.status !== 'superseded');
  if (activeDrafts.length > 1) v.push('more than one active draft');
  const current = activeDrafts[0];

  switch (s.status) {
    case 'new':
      if (live('answer').length !== 1) v.push('new: answer deadline expected');
      if (regulation.windows.routing && s.deadlines.filter((d) => d.kind === 'route').length !== 1) v.push('new: route deadline expected');
      if (s.assignments.length > 0) v.push('new: no assignments expected');
      break;
    case 'assigned':
    case 'in_work':
    case 'drafting':
      if (responsible.length !== 1) v.push(`${s.status}: an active responsible executor expected`);
      if (live('answer').length + open('final_answer').length !== 1) v.push(`${s.status}: an answer or final-answer deadline expected`);
      if (s.status === 'in_work' && responsible[0]?.status !== 'accepted') v.push('in_work: the responsible executor has accepted');
      break;
    case 'returned':
      if (responsible.length !== 0) v.push('returned: no active responsible executor expected');
      if (regulation.windows.reassign) need('reassign');
      break;
    case 'dept_review':
      if (regulation.windows.departmentHeadApproval) need('dept_review');
      if (live('answer').length + live('draft_submission').length + live('rework').length + live('final_answer').length === 0) v.push('dept_review: a term deadline expected');
      if (current?.status !== 'dept_review') v.push('dept_review: draft in dept_review expected');
      break;
    case 'on_approval':
      need('approval');
      if (current?.status !== 'on_approval') v.push('on_approval: draft on_approval expected');
      break;
    case 'rework':
      need('rework');
      if (current?.status !== 'rework') v.push('rework: draft in rework expected');
      break;
    case 'approved':
      need('publish');
      if (current?.status !== 'approved') v.push('approved: approved draft expected');
      break;
    case 'awaiting_final':
      need('final_answer');
      if (s.publications[s.publications.length - 1]?.kind !== 'intermediate') v.push('awaiting_final: last publication is intermediate');
      break;
    case 'awaiting_author':
      if (s.deadlines.filter((d) => d.kind === 'answer' && d.status === 'paused').length !== 1) v.push('awaiting_author: paused answer deadline expected');
      break;
    case 'published':
      if (s.publications[s.publications.length - 1]?.kind !== 'final') v.push('published: last publication is final');
      if (live('answer').length || live('final_answer').length) v.push('published: answer deadlines must be met');
      break;
    default:
      break;
  }
  return v;
}
