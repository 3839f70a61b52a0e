import type { API, Upload } from 'vk-io';
import type { AppContext } from '../../kernel/context.js';
import type { Attachment } from '../../domain/workflow/model.js';
import type { ChannelAdapter, Sender } from '../../outbox/worker.js';
import type { OutboxRow } from '../../outbox/queue.js';
import { finishModeration } from '../../db/repositories/sources.js';
import { classifyVkError } from './errors.js';
import { parseSourceKey, permalinkOf } from './keys.js';
import { publicationCallFor, publishedPermalink, banParams } from './publish.js';
import { manualPublicationKeyboard } from '../../kernel/manual-publication.js';
import { tellAdministrators } from '../../kernel/staff-notices.js';
import { draftFileBytes, draftPhoto } from '../draft-photos.js';

/**
 * The VK outbox channel. Actions:
 *  - `publish`  { purpose: answer|ack|not_competent|extension|joined_answer, caseId, caseNumber, draftSeq?, sourceKey, text, attachments, guid }
 *               → wall.createComment (or photos/video/market/board.createComment) with from_group,
 *                 reply_to_comment and guid; messages.send with random_id from the guid.
 *  - `ban`      { moderationId, userId, vkReason, until, comment } → groups.ban (user token)
 *  - `unban`    { moderationId, userId } → groups.unban (user token)
 *  - `deleteComment` { moderationId, ownerId, commentId } → wall.deleteComment (user token)
 * Results: `{ commentId, messageId, permalink, method }` for the card (onVkSent records it).
 */

export class NeedsUserTokenError extends Error {
  readonly code = 'NEEDS_USER_TOKEN';
  constructor(what: string) {
    super(`${what} needs the VK administrator user token (VK_USER_TOKEN)`);
  }
}

export interface PublishPayload {
  purpose: 'answer' | 'ack' | 'not_competent' | 'extension' | 'joined_answer';
  caseId: number;
  caseNumber: number | string;
  draftSeq?: number;
  sourceKey: string;
  text: string;
  attachments?: Attachment[];
  guid: string;
}

export function vkChannel(app: AppContext, apis: { group: API; user: API | null }, groupId: number): ChannelAdapter {
  // vk-io is loaded at the first photo upload, not with this module: the service imports this module even with VK off.
  let uploads: Promise<{ user: Upload | null; group: Upload }> | null = null;
  const uploaders = () =>
    (uploads ??= Promise.all([import('vk-io'), import('./api.js')]).then(([{ Upload }, { httpAgentFor }]) => {
      const agent = httpAgentFor(app.env.VK_API_BASE_URL);
      const make = (api: API) => new Upload({ api, ...(agent ? { agent } : {}) } as ConstructorParameters<typeof Upload>[0]);
      return { user: apis.user ? make(apis.user) : null, group: make(apis.group) };
    }));

  /** Attachments as VK strings; photos without a VK ref are uploaded when possible. */
  async function attachmentsFor(p: PublishPayload, isMessage: boolean): Promise<{ refs: string[]; skippedPhotos: number }> {
    const refs: string[] = [];
    let skippedPhotos = 0;
    for (const a of p.attachments ?? []) {
      if (a.ref && /^(photo|video|doc|audio)-?\d+_\d+/.test(a.ref)) {
        refs.push(a.ref);
        continue;
      }
      const file = draftPhoto(a);
      if (!file) continue;
      if (!isMessage && !apis.user) {
        skippedPhotos += 1;
        continue;
      }
      // A photo attached by an executor (in Telegram or in MAX) goes as bytes.
      const value = 'url' in file ? file.url : await draftFileBytes(app, file.fileId);
      if (isMessage) {
        const ref = parseSourceKey(p.sourceKey)!;
        const photo = await (await uploaders()).group.messagePhoto({ source: { value }, peer_id: ref.ownerId });
        refs.push(photo.toString());
      } else {
        const photo = await (await uploaders()).user!.wallPhoto({ source: { value }, group_id: groupId });
        refs.push(photo.toString());
      }
    }
    return { refs, skippedPhotos };
  }

  const publish: Sender = async (payload, row) => {
    const p = payload as unknown as PublishPayload;
    const ref = parseSourceKey(p.sourceKey);
    if (!ref) throw new Error(`not a VK source key: ${p.sourceKey}`);
    const { refs, skippedPhotos } = await attachmentsFor(p, ref.type === 'msg');
    const call = publicationCallFor(ref, { groupId, text: p.text, attachments: refs, guid: p.guid });
    // Errors propagate to the outbox: 6/9/network retry with the same guid/random_id; anything final
    // (5, 15, 27, 213 …, or retries exhausted) is told to the administrators ONCE by
    // notifyVkFailedForGood, through the worker's onFailedForGood hook.
    const result: unknown = await apis.group.call(call.method, call.params);
    let commentId: number | null = null;
    let messageId: number | null = null;
    if (ref.type === 'msg') messageId = typeof result === 'number' ? result : Number((result as { message_id?: number })?.message_id) || null;
    else commentId = Number((result as { comment_id?: number })?.comment_id ?? result) || null;
    const permalink = publishedPermalink(ref, commentId, groupId);
    if (skippedPhotos > 0) {
      tellAdministrators(app, app.db, (l) => app.t(l, 'sources-photos-not-uploaded', { case: p.caseNumber, count: skippedPhotos, link: permalink ?? '' }), {
        key: `vk:photos-skipped:${row.id}`,
        caseId: p.caseId,
      });
    }
    return { method: call.method, commentId, messageId, permalink };
  };

  function moderation(what: string, run: (user: API, p: Record<string, unknown>) => Promise<unknown>): Sender {
    return async (payload) => {
      const id = Number(payload.moderationId);
      if (!apis.user) throw new NeedsUserTokenError(what);
      await run(apis.user, payload);
      if (id) finishModeration(app.db, id, true, null, Date.now());
      return { ok: true };
    };
  }

  return {
    senders: {
      publish,
      ban: moderation('groups.ban', (user, p) =>
        user.call(
          'groups.ban',
          banParams({ groupId, userId: Number(p.userId), vkReason: Number(p.vkReason ?? 0), until: p.until == null ? null : Number(p.until), comment: (p.comment as string) ?? null }),
        ),
      ),
      unban: moderation('groups.unban', (user, p) => user.call('groups.unban', { group_id: groupId, owner_id: Number(p.userId) })),
      deleteComment: moderation('wall.deleteComment', (user, p) => user.call('wall.deleteComment', { owner_id: Number(p.ownerId), comment_id: Number(p.commentId) })),
    },
    classify: (err) => (err instanceof NeedsUserTokenError ? { retry: false, reason: err.message } : classifyVkError(err)),
    // One thread at a time, a little apart (VK's anti-flood on replies in one thread: error 223/9).
    spacingMs: (key) => (key.startsWith('vk:') ? 350 : 0),
    perSecond: 20,
  };
}

