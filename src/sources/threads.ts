import type { AppContext } from '../kernel/context.js';
import type { Db } from '../db/connection.js';
import type { IncomingMessage } from '../domain/workflow/model.js';
import { tellAdministrators } from '../kernel/staff-notices.js';
import {
  attachFollowUp,
  caseNumber,
  casesOfMessage,
  closedCasesOfAuthor,
  ingest,
  insertMessageIfNew,
  lastPublicationAt,
  messageBySourceKey,
  notifyCaseHolders,
  casesOfAuthorInThread,
  publishedIds,
  storeRevision,
  type AuthorThreadCase,
  type RevisionAction,
  type StoredMessage,
} from './cases.js';
import { TERMINAL_STATUSES, type CaseStatus } from '../domain/workflow/model.js';

/**
 * Threads (docs/vk.md «Threads»). A new message from a citizen:
 *  1. the author's reply in the thread of a case AWAITING the author → joins it (`authorReplied`:
 *     the clarification came back; the repositories' default reply finder);
 *  2. the author's reply under our answer / under their own message of an OPEN case (a wall comment
 *     whose `reply_to_comment` or `parents_stack` points at a message of the case or at the comment
 *     we published) → joins it as a follow-up (`attachMessage`); a new PRIVATE message in the same
 *     dialogue joins the open case only within `DIALOGUE_FOLLOW_UP_MS` after our last answer on it;
 *  3. otherwise a new case. The administrators are offered it as a possible repeat only when the
 *     same author has a case CLOSED within `REPEAT_WINDOW_MS` and the new message is in the same
 *     thread (the same post) or is a private message; marking it is their decision.
 */
export const REPEAT_WINDOW_MS = 30 * 24 * 3600_000;
export const DIALOGUE_FOLLOW_UP_MS = 24 * 3600_000;

export interface ThreadHints {
  /** Source keys of what the message replies to (the comment it answers, then its ancestors). */
  replyToSourceKeys: string[];
  /** Comment ids it replies to (to recognise a reply under a comment we published). */
  replyToItemIds: number[];
  /** The same for networks whose ids are strings (a MAX comment id). */
  replyToExternalIds?: string[];
  /** A private dialogue: any new message by the author continues the open case. */
  dialogue: boolean;
}

export type IngestNote = string;

/**
 * Stores the message first — its unique source key tells a redelivery, so no look-up comes before —
 * then places it by the rules above. Call it in a transaction (or savepoint) of the event's own, rolled
 * back whole when this throws: the case is registered in it, without a savepoint of its own.
 */
export function ingestThreaded(tx: Db, app: AppContext, msg: IncomingMessage, hints: ThreadHints): IngestNote {
  const messageId = insertMessageIfNew(tx, msg, app.clock.now().toMillis());
  if (messageId === null) return `duplicate of message ${messageBySourceKey(tx, msg.sourceKey)?.id ?? '?'}`;
  const author = msg.author.externalId;
  // The author's cases in this thread, read once: the follow-up (rule 2), the reply (rule 1) and the
  // repeat offer (rule 3) are each a filter of them.
  const mine = author && msg.threadKey ? casesOfAuthorInThread(tx, msg.threadKey, author) : null;
  if (mine) {
    // The newest open case the message follows up (a case awaiting the author is rule 1, below).
    const open = mine.find((c) => c.network === msg.network && !TERMINAL_STATUSES.includes(c.status as CaseStatus) && c.status !== 'awaiting_author' && isFollowUp(tx, app, c.caseId, hints));
    if (open) {
      const r = attachFollowUp(tx, msg, open.caseId, app, messageId);
      if (r.ok) {
        const no = caseNumber(tx, open.caseId) ?? open.caseId;
        notifyCaseHolders(app, tx, open.caseId, (l) => app.t(l, 'sources-follow-up', { case: no, text: msg.text }), `follow-up:${msg.sourceKey}`);
        return `message ${r.messageId}, follow-up on case ${open.caseId}`;
      }
      app.logger.warn({ caseId: open.caseId, refusal: r.refusal }, 'sources: follow-up not attached; the message is stored without a case');
      return `message ${r.messageId} stored; follow-up refused by case ${open.caseId}: ${r.refusal}`;
    }
  }
  // Rule 1 as the repositories' default finder (`findCaseAwaitingAuthor`) answers it, from the same read.
  const awaiting = mine?.find((c) => c.status === 'awaiting_author')?.caseId ?? null;
  const r = ingest(tx, msg, app, () => awaiting, { messageId, inCallersTransaction: true });
  if (r.duplicate) return `duplicate of message ${r.messageId}`;
  if (r.attachedAsReply) return `message ${r.messageId}, the author's reply on case ${r.caseId}`;
  if (author) offerRepeat(tx, app, msg, r.caseId, hints, mine);
  return `message ${r.messageId}, case ${r.caseId}`;
}

