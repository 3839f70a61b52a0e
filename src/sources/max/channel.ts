import type { AppContext } from '../../kernel/context.js';
import type { ChannelAdapter, Failure, Sender } from '../../outbox/worker.js';
import { deleteKv, getKv, setKv } from '../../db/repositories/kv.js';
import type { MaxApi } from './api.js';
import { isMaxError } from './max-error.js';
import type { ImageAttachment } from '@maxhub/max-bot-api';
import type { Attachment } from '../../domain/workflow/model.js';
import { draftFileBytes, draftPhoto } from '../draft-photos.js';
import { caseNumber } from '../cases.js';
import { tellAdministrators } from '../../kernel/staff-notices.js';
import { commentPostKv } from './keys.js';
import { MAX_TEXT_LIMIT } from '../../kernel/workspace-id.js';

export interface MaxReplyPayload {
  purpose: 'answer' | 'ack' | 'not_competent' | 'extension' | 'joined_answer';
  caseId: number;
  chatId: number;
  /** The citizen, so his own messages are never taken for ours when a send is checked. */
  userId: number | null;
  replyToMid: string;
  text: string;
  /** Stored with the row: marks that a send began, so a retry first looks whether it went out. */
  sendKey: string;
  /** The draft's attachments: its photos go with the first part (a dialog only: MAX comments take text alone). */
  attachments?: Attachment[];
}

/** The answer to a comment on a channel post: a comment on that post replying to it. */
export interface MaxCommentPayload extends Omit<MaxReplyPayload, 'chatId' | 'replyToMid'> {
  postMid: string;
  commentId: string;
}

/** The outbox actions of the citizens' bot (the lane max carries the staff bot's too); defined in keys.ts, which does not load the MAX library. */
export { MAX_CITIZEN_ACTIONS } from './keys.js';

const startedKey = (sendKey: string, part: number) => `max:sending:${sendKey}:${part}`;

/** Where a text goes: how to send one part, and the recent messages there to look for it. */
interface Target {
  /** `images`: the uploaded photos, given with the first part. */
  send(text: string, first: boolean, images: ImageAttachment[]): Promise<Sent>;
  recent(): Promise<Array<{ sender?: { user_id: number } | null; body: { mid: string; text: string | null }; url?: string | null }>>;
}
type Sent = { mid: string; url: string | null };

/**
 * The outbox channel `max`. Action `reply`: the text in the citizen's dialog as a reply to his message
 * (POST /messages?chat_id=… with `link: { type: 'reply', mid }`; library: `api.sendMessageToChat`,
 * modules/messages/api.js). MAX has no idempotency key, so EXACTLY ONCE is kept this way: before a part
 * is sent, the row's send key is recorded (committed before the request); a later attempt that finds it
 * (a crash after the send, a lost response) first reads the dialog's recent messages (GET /messages
 * ?chat_id=…, `api.getMessages`) and adopts a message of ours with that text instead of sending it again.
 * Action `comment`: the same for a comment on a channel post, answered by a comment replying to it.
 */