const MODERATION_METHOD: Record<string, string> = { ban: 'groups.ban', unban: 'groups.unban', deleteComment: 'wall.deleteComment' };

/**
 * A `vk` outbox row failed for good (a code that needs a person — 5, 15, 27, 213 … — or retries
 * exhausted): ONE clear message to the administrators. For a publication: the case stays waiting
 * (approved, publication not recorded), the message carries the reason, a link to the place and the
 * text, so a person can publish by hand and mark it done. For moderation: the action is marked
 * failed with the reason. Called by the outbox worker's onFailedForGood hook (src/app/service.ts) instead of the bot's generic notice.
 */
export function notifyVkFailedForGood(app: AppContext, row: OutboxRow, reason: string): void {
  const p = row.payload as Record<string, unknown>;
  if (row.action === 'publish') {
    const pp = p as unknown as PublishPayload;
    const ref = parseSourceKey(pp.sourceKey);
    const link = ref ? permalinkOf(ref, { groupId: Number(app.env.VK_GROUP_ID ?? 0) }) : '—';
    const caseId = pp.caseId ?? row.caseId;
    tellAdministrators(app, app.db, (l) => app.t(l, 'sources-publish-failed', { case: pp.caseNumber, reason: hintFor(reason), link, text: pp.text }), {
      key: `vk:publish-failed:${row.id}`,
      caseId,
      // «Опубликовал вручную»: only for the answer — the notices (А7.1, А7.9, А7.12) are not recorded on the case.
      ...(pp.purpose === 'answer' && typeof caseId === 'number' ? { keyboard: manualPublicationKeyboard(app, caseId) } : {}),
    });
    return;
  }
  const id = Number(p.moderationId);
  if (id) finishModeration(app.db, id, false, reason, Date.now());
  tellAdministrators(app, app.db, (l) => app.t(l, 'sources-moderation-failed', { action: MODERATION_METHOD[row.action] ?? row.action, reason: hintFor(reason) }), {
    key: `vk:failed:${row.id}`,
    caseId: row.caseId,
  });
}

const hintFor = (reason: string): string => reason.slice(0, 500);
