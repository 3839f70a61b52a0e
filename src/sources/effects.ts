import { DateTime } from 'luxon';
import type { AppContext } from '../kernel/context.js';
import type { Db } from '../db/connection.js';
import { outsideBodyById } from '../db/repositories/staff.js';
import type { Effect, EffectType } from '../domain/workflow/effects.js';
import { Priority, type OutboxRow } from '../outbox/queue.js';
import { caseNumber, messageById, recordPublication, type StoredMessage } from './cases.js';
import { recordModeration } from '../db/repositories/sources.js';
import { authorText, greeting } from '../kernel/author-templates.js';
import type { PublishPayload } from './vk/channel.js';
import { parseTelegramKey } from './telegram-channel/keys.js';
import { parseMaxCommentKey, parseMaxKey } from './max/keys.js';
import type { MaxCommentPayload, MaxReplyPayload } from './max/channel.js';
import { manualPublicationKeyboard } from '../kernel/manual-publication.js';
import { tellAdministrators } from '../kernel/staff-notices.js';

type Handler<T extends EffectType> = (tx: Db, effect: Extract<Effect, { type: T }>, app: AppContext) => void;
export type SourceEffectHandlers = { [T in 'publishReply' | 'acknowledgeAuthor' | 'notifyAuthorNotCompetent' | 'notifyAuthorExtension' | 'banAuthor']: Handler<T> };

/**
 * The author-facing effects as outbox rows, in the command's transaction: the answer
 * and the notices go to the network of the case's message — VK (channel `vk`, action `publish`) or
 * the administration's Telegram channel (channel `telegram_channel`, action `reply`) or the citizens'
 * MAX bot (channel `max`, action `reply`: in the dialog). Messages from
 * other networks (registered by hand) are published by a person; the administrator is told.
 */
export function sourceEffectHandlers(_app?: AppContext): Partial<Record<EffectType, (tx: Db, effect: never, app: AppContext) => void>> {
  const handlers: SourceEffectHandlers = {
    publishReply: (tx, e, app) => {
      if (e.joinedCaseId !== undefined) return queueJoinedAnswer(tx, app, e);
      queueReply(tx, app, e.replyToMessageId, {
        purpose: 'answer',
        caseId: e.caseId,
        draftSeq: e.draftSeq,
        text: e.text,
        attachments: e.attachments,
        guid: e.guid,
        priority: Priority.normal,
      });
    },
    acknowledgeAuthor: (tx, e, app) => {
      const msg = requireMessage(tx, e.messageId);
      if (!msg) return;
      const text = authorText(app, 'author-ack', { greeting: greeting(app, msg.author.name), case: caseNo(tx, e.caseId), name: msg.author.name });
      queueReply(tx, app, e.messageId, { purpose: 'ack', caseId: e.caseId, text, guid: `ack-${e.caseId}-${e.messageId}`, priority: Priority.normal });
    },
    notifyAuthorNotCompetent: (tx, e, app) => {
      const msg = requireMessage(tx, e.messageId);
      if (!msg) return;
      const body = outsideBodyById(tx, e.outsideBodyId);
      const locale = app.org.organization.locale;
      const contacts = body?.contacts ? app.t(locale, 'author-not-competent-contacts', { contacts: body.contacts }) : '';
      const text = authorText(app, 'author-not-competent', {
        greeting: greeting(app, msg.author.name),
        case: caseNo(tx, e.caseId),
        name: msg.author.name,
        body: body?.name ?? e.outsideBodyId,
        contacts,
      });
      queueReply(tx, app, e.messageId, { purpose: 'not_competent', caseId: e.caseId, text, guid: `nc-${e.caseId}-${e.messageId}`, priority: Priority.normal });
    },
    notifyAuthorExtension: (tx, e, app) => {
      const msg = requireMessage(tx, e.messageId);
      if (!msg) return;
      const until = DateTime.fromMillis(e.until, { zone: app.org.organization.timezone }).toFormat('dd.MM.yyyy');
      const text = authorText(app, 'author-extension', { greeting: greeting(app, msg.author.name), case: caseNo(tx, e.caseId), name: msg.author.name, until });
      queueReply(tx, app, e.messageId, { purpose: 'extension', caseId: e.caseId, text, guid: `ext-${e.caseId}-${e.until}`, priority: Priority.normal });
    },
    banAuthor: (tx, e, app) => {
      queueBan(tx, app, {
        caseId: e.caseId,
        userId: e.authorExternalId,
        network: e.network,
        reasonId: e.reasonId,
        until: e.until,
        comment: e.comment,
        staffId: null,
        staffName: 'Отклик',
      });
    },
  };
  return handlers as unknown as Partial<Record<EffectType, (tx: Db, effect: never, app: AppContext) => void>>;
}

