import type { Session } from './session.js';
import type { CommandOf } from './command-types.js';
import type { Draft, DraftVersion } from './model.js';
import { refusal, type Refusal } from './refusals.js';

/**
 * Joining cases (К17 · А7.11, duplicates): several citizens write about the same pothole. The
 * administrator joins a later case to an earlier open one: the later case closes as joined (its
 * deadlines cancelled: it is no longer a case of its own), its first message becomes part of the
 * earlier case, and the earlier case's answer goes to every joined author in his own thread, each
 * with its own idempotency key. Two commands, one per case, run in one transaction by the runner.
 */

/** Why the later case may not be joined into the earlier one (null when it may), from both states. */
export function joinRefusal(later: { id: number; status: string; joined?: unknown[] }, earlier: { id: number; status: string; repeatOf: number | null } | null): Refusal | null {
  if (!earlier) return refusal('not_found', 'the earlier case is not found', {});
  if (earlier.id === later.id) return refusal('invalid', 'a case cannot be joined to itself', { field: 'intoCaseId' });
  if (later.joined?.length) return refusal('invalid', 'other cases are joined to this one', { field: 'caseId' });
  if (earlier.repeatOf === later.id) return refusal('invalid', 'the earlier case refers to this one', { field: 'intoCaseId' });
  return null;
}

export function joinInto(h: Session, cmd: CommandOf<'joinInto'>): void {
  if (!Number.isInteger(cmd.intoCaseId) || cmd.intoCaseId <= 0 || cmd.intoCaseId === h.s.id) {
    h.refuse('invalid', 'intoCaseId must be another case', { field: 'intoCaseId' });
  }
  if (h.s.joined?.length) h.refuse('invalid', 'other cases are joined to this one', { field: 'caseId' });
  h.close(['route', 'reassign'], 'met');
  h.cancelAll();
  h.emit('joined_into', 'closed', { intoCaseId: cmd.intoCaseId, intoNumber: cmd.intoNumber }, cmd.comment);
}

export function acceptJoined(h: Session, cmd: CommandOf<'acceptJoined'>): void {
  const j = cmd.joined;
  if (!Number.isInteger(j.caseId) || j.caseId === h.s.id) h.refuse('invalid', 'another case is joined', { field: 'caseId' });
  if ((h.s.joined ?? []).some((x) => x.caseId === j.caseId)) h.refuse('already_done', 'that case is already joined', { caseId: j.caseId });
  if (h.s.messageIds.includes(j.messageId)) h.refuse('already_done', 'message already in the case', { messageId: j.messageId });
  h.emit('case_joined', 'same', { caseId: j.caseId, number: j.number, messageId: j.messageId }, cmd.comment);
}

/** The answer's copies for the joined authors: one `publishReply` per joined message, each with its own key. */
export function joinedReplies(h: Session, d: Draft, v: DraftVersion): void {
  for (const j of h.s.joined ?? []) {
    h.effect({
      type: 'publishReply',
      caseId: h.s.id,
      draftSeq: d.seq,
      kind: d.kind,
      text: v.text,
      attachments: v.attachments,
      replyToMessageId: j.messageId,
      guid: `otklik-${h.s.id}-${d.seq}-${v.n}-j${j.caseId}`,
      joinedCaseId: j.caseId,
    });
  }
}

/** A case closed by `joinInto`: closed with an earlier case named and no answer of its own (no other step closes so). */
export function isJoinedCase(s: { status: string; repeatOf: number | null; publications: readonly unknown[] }): boolean {
  return s.status === 'closed' && s.repeatOf !== null && s.publications.length === 0;
}
