import type { InlineKeyboardButton } from 'grammy/types';
import type { EffectHandlers } from '../../kernel/effects.js';
import type { AppContext } from '../../kernel/context.js';
import type { Db } from '../../db/connection.js';
import { activeStaffOfDepartment, staffById } from '../../db/repositories/staff.js';
import { peopleWithRole } from '../../kernel/staff-notices.js';
import { loadCase, loadEvents, loadMessage } from '../../db/repositories/index.js';
import type { Attachment, CaseState, Draft, DraftVersion, Effect, NotifyKind, Recipient } from '../../domain/workflow/index.js';
import { Priority } from '../../outbox/queue.js';
import type { StaffRow } from '../context.js';
import { escapeHtml, splitText } from '../format/html.js';
import { formatMoment, localeOf } from '../cards/format.js';
import { recipientsOf as cardRecipientsOf } from '../effects.js';

/**
 * Helpers shared by the executor, department-head, approval and extension features: queueing
 * Telegram messages through the outbox, finding who must act, media of drafts, draft previews and
 * the staff notifications of the workflow's `notify` effects for the steps these features own.
 */

export type Tx = Db;

export { localeOf };

/** Queues one Bot API call to a chat (inside `tx` when given). */
export function tg(app: AppContext, chatId: number, method: string, payload: Record<string, unknown>, opts: { tx?: Tx; caseId?: number | null; key?: string; priority?: number } = {}): number | null {
  return app.enqueue(
    {
      channel: 'telegram',
      action: method,
      payload: { chat_id: chatId, ...payload },
      priority: opts.priority ?? Priority.interactive,
      // Edits and deletions of messages already in the chat go in the chat's edit lane (cards/registry.ts).
      throttleKey: /^(edit|delete)/.test(method) ? `tgedit:${chatId}` : `tg:${chatId}`,
      ...(opts.key ? { idempotencyKey: opts.key } : {}),
      caseId: opts.caseId ?? null,
    },
    opts.tx,
  );
}

/** Queues an HTML text (split beyond 4096 characters; the keyboard goes on the last part). */
export function sendHtml(app: AppContext, chatId: number, html: string, opts: { tx?: Tx; caseId?: number | null; keyboard?: InlineKeyboardButton[][]; forceReply?: boolean } = {}): void {
  const parts = splitText(html);
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const markup = last && opts.keyboard?.length ? { inline_keyboard: opts.keyboard } : last && opts.forceReply ? { force_reply: true } : undefined;
    tg(app, chatId, 'sendMessage', { text: part, parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...(markup ? { reply_markup: markup } : {}) }, opts);
  });
}

/** A button whose data a feature's codec encoded (src/bot/callbacks/). */
export function button(text: string, data: string): InlineKeyboardButton {
  return { text, callback_data: data };
}

export { staffById };

/**
 * The people behind a recipient: one person, or every active holder of the role (in the department).
 * With `now`, someone away (А6.3) is replaced by his substitute, exactly as for the card (effects.ts).
 */
export function recipientsOf(db: Db, to: Recipient, now?: number): StaffRow[] {
  if (now !== undefined) return cardRecipientsOf(db, to, now);
  if ('staffId' in to) {
    const s = staffById(db, to.staffId);
    return s && s.active ? [s] : [];
  }
  return peopleWithRole(db, to.role, to.departmentId);
}

export function departmentExecutors(db: Db, departmentId: string): StaffRow[] {
  return activeStaffOfDepartment(db, departmentId).filter((s) => s.roles.includes('executor'));
}

export function due(app: AppContext, locale: string, ms: number): string {
  return formatMoment(ms, app.org.organization.timezone, locale, app.clock.now().toMillis());
}

export function caseOf(db: Db, caseId: number): CaseState | null {
  return loadCase(db, caseId);
}

/** The citizen's text of the case's first message, and its link. */
export function originalOf(db: Db, s: CaseState): { text: string; author: string; link: string | null } {
  const m = s.messageIds.length ? loadMessage(db, s.messageIds[0]!) : null;
  return { text: m?.text ?? '', author: m?.author.name ?? s.author?.name ?? '—', link: m?.permalink ?? null };
}

