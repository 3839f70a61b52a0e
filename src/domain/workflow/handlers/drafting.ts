import { addDuration, liveDeadline } from '../deadlines.js';
import type { DraftKind } from '../model.js';
import { departmentStep, refuse, requireText, type Handlers, type Session } from '../session.js';
import type { CommandOf } from '../command-types.js';

/** The executor writes the answer and sends it for agreement (К11, К13, К15, К17 · А7.4, А7.6, А7.8, А7.11). */
export const draftingHandlers: Pick<Handlers, 'saveDraft' | 'submitDraft'> = {
  saveDraft(h, cmd) {
    draft(h, cmd, false);
  },

  submitDraft(h, cmd) {
    draft(h, cmd, true);
  },
};

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
    h.emit('draft_saved', inRework ? 'same' : 'drafting', { ...base, draftStatus: inRework ? 'rework' : 'editing' }, cmd.comment);
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
  h.emit('draft_submitted', toDepartment ? 'dept_review' : 'on_approval', { ...base, draftStatus: toDepartment ? 'dept_review' : 'on_approval' }, cmd.comment);
  if (toDepartment) {
    h.notify({ role: 'department_head', departmentId: r.departmentId }, 'draft_for_department_review');
    h.notify({ role: 'deputy', departmentId: r.departmentId }, 'draft_for_department_review');
  } else h.notify({ role: 'administrator', departmentId: null }, 'draft_for_approval');
}