/**
 * The answer of a case for the author of a case joined to it, in that author's own thread: greeted by
 * his own name, told which case answered him. Purpose `joined_answer`: it does not record the case's
 * publication (the case's own answer does), and its guid is its own, so each goes out exactly once.
 */
function queueJoinedAnswer(tx: Db, app: AppContext, e: Extract<Effect, { type: 'publishReply' }>): void {
  const msg = requireMessage(tx, e.replyToMessageId);
  if (!msg) return;
  const text = authorText(app, 'author-joined-answer', { greeting: greeting(app, msg.author.name), case: caseNo(tx, e.caseId), name: msg.author.name, text: withoutGreeting(e.text) });
  queueReply(tx, app, e.replyToMessageId, { purpose: 'joined_answer', caseId: e.joinedCaseId!, draftSeq: e.draftSeq, text, attachments: e.attachments, guid: e.guid, priority: Priority.normal });
}

/** The answer without its opening greeting («Здравствуйте, Ольга!»): that greets the first author; the copy greets its own. */
export function withoutGreeting(text: string): string {
  const m = /^\s*(здравствуйте|добрый\s+(день|вечер)|доброе\s+утро|уважаем[а-яё]+)[^.!\n]{0,60}[.!]?\s*/iu.exec(text);
  const rest = m ? text.slice(m[0].length) : text;
  return rest.trim() ? rest : text;
}

function caseNo(tx: Db, caseId: number): number | string {
  return caseNumber(tx, caseId) ?? caseId;
}

function requireMessage(tx: Db, id: number): StoredMessage | null {
  return messageById(tx, id);
}

function queueReply(
  tx: Db,
  app: AppContext,
  messageId: number,
  r: { purpose: PublishPayload['purpose']; caseId: number; draftSeq?: number; text: string; attachments?: PublishPayload['attachments']; guid: string; priority: number },
): void {
  const msg = requireMessage(tx, messageId);
  if (!msg) {
    app.logger.error({ messageId, caseId: r.caseId }, 'sources: the message to answer is not stored');
    return;
  }
  const caseNumber = caseNo(tx, r.caseId);
  if (msg.network === 'vk' && msg.sourceKey.startsWith('vk:')) {
    const payload: PublishPayload = {
      purpose: r.purpose,
      caseId: r.caseId,
      caseNumber,
      ...(r.draftSeq !== undefined ? { draftSeq: r.draftSeq } : {}),
      sourceKey: msg.sourceKey,
      text: r.text,
      attachments: r.attachments ?? [],
      guid: r.guid,
    };
    app.enqueue(
      {
        channel: 'vk',
        action: 'publish',
        payload: payload as unknown as Record<string, unknown>,
        priority: r.priority,
        throttleKey: `vk:${msg.threadKey ?? msg.sourceKey}`,
        idempotencyKey: `vk:publish:${r.guid}`,
        caseId: r.caseId,
      },
      tx,
    );
    return;
  }
  const tg = parseTelegramKey(msg.sourceKey);
  if (tg) {
    app.enqueue(
      {
        channel: 'telegram_channel',
        action: 'reply',
        payload: { purpose: r.purpose, caseId: r.caseId, chat_id: tg.chatId, reply_to_message_id: tg.messageId, text: r.text, attachments: r.attachments ?? [] },
        priority: r.priority,
        throttleKey: `tg:${tg.chatId}`,
        idempotencyKey: `tgc:publish:${r.guid}`,
        caseId: r.caseId,
      },
      tx,
    );
    return;
  }
  const max = msg.network === 'max' ? (parseMaxKey(msg.sourceKey) ?? parseMaxCommentKey(msg.sourceKey)) : null;
  if (max) {
    const userId = Number(msg.author.externalId);
    const common = { purpose: r.purpose, caseId: r.caseId, userId: Number.isFinite(userId) ? userId : null, text: r.text, sendKey: `max:${r.guid}`, attachments: r.attachments ?? [] };
    const payload: MaxReplyPayload | MaxCommentPayload = 'chatId' in max ? { ...common, chatId: max.chatId, replyToMid: max.mid } : { ...common, postMid: max.postMid, commentId: max.commentId };
    app.enqueue(
      {
        channel: 'max',
        action: 'chatId' in max ? 'reply' : 'comment',
        payload: payload as unknown as Record<string, unknown>,
        priority: r.priority,
        throttleKey: 'chatId' in max ? `max:${max.chatId}` : `max:post:${max.postMid}`,
        idempotencyKey: `max:publish:${r.guid}`,
        caseId: r.caseId,
      },
      tx,
    );
    return;
  }
  // A message registered by hand (another network): a person publishes it.
  if (r.purpose === 'answer') {
    tellAdministrators(
      app,
      tx,
      // Not a failure: a network without an API is published by a person; the lines without data are left out.
      (l) =>
        [
          app.t(l, 'sources-publish-by-hand', { case: caseNumber, network: app.t(l, `network-${msg.network}`) }),
          msg.permalink ? app.t(l, 'sources-publish-by-hand-link', { link: msg.permalink }) : null,
          app.t(l, 'sources-publish-by-hand-text'),
          r.text,
        ]
          .filter((x) => x !== null)
          .join('\n'),
      { key: `manual-publish:${r.guid}`, caseId: r.caseId, keyboard: manualPublicationKeyboard(app, r.caseId) },
    );
  }
}