/**
 * Whether an author's name is a name: a message registered by hand without one stores the placeholder
 * «автор не указан» (manual.ts), which must not read as «Что спрашивает автор не указан».
 */
export function knownAuthor(app: Pick<AppContext, 't'>, name: string | null | undefined): boolean {
  const n = name?.trim();
  return !!n && n !== '—' && !['ru', 'en'].some((l) => app.t(l, 'manual-author-unknown') === n);
}

/** Who made the last assignment step (the administrator or the department head). */
export function assignedBy(db: Db, caseId: number): string | null {
  const evs = loadEvents(db, caseId);
  for (let i = evs.length - 1; i >= 0; i--) {
    const e = evs[i]!;
    if (e.type === 'assigned' || e.type === 'reassigned' || e.type === 'executor_designated') return e.actor.name;
  }
  return null;
}

export function currentDraft(s: CaseState): Draft | undefined {
  return [...s.drafts].reverse().find((d) => d.status !== 'superseded' && d.status !== 'published');
}

export function lastVersion(d: Draft | undefined): DraftVersion | undefined {
  return d?.versions[d.versions.length - 1];
}

// --- media of drafts -------------------------------------------------------------------------

/** Media collected in the chat: Telegram file ids survive restarts, so the outbox can resend them. */
export interface DraftMedia {
  type: 'photo' | 'video';
  fileId: string;
}

/** A Telegram file travels in a draft as `{ type, url: null, ref: 'tg:<file_id>' }`. */
export function toAttachments(media: readonly DraftMedia[]): Attachment[] {
  return media.map((m) => ({ type: m.type, url: null, ref: `tg:${m.fileId}` }));
}

export function toMedia(attachments: readonly Attachment[]): DraftMedia[] {
  const out: DraftMedia[] = [];
  for (const a of attachments) {
    if (a.ref?.startsWith('tg:') && (a.type === 'photo' || a.type === 'video')) out.push({ type: a.type, fileId: a.ref.slice(3) });
  }
  return out;
}

/**
 * Shows a draft exactly as it will be published: the media first (sendPhoto/sendVideo for one,
 * sendMediaGroup for an album, by file_id), then the text with `header` above it and the buttons.
 */
export function sendDraftPreview(
  app: AppContext,
  chatId: number,
  draft: { text: string; media: readonly DraftMedia[] },
  header: string,
  opts: { tx?: Tx; caseId?: number | null; keyboard?: InlineKeyboardButton[][] } = {},
): void {
  const media = draft.media.slice(0, 10);
  if (media.length === 1) {
    const m = media[0]!;
    tg(app, chatId, m.type === 'photo' ? 'sendPhoto' : 'sendVideo', { [m.type]: m.fileId }, opts);
  } else if (media.length > 1) {
    tg(app, chatId, 'sendMediaGroup', { media: media.map((m) => ({ type: m.type, media: m.fileId })) }, opts);
  }
  sendHtml(app, chatId, `${header}\n\n${escapeHtml(draft.text)}`, opts);
}

// --- notifications ---------------------------------------------------------------------------

export type NotifyHandler = (tx: Tx, effect: Extract<Effect, { type: 'notify' }>, app: AppContext) => void;

/**
 * Adds what a notification must carry beyond the case card: the draft as it will be published for the
 * reviewer, the rework comment with the earlier version, a co-executor's part for the responsible
 * executor. The service's effect dispatcher is wrapped once; every effect still goes on to the bot's
 * own handler (src/bot/effects.ts: the card in front of the person who must act, edited in place),
 * and the supplement is queued in the same transaction right after it.
 */
/**
 * The messages that go with a card for some notifications (the draft exactly as it will be published,
 * the rework comment beside the earlier version, a co-executor's part): an effect-handler set that
 * runs after the card handler, in the same transaction.
 */
export function notifySupplementHandlers(...maps: Partial<Record<NotifyKind, NotifyHandler>>[]): EffectHandlers {
  return {
    notify: (tx, effect, app) => {
      for (const map of maps) map[effect.kind]?.(tx as Tx, effect, app);
    },
  };
}
