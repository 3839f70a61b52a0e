import type { AppContext } from '../../kernel/context.js';
import type { Db } from '../../db/connection.js';
import { getKv, setKv } from '../../db/repositories/kv.js';
import { markEvent, pendingEvents } from '../../db/repositories/sources.js';
import { messageBySourceKey } from '../cases.js';
import { ingestThreaded, recordChange, type ThreadHints } from '../threads.js';
import { commentPostKv, maxCommentKey, maxKey, parseMaxKey } from './keys.js';
import { normalizeMaxUpdate, type NormalizedMaxUpdate } from './normalize.js';
import { coalescingDrain, inIngestBatch, isBatchRestart, type BatchEvents } from '../pending.js';

/**
 * Turns stored MAX updates into messages and cases, in order, each in its own savepoint of the batch's
 * transaction with its `source_events` mark (like the VK processor): a crash between storing and processing leaves the
 * update pending, processed at the next start; ingest dedupes on the source key, so one message is
 * one case however often MAX delivers it.
 */
export class MaxProcessor {
  constructor(private readonly app: AppContext) {}

  /** Processes everything pending; concurrent calls coalesce. */
  readonly processPending = coalescingDrain(() => {
    const batch = pendingEvents(this.app.db, 'max', 100);
    if (!batch.length) return 0;
    // One transaction per batch (one commit, not one per update); a failing update is rolled back alone
    // and marked failed (pending.ts `inIngestBatch`, as the VK processor).
    inIngestBatch(this.app, (batchTx, events) => {
      for (const row of batch) this.processOne(batchTx, events, row.id, row.eventKey, row.payload);
    });
    return batch.length;
  });

  private processOne(batchTx: Db, events: BatchEvents, id: number, eventKey: string, payload: unknown): void {
    const { app } = this;
    const now = Date.now();
    let n: NormalizedMaxUpdate;
    try {
      // Detection starts the answer term (К10, А7.3): the service clock. The comment → post map is read
      // in the batch, so an earlier update of the same batch is seen.
      n = normalizeMaxUpdate(payload, app.clock.now().toMillis(), (mid) => getKv(batchTx, commentPostKv(mid)) ?? mid);
    } catch (err) {
      n = { ok: false, ignored: false, reason: `not readable: ${(err as Error).message}` };
    }
    try {
      if (!n.ok) {
        if (!n.ignored) app.logger.warn({ event: eventKey, reason: n.reason }, 'max: update not readable, kept in source_events');
        markEvent(batchTx, id, n.ignored ? 'ignored' : 'failed', n.ignored ? n.reason : `rejected: ${n.reason}`, now);
        return;
      }
      const ok = n;
      events.event((tx) => {
        const note = this.apply(tx, ok);
        markEvent(tx, id, note.startsWith('ignored') ? 'ignored' : 'done', note, now);
      });
    } catch (err) {
      if (isBatchRestart(err)) throw err;
      app.logger.error({ err, event: eventKey }, 'max: update processing failed; kept as failed in source_events');
      try {
        markEvent(batchTx, id, 'failed', (err as Error).message?.slice(0, 500) ?? 'error', now);
      } catch {
        /* the database itself is failing: the update stays pending and is retried */
      }
    }
  }

  private apply(tx: Db, n: Extract<NormalizedMaxUpdate, { ok: true }>): string {
    const { app } = this;
    if (n.action === 'delete') {
      const stored = messageBySourceKey(tx, n.sourceKey);
      if (!stored) return 'ignored: delete of an unknown message';
      return recordChange(tx, app, stored, { action: 'delete', text: null, attachments: null, raw: null });
    }
    const msg = n.message;
    const stored = messageBySourceKey(tx, msg.sourceKey);
    if (n.post) setKv(tx, commentPostKv(n.post.commentId), n.post.postMid, Date.now());
    const hints = hintsOf(n);
    if (n.action === 'edit') {
      if (!stored) return `edit of an unknown message: ${ingestThreaded(tx, app, msg, hints)}`;
      return recordChange(tx, app, stored, { action: 'edit', text: msg.text, attachments: msg.attachments, raw: msg.raw });
    }
    if (stored) return `duplicate of message ${stored.id}`;
    return ingestThreaded(tx, app, msg, hints);
  }
}

/**
 * A dialog: the author's next message continues his open case by the dialogue rule (threads.ts), as in VK.
 * A comment: a reply under a comment of an open case, or under our answer there, is a follow-up.
 */
function hintsOf(n: Extract<NormalizedMaxUpdate, { action: 'new' | 'edit' }>): ThreadHints {
  const reply = n.replyToMid;
  if (n.post) return { replyToSourceKeys: reply ? [maxCommentKey(n.post.postMid, reply)] : [], replyToItemIds: [], replyToExternalIds: reply ? [reply] : [], dialogue: false };
  const chatId = parseMaxKey(n.message.sourceKey)!.chatId;
  return { replyToSourceKeys: reply ? [maxKey(chatId, reply)] : [], replyToItemIds: [], dialogue: true };
}
