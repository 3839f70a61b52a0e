import { dueOf, liveDeadline } from '../deadlines.js';
import { acknowledged, refuse, type Handlers } from '../session.js';

/** Registration and triage: the case is opened, sorted, or turned away (К6, К8, К9, К17, К19 · А6.2, А7.1, А7.11, А7.12, А9). */
export const triageHandlers: Pick<Handlers, 'register' | 'attachMessage' | 'triage' | 'reject' | 'markNotCompetent' | 'markRepeat'> = {
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
      cmd.comment,
    );
    h.notify({ role: 'administrator', departmentId: null }, 'new_case');
  },

  attachMessage(h, cmd) {
    if (h.s.messageIds.includes(cmd.messageId)) refuse('already_done', 'message already in the case', { messageId: cmd.messageId });
    h.emit('message_attached', 'same', { messageId: cmd.messageId }, cmd.comment);
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
      cmd.comment,
    );
    if (acknowledge) h.effect({ type: 'acknowledgeAuthor', caseId: s.id, messageId: h.messageId() });
    if (level.urgent && h.ctx.urgentImportancePushes && h.reg.rules.urgentPushToHead && !h.s.urgent) {
      h.emit('escalated', 'same', {}, null, 'escalate');
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
    h.emit('rejected', 'rejected', { reasonId: reason.id }, cmd.comment);
  },

  markNotCompetent(h, cmd) {
    const body = cmd.outsideBodyId ?? null;
    if (h.reg.rules.notifyNotCompetent && !body) refuse('invalid', 'the responsible outside body is required (А7.12)', { field: 'outsideBodyId' });
    h.close(['route', 'reassign'], 'met');
    h.cancelAll();
    h.emit('marked_not_competent', 'not_competent', { outsideBodyId: body }, cmd.comment);
    if (h.reg.rules.notifyNotCompetent && body) {
      h.effect({ type: 'notifyAuthorNotCompetent', caseId: h.s.id, messageId: h.messageId(), outsideBodyId: body });
    }
  },

  markRepeat(h, cmd) {
    if (!Number.isInteger(cmd.repeatOf) || cmd.repeatOf <= 0 || cmd.repeatOf === h.s.id) {
      refuse('invalid', 'repeatOf must be another case', { field: 'repeatOf' });
    }
    if (h.s.repeatOf === cmd.repeatOf) refuse('already_done', 'already marked as a repeat of that case', { repeatOf: cmd.repeatOf });
    h.emit('marked_repeat', 'same', { repeatOf: cmd.repeatOf }, cmd.comment);
  },
};
