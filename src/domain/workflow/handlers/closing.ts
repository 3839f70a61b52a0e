import { addDuration, beforeDue, dueOf, liveDeadline, liveDeadlines, workingEndAtOrBefore } from '../deadlines.js';
import type { Recipient } from '../effects.js';
import type { Deadline, Millis } from '../model.js';
import { refuse, requireText, type Handlers } from '../session.js';

/** Closing, and what may happen to an open case at any stage: terms, escalation, bans, recomputed deadlines (А7.8, А7.9, А10, А17). */
export const closingHandlers: Pick<Handlers, 'close' | 'extend' | 'setControlDate' | 'escalate' | 'banAuthor' | 'recomputeDeadlines'> = {
  close(h, cmd) {
    h.cancelAll();
    h.emit('closed', 'closed', {}, cmd.comment);
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
    h.emit('extended', 'same', { baseDueAt: base, until }, cmd.comment);
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
    h.emit('control_date_set', 'same', { until: cmd.until }, cmd.comment);
    if (r) h.notify(h.executorRecipient(r), 'extended');
  },

  escalate(h, cmd) {
    if (!h.reg.rules.urgentPushToHead) refuse('not_provided', 'the regulation does not provide for urgent reports to the head', {});
    if (h.s.urgent) refuse('already_done', 'already reported to the head', {});
    h.emit('escalated', 'same', {}, cmd.comment);
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
    h.emit('author_banned', 'same', { ban }, cmd.comment);
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
    h.emit('deadlines_recomputed', 'same', { reason: requireText(cmd.reason, 'reason') }, cmd.comment);
    // Everyone whose deadline moved is told (their card shows the new time).
    const told = new Set<string>();
    for (const d of moved) {
      const to: Recipient = d.staffId !== null ? { staffId: d.staffId } : { role: d.role ?? 'administrator', departmentId: d.departmentId };
      const key = JSON.stringify(to);
      if (!told.has(key)) h.notify(to, 'deadline_moved');
      told.add(key);
    }
  },
};
