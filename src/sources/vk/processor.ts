import type { API } from 'vk-io';
import type { AppContext } from '../../kernel/context.js';
import type { Db } from '../../db/connection.js';
import { vkPublishStatuses } from '../../db/repositories/outbox-lookups.js';
import type { SourceKind } from '../../domain/workflow/model.js';
import { markEvent, pendingEvents, type SourceEventRow } from '../../db/repositories/sources.js';
import { caseNumber, messageBySourceKey, recordPublication } from '../cases.js';
import { ingestThreaded, recordChange, type ThreadHints } from '../threads.js';
import { isObj, normalizeVkEvent, type NormalizedVkEvent, type VkEventEnvelope } from './normalize.js';
import { resolveNames } from './users.js';
import { tellAdministrators } from '../../kernel/staff-notices.js';
import { coalescingDrain, inIngestBatch, isBatchRestart } from '../pending.js';

/**
 * Turns stored VK events into messages and cases, in order, each in one transaction with its
 * `source_events` mark: a crash between storing and processing leaves the event `pending`, and it
 * is processed at the next start; ingest dedupes on the message's source key, so a redelivery with
 * a new event_id (or a catch-up scan finding the same comment) does not make a second message.
 */
export class VkProcessor {
  constructor(
    private readonly app: AppContext,
    private readonly api: API,
    private readonly groupId: number,
  ) {}

  /** Processes everything pending; concurrent calls coalesce. */
  readonly processPending = coalescingDrain(() => {
    const batch = pendingEvents(this.app.db, 'vk', 100);
    return batch.length ? this.processBatch(batch) : 0;
  });

  private async processBatch(batch: SourceEventRow[]): Promise<number> {
    const { app } = this;
    const now = Date.now();
    // Detection starts the regulation's answer term (К10, А7.3): the service clock, not the wall clock.
    const detectedAt = app.clock.now().toMillis();
    const normalized = batch.map((row) => {
      const payload = row.payload as VkEventEnvelope & { otklik_kind?: SourceKind };
      const env: VkEventEnvelope = isObj(payload) ? payload : { type: row.type, object: null };
      try {
        return normalizeVkEvent(env, { groupId: this.groupId, detectedAt, kind: payload?.otklik_kind });
      } catch (err) {
        // A shape normalization did not foresee: this event fails alone, the batch goes on.
        return { ok: false as const, ignored: false, reason: `not readable: ${(err as Error).message}` };
      }
    });
    const ids = normalized.flatMap((n) => (n.ok && n.event.fromId !== null && !n.event.fromCommunity ? [n.event.fromId] : []));
    const names = await resolveNames(app.db, this.api, ids, now, app.logger);
    // One transaction per long-poll batch (one commit, not one per event); a failing event is rolled
    // back alone and marked failed (pending.ts `inIngestBatch`: the batch then runs again, each event in
    // its own savepoint).
    return inIngestBatch(app, (batchTx, events) => {
      let done = 0;
      for (let i = 0; i < batch.length; i += 1) {
        const row = batch[i]!;
        const n = normalized[i]!;
        try {
          if (!n.ok) {
            if (!n.ignored) app.logger.warn({ event: row.eventKey, reason: n.reason }, 'vk: event not readable, kept in source_events');
            markEvent(batchTx, row.id, n.ignored ? 'ignored' : 'failed', n.reason, now);
          } else {
            const ev = n.event;
            if (ev.message && ev.fromId !== null) {
              const name = names.get(ev.fromId);
              if (name) ev.message.author = { ...ev.message.author, name: name.name, profileUrl: name.profileUrl };
            }
            events.event((tx) => {
              const note = this.apply(tx, ev);
              markEvent(tx, row.id, note.startsWith('ignored') ? 'ignored' : 'done', note, now);
            });
          }
        } catch (err) {
          if (isBatchRestart(err)) throw err;
          app.logger.error({ err, event: row.eventKey }, 'vk: event processing failed; kept as failed in source_events');
          try {
            markEvent(batchTx, row.id, 'failed', (err as Error).message?.slice(0, 500) ?? 'error', now);
          } catch {
            /* the database itself is failing: the event stays pending and is retried */
          }
        }
        done += 1;
      }
      return done;
    });
  }

  /** Applies one normalized event inside a transaction; returns a note for source_events. */
  private apply(tx: Db, ev: NormalizedVkEvent): string {
    const { app } = this;
    if (ev.fromCommunity) return this.ownComment(tx, ev);
    switch (ev.action) {
      case 'new': {
        if (!ev.message) return 'ignored: no message';
        // A redelivery is told by the message's unique source key when it is stored (ingestThreaded).
        return ingestThreaded(tx, app, ev.message, threadHints(ev));
      }
      case 'edit':
      case 'restore':
      case 'delete': {
        const stored = messageBySourceKey(tx, ev.sourceKey);
        if (!stored) {
          if (ev.action === 'delete' || !ev.message) return `ignored: ${ev.action} of an unknown message`;
          // An edit or restore of something we never saw (missed while down): collect it now.
          return `${ev.action} of an unknown message: ${ingestThreaded(tx, app, ev.message, threadHints(ev))}`;
        }
        return recordChange(tx, app, stored, {
          action: ev.action,
          text: ev.message?.text ?? null,
          attachments: ev.message?.attachments ?? null,
          raw: ev.message?.raw ?? null,
        });
      }
    }
  }

  /**
   * The community's own comment: not a case. When it answers a comment that has a case and was
   * written by hand in VK (not by our outbox), it is linked: the publication is recorded on the
   * case when an approved answer was waiting, and the administrator is told either way.
   */
  private ownComment(tx: Db, ev: NormalizedVkEvent): string {
    const { app } = this;
    if (ev.action !== 'new' || !ev.replyToSourceKey) return 'ignored: own comment';
    const commentId = ev.ref.itemId;
    const ours = vkPublishStatuses(tx, ev.replyToSourceKey);
    if (ours.some((o) => o.status === 'sent' || o.status === 'sending' || o.status === 'pending')) {
      // Published (or being published) by Otklik itself: the sender records it.
      return 'ignored: own comment published by Otklik';
    }
    const target = messageBySourceKey(tx, ev.replyToSourceKey) ?? ev.parentSourceKeys.map((k) => messageBySourceKey(tx, k)).find(Boolean);
    if (!target || target.caseId === null) return 'ignored: own comment, not under a case';
    const link = ev.message?.permalink ?? null;
    const recorded = recordPublication(tx, target.caseId, { externalId: commentId ? String(commentId) : null, permalink: link }, app);
    const caseNo = caseNumber(tx, target.caseId) ?? target.caseId;
    tellAdministrators(app, tx, (l) => app.t(l, 'sources-manual-reply-linked', { case: caseNo, link: link ?? '' }), {
      key: `vk:manual:${ev.sourceKey}`,
      caseId: target.caseId,
    });
    return `own comment answering case ${target.caseId}${recorded ? ', publication recorded' : ''}`;
  }
}

/** What a VK event replies to, for threads.ts. */
export function threadHints(ev: NormalizedVkEvent): ThreadHints {
  const keys = [...(ev.replyToSourceKey ? [ev.replyToSourceKey] : []), ...[...ev.parentSourceKeys].reverse()];
  const ids = keys.flatMap((k) => {
    const m = /_(\d+)$/.exec(k);
    return m && k.split('_').length === 3 ? [Number(m[1])] : [];
  });
  return { replyToSourceKeys: [...new Set(keys)], replyToItemIds: [...new Set(ids)], dialogue: ev.kind === 'vk_message' };
}