function isFollowUp(tx: Db, app: AppContext, caseId: number, hints: ThreadHints): boolean {
  if (hints.dialogue) {
    const at = lastPublicationAt(tx, caseId);
    return at !== null && app.clock.now().toMillis() - at <= DIALOGUE_FOLLOW_UP_MS;
  }
  for (const key of hints.replyToSourceKeys) {
    const m = messageBySourceKey(tx, key);
    // Any case holding it: a reply under the message of a case joined into this one follows this one up.
    if (m && casesOfMessage(tx, m.id).includes(caseId)) return true;
  }
  // A reply to no comment (a top-level comment) cannot answer ours: no need to read them.
  if (!hints.replyToItemIds.length && !hints.replyToExternalIds?.length) return false;
  const ours = new Set(publishedIds(tx, caseId));
  return hints.replyToItemIds.some((id) => ours.has(String(id))) || (hints.replyToExternalIds ?? []).some((id) => ours.has(id));
}

function offerRepeat(tx: Db, app: AppContext, msg: IncomingMessage, caseId: number, hints: ThreadHints, mine: AuthorThreadCase[] | null): void {
  // A private message: any recently closed case of the author; elsewhere only one in the same thread.
  if (!hints.dialogue && !msg.threadKey) return;
  const closedSince = app.clock.now().toMillis() - REPEAT_WINDOW_MS;
  const earlier =
    !hints.dialogue && mine
      ? closedInThread(mine, msg.network, caseId, closedSince)
      : closedCasesOfAuthor(tx, msg.network, msg.author.externalId!, caseId, { closedSince, threadKey: hints.dialogue ? null : msg.threadKey });
  if (!earlier.length) return;
  const no = caseNumber(tx, caseId) ?? caseId;
  const list = earlier.map((c) => `№ ${c.number}`).join(', ');
  tellAdministrators(app, tx, (l) => app.t(l, 'sources-repeat-offer', { case: no, author: msg.author.name, earlier: list, link: msg.permalink ?? '—' }), { key: `repeat-offer:${caseId}`, caseId });
}

/** `closedCasesOfAuthor` in the thread (newest first, at most 3, except the new case), from the author's cases read once. */
function closedInThread(mine: AuthorThreadCase[], network: string, exceptCaseId: number, closedSince: number): { caseId: number; number: number }[] {
  const out: { caseId: number; number: number }[] = [];
  for (const c of mine) {
    if (c.network !== network || c.status !== 'closed' || c.closedAt === null || c.closedAt < closedSince) continue;
    // A case joined into another lives on in that one (listed itself when closed).
    if (c.joinedInto !== null) continue;
    if (c.caseId === exceptCaseId || out.some((o) => o.caseId === c.caseId)) continue;
    out.push({ caseId: c.caseId, number: c.number });
    if (out.length >= 3) break;
  }
  return out;
}

/**
 * An edit, deletion or restoration of a stored message: kept as a new revision (the message row and
 * its original raw payload stay), and whoever holds the case now is told — the executors of its open
 * assignments, else the administrators.
 */
export function recordChange(tx: Db, app: AppContext, stored: StoredMessage, change: { action: RevisionAction; text: string | null; attachments: unknown[] | null; raw: unknown }): string {
  const n = storeRevision(tx, {
    messageId: stored.id,
    sourceKey: stored.sourceKey,
    action: change.action,
    text: change.action === 'delete' ? null : change.text,
    attachments: change.action === 'delete' ? null : change.attachments,
    raw: change.raw,
    at: Date.now(),
  });
  if (stored.caseId === null) return `${change.action} of message ${stored.id} (revision ${n})`;
  const no = caseNumber(tx, stored.caseId) ?? stored.caseId;
  const key = change.action === 'edit' ? 'sources-message-edited' : change.action === 'delete' ? 'sources-message-deleted' : 'sources-message-restored';
  const told = notifyCaseHolders(
    app,
    tx,
    stored.caseId,
    (l) => app.t(l, key, { case: no, text: change.text ?? '', original: stored.text, link: stored.permalink ?? '—' }),
    `${change.action}:${stored.sourceKey}:${n}`,
  );
  return `${change.action} of message ${stored.id} (revision ${n}), ${told} told`;
}
