import type { InlineKeyboardButton } from 'grammy/types';
import type { AppContext } from './context.js';
import type { Db } from '../db/connection.js';
import { inFlightOfCase } from '../db/repositories/outbox-lookups.js';
import { loadCase } from '../db/repositories/index.js';
import { decide, type Actor, type Refusal } from '../domain/workflow/index.js';
import { arg, callbackCodec } from './callback-data.js';
import { workflowContext } from './workflow-context.js';

/**
 * «Опубликовал вручную». When the network refuses the answer for good (VK 5, 15, 27,
 * 213 …, or a message registered by hand from another network), the administrators' one message
 * about it carries this button. Pressing it asks for the link of the comment published by hand (or
 * «без ссылки»); the publication is then recorded on the case through the workflow
 * (`recordPublication`, the person as actor), so the card shows it as published.
 *
 * Callback data: `src.man:<caseId>` (start), `src.nol:<caseId>` (record without a link).
 * Conversation kind: `manual-publication-link`.
 */
export const MANUAL = { start: 'src.man', noLink: 'src.nol' } as const;
export const manualPublicationCallbacks = callbackCodec('src', { man: arg.none, nol: arg.none });
export const MANUAL_CONVERSATION = 'manual-publication-link';

export function manualPublicationKeyboard(app: Pick<AppContext, 't'>, caseId: number): (locale: string) => InlineKeyboardButton[][] {
  return (locale) => [[{ text: app.t(locale, 'sources-manual-btn'), callback_data: manualPublicationCallbacks.encode('man', caseId) }]];
}

export function manualNoLinkKeyboard(app: Pick<AppContext, 't'>, caseId: number, locale: string): InlineKeyboardButton[][] {
  return [[{ text: app.t(locale, 'sources-manual-btn-no-link'), callback_data: manualPublicationCallbacks.encode('nol', caseId) }]];
}

/** An answer of the case still queued or being sent (VK or the Telegram channel): marking it by hand now could double it. */
export function publicationInFlight(db: Db, caseId: number): boolean {
  const rows = inFlightOfCase(db, caseId);
  return rows.some((r) => ((r.channel === 'vk' && r.action === 'publish') || (r.channel === 'telegram_channel' && r.action === 'reply')) && (r.payload as { purpose?: string }).purpose === 'answer');
}

/**
 * Whether `actor` may mark the case's answer as published by hand now: the case exists, its
 * approved answer is not published and the workflow would take the step (role and state, checked
 * by a dry run of `recordPublication`). Null when allowed. See also `publicationInFlight`.
 */
export function manualPublicationRefusal(app: AppContext, db: Db, caseId: number, actor: Actor): Refusal | null {
  const s = loadCase(db, caseId);
  if (!s) return { code: 'not_found', params: {}, message: 'case not found' };
  const d = decide(s, { type: 'recordPublication', actor, externalId: null, permalink: null }, workflowContext(app));
  return d.ok ? null : d.refusal;
}

/**
 * The link typed by the person: an http(s) address; the comment/message id is taken from it when
 * recognised (VK `?reply=<id>` or `wall<owner>_<post>`, Telegram `t.me/<chat>/<id>`). Null when
 * the text is not a link.
 */
export function parseManualLink(text: string): { permalink: string; externalId: string | null } | null {
  const t = text.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `https://${t}`);
  } catch {
    return null;
  }
  if (!/^https?:$/.test(url.protocol) || !/\.[a-z]{2,}$/i.test(url.hostname) || /\s/.test(t)) return null;
  const host = url.hostname.replace(/^(www|m)\./, '');
  let externalId: string | null = null;
  if (host === 'vk.com' || host === 'vk.ru') {
    externalId = url.searchParams.get('reply') ?? /^\/wall-?\d+_(\d+)$/.exec(url.pathname)?.[1] ?? null;
  } else if (host === 't.me') {
    externalId = /^\/(?:c\/)?[\w-]+\/(\d+)$/.exec(url.pathname)?.[1] ?? null;
  }
  if (externalId !== null && !/^\d+$/.test(externalId)) externalId = null;
  return { permalink: url.toString(), externalId };
}
