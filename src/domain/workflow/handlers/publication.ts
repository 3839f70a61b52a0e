import { addDuration, addWorkingMinutes, liveDeadline, workingMinutesBetween } from '../deadlines.js';
import type { Draft } from '../model.js';
import { refuse, type Handlers, type Session } from '../session.js';
import { joinedReplies } from '../join.js';

/** The approved answer is published and the publication recorded; a clarification waits for the author (К6, К14, К15 · А6.2, А7.7, А7.8). */
export const publicationHandlers: Pick<Handlers, 'publish' | 'recordPublication' | 'authorReplied'> = {
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
    // the network refused it: the administrator is the one told of the refusal.
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
      h.emit('published', 'published', { publication }, cmd.comment);
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
      h.emit('published', 'awaiting_final', { publication }, cmd.comment);
      // А7.8 «срок или условия»: conditions without a date → the administrator sets the control date.
      if (controlDateNeeded) h.notify({ role: 'administrator', departmentId: null }, 'control_date_needed');
    } else {
      h.emit('published', 'awaiting_author', { publication }, cmd.comment);
      const answer = liveDeadline(h.s, 'answer');
      if (answer && answer.status === 'open') h.change({ op: 'pause', seq: answer.seq, at: h.now });
      h.close('draft_submission', 'cancelled');
      h.emit('clock_paused', 'same', {}, null);
    }
    h.notify({ role: 'administrator', departmentId: null }, 'published');
    if (r && reg.rules.publisher !== 'executor') h.notify(h.executorRecipient(r), 'published');
  },

  authorReplied(h, cmd) {
    const s = h.s;
    if (s.messageIds.includes(cmd.messageId)) refuse('already_done', 'message already in the case', { messageId: cmd.messageId });
    h.emit('author_replied', 'drafting', { messageId: cmd.messageId }, cmd.comment);
    const answer = liveDeadline(h.s, 'answer');
    let paused = 0;
    let dueAt = answer?.dueAt;
    if (answer && answer.status === 'paused' && answer.pausedAt !== null) {
      paused = workingMinutesBetween(h.wt, answer.pausedAt, h.now);
      dueAt = addWorkingMinutes(h.wt, answer.dueAt, paused);
      h.change({ op: 'resume', seq: answer.seq, at: h.now, dueAt, pausedMinutes: answer.pausedMinutes + paused });
    }
    h.openDraftSubmission(dueAt);
    h.emit('clock_resumed', 'same', { pausedMinutes: paused }, null);
    const r = h.responsible();
    if (r) h.notify(h.executorRecipient(r), 'author_replied');
  },
};

/** The text the author reads: a repeat's measures (К17, А7.11) are part of the answer, never left out. */
export function publishedText(d: Draft): string {
  const v = d.versions[d.versions.length - 1]!;
  const m = d.measures?.trim();
  return m && !v.text.includes(m) ? `${v.text}\n\n${m}` : v.text;
}

export function requestPublication(h: Session, d: Draft): void {
  const s = h.s;
  const v = d.versions[d.versions.length - 1]!;
  h.emit('publish_requested', 'same', { draftSeq: d.seq }, null, 'publish');
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