export function maxChannel(app: AppContext, api: MaxApi): ChannelAdapter {
  // The draft's photos, uploaded through the official client (POST /uploads, then the upload URL) just
  // before the part that carries them is sent: an upload alone shows nothing to the citizen, so a retry
  // may upload again; the message itself is covered by the send key like a text.
  const upload = async (attachments: Attachment[] | undefined): Promise<ImageAttachment[]> => {
    const images: ImageAttachment[] = [];
    for (const a of attachments ?? []) {
      const file = draftPhoto(a);
      if (!file) continue;
      images.push(await api.uploadImage('url' in file ? { url: file.url } : { source: await draftFileBytes(app, file.fileId) }));
    }
    return images;
  };
  const deliver = async (p: Pick<MaxReplyPayload, 'caseId' | 'purpose' | 'text' | 'sendKey' | 'userId' | 'attachments'>, target: Target) => {
    const parts = splitText(p.text);
    let first: Sent | null = null;
    for (let i = 0; i < parts.length; i += 1) {
      const key = startedKey(p.sendKey, i);
      let sent: Sent | null = null;
      if (getKv(app.db, key) !== null) {
        const ours = (await target.recent()).find((m) => m.body.text === parts[i] && m.sender?.user_id !== p.userId);
        if (ours) {
          sent = { mid: ours.body.mid, url: ours.url ?? null };
          app.logger.info({ caseId: p.caseId, purpose: p.purpose, part: i }, 'max: an interrupted send had gone out; not sent again');
        }
      }
      if (!sent) {
        const images = i === 0 ? await upload(p.attachments) : [];
        setKv(app.db, key, String(Date.now()), Date.now());
        sent = await target.send(parts[i]!, i === 0, images);
      }
      first ??= sent;
    }
    return { messageId: first!.mid, permalink: first!.url };
  };
  const reply: Sender = async (payload) => {
    const p = payload as unknown as MaxReplyPayload;
    return deliver(p, {
      send: async (text, first, images) => {
        const extra = { ...(first ? { link: { type: 'reply' as const, mid: p.replyToMid } } : {}), ...(images.length ? { attachments: images.map((x) => x.toJson()) } : {}) };
        const m = await api.sendMessageToChat(p.chatId, text, extra);
        return { mid: m.body.mid, url: m.url ?? null };
      },
      recent: async () => (await api.getMessages(p.chatId, { count: 50 })).messages,
    });
  };
  // POST /messages/{post mid}/comments with a reply link (library: `api.sendComment`, modules/comments/api.js);
  // checked against GET /messages/{post mid}/comments (`api.getComments`).
  const comment: Sender = async (payload, row) => {
    const p = payload as unknown as MaxCommentPayload;
    // POST /messages/{mid}/comments takes no attachments (the library's CommentDTOBody): the text goes alone,
    // and the administrators are told once, so the photos can be given another way.
    const photos = (p.attachments ?? []).filter((a) => draftPhoto(a) !== null).length;
    const result = await deliver(
      { ...p, attachments: [] },
      {
        send: async (text, first) => {
          const { message } = await api.sendComment(p.postMid, text, first ? { link: { type: 'reply', mid: p.commentId } } : {});
          // A citizen's reply under our comment then finds the post it is under.
          setKv(app.db, commentPostKv(message.body.mid), p.postMid, Date.now());
          return { mid: message.body.mid, url: null };
        },
        recent: async () => (await api.getComments(p.postMid, { count: 100 })).messages,
      },
    );
    if (photos > 0) {
      const number = caseNumber(app.db, p.caseId) ?? p.caseId;
      tellAdministrators(app, app.db, (l) => app.t(l, 'sources-max-comment-photos-not-sent', { case: number, count: photos }), { key: `max:photos-skipped:${row.id}`, caseId: p.caseId });
    }
    return result;
  };
  return {
    senders: { reply, comment },
    classify: classifyMaxError,
    // About one message a second per dialog; the whole channel at about 25 a second.
    spacingMs: () => 1_000,
    perSecond: 25,
  };
}

/** After the row is recorded sent, its send marks are no longer needed (called inside that transaction). */
export function forgetMaxSend(app: AppContext, payload: Record<string, unknown>): void {
  const p = payload as unknown as MaxReplyPayload;
  for (let i = 0; i < splitText(p.text).length; i += 1) deleteKv(app.db, startedKey(p.sendKey, i));
}

/** Splits a long text at line or word breaks into parts MAX accepts. */
export function splitText(text: string, limit = MAX_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    const cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    const at = cut > limit / 2 ? cut : limit;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  parts.push(rest);
  return parts;
}

/**
 * MAX errors (the library throws `MaxError` with the HTTP status for any answer but 200, core/network/api/
 * base-api.js; a connection failure is fetch's own error): 429 and 5xx, and no answer at all, are retried;
 * 400/401/403/404 give up (shown to the administrators). The library exposes no retry hint, so the
 * outbox's own backoff applies.
 */
export function classifyMaxError(err: unknown): Failure {
  if (isMaxError(err)) {
    const reason = `MAX ${err.status} ${err.code ?? ''}: ${err.description ?? err.message}`.replace(/\s+:/, ':');
    if (err.status === 429 || err.status >= 500) return { retry: true, reason };
    return { retry: false, reason };
  }
  return { retry: true, reason: `MAX unreachable: ${(err as Error)?.message ?? String(err)}` };
}

/**
 * The staff workspace in MAX (src/max) and the citizens' bot share the outbox channel `max` (one lane): one
 * adapter with both bots' senders; the citizens' bot's MAX errors are classified here, the rest by the
 * workspace's own classification.
 */
export function withCitizenSenders(workspace: ChannelAdapter, citizens: ChannelAdapter): ChannelAdapter {
  return {
    ...workspace,
    senders: { ...workspace.senders, ...citizens.senders },
    classify: (err) => (isMaxError(err) ? citizens.classify(err) : workspace.classify(err)),
  };
}