/** Ban an author (А10): recorded with who and why, then sent through the outbox (user token). */
export function queueBan(
  tx: Db,
  app: AppContext,
  b: { caseId: number | null; userId: string; network: string; reasonId: string; until: number | null; comment: string | null; staffId: number | null; staffName: string },
): number | null {
  if (b.network !== 'vk') {
    app.logger.warn({ network: b.network }, 'sources: bans are only supported in VK');
    return null;
  }
  const reason = app.regulation.banReasons.find((r) => r.id === b.reasonId);
  const vkReason = reason?.vkReason ?? 0;
  const now = Date.now();
  const id = recordModeration(tx, {
    network: 'vk',
    action: 'ban',
    targetId: b.userId,
    reasonId: b.reasonId,
    vkReason,
    endDate: b.until,
    comment: b.comment,
    caseId: b.caseId,
    staffId: b.staffId,
    staffName: b.staffName,
    createdAt: now,
  });
  app.enqueue(
    {
      channel: 'vk',
      action: 'ban',
      payload: { moderationId: id, userId: Number(b.userId), vkReason, until: b.until, comment: b.comment },
      priority: Priority.normal,
      idempotencyKey: `vk:ban:${id}`,
      caseId: b.caseId,
    },
    tx,
  );
  return id;
}

export function queueUnban(tx: Db, app: AppContext, u: { userId: string; staffId: number | null; staffName: string; comment?: string | null; caseId?: number | null }): number {
  const id = recordModeration(tx, {
    network: 'vk',
    action: 'unban',
    targetId: u.userId,
    comment: u.comment ?? null,
    caseId: u.caseId ?? null,
    staffId: u.staffId,
    staffName: u.staffName,
    createdAt: Date.now(),
  });
  app.enqueue({ channel: 'vk', action: 'unban', payload: { moderationId: id, userId: Number(u.userId) }, idempotencyKey: `vk:unban:${id}`, caseId: u.caseId ?? null }, tx);
  return id;
}

export function queueDeleteComment(
  tx: Db,
  app: AppContext,
  d: { sourceKey: string; authorId: string; staffId: number | null; staffName: string; comment: string | null; caseId?: number | null },
): number | null {
  const m = /^vk:wall:(-?\d+)_(\d+)_(\d+)$/.exec(d.sourceKey);
  if (!m) return null;
  const id = recordModeration(tx, {
    network: 'vk',
    action: 'delete_comment',
    targetId: d.authorId,
    ownerId: Number(m[1]),
    commentId: Number(m[3]),
    comment: d.comment,
    caseId: d.caseId ?? null,
    staffId: d.staffId,
    staffName: d.staffName,
    createdAt: Date.now(),
  });
  app.enqueue(
    { channel: 'vk', action: 'deleteComment', payload: { moderationId: id, ownerId: Number(m[1]), commentId: Number(m[3]) }, idempotencyKey: `vk:delete:${id}`, caseId: d.caseId ?? null },
    tx,
  );
  return id;
}

/**
 * Called by the outbox worker's onSent for `vk:publish` and `telegram_channel:reply` rows: an
 * answer that went out is recorded on the case (comment id and link shown on the card).
 */
export function onVkSent(app: AppContext, row: OutboxRow, result: Record<string, unknown> | null): void {
  const p = row.payload as { purpose?: string; caseId?: number };
  if (p.purpose !== 'answer' || typeof p.caseId !== 'number') return;
  const externalId = result?.commentId ?? result?.messageId ?? null;
  try {
    app.db.transaction((tx) => {
      recordPublication(tx, p.caseId!, { externalId: externalId === null ? null : String(externalId), permalink: (result?.permalink as string) ?? null }, app);
    });
  } catch (err) {
    app.logger.error({ err, caseId: p.caseId }, 'sources: could not record the publication on the case');
  }
}
