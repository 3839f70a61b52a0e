import { GrammyError, type Api } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import type { AppContext } from '../kernel/context.js';
import type { Db } from '../db/connection.js';
import { casesWithoutCardIn } from '../db/repositories/case-search.js';
import { batchValue, kvValue, setBatchValue, storeKvValue } from '../db/repositories/fast.js';
import { staffByTelegramId } from '../db/repositories/staff.js';
import type { Sender } from '../outbox/worker.js';
import { syncModel } from '../kernel/assistance.js';
import { stormCallbacks } from './callbacks/menus.js';
import { escapeHtml } from './format/html.js';

/**
 * The storm summary. Telegram shows about one message a second in a private chat: when new cases
 * arrive faster than that, a card per case would queue for an hour. Then the chat gets one live
 * summary message instead («Новых обращений: 312 за 10 мин; чаще всего: …»), edited in place as cases
 * come, with buttons to the paged list of those cases and to the largest groups of similar ones;
 * cards resume when the flow calms. Only the «new case» notice to administrators goes this way:
 * every other notice, and urgent pushes to the head, are unchanged.
 *
 * State per chat lives in kv `storm:<chatId>` (durable, written in the transaction of the new case;
 * in a batch of ingest once, at the batch's end — repositories/fast.ts `setBatchValue`).
 * The cases of a storm are those in [first, last] that have no card in the chat: a case opened from
 * the list gets its card and leaves the list.
 */

/** Arrivals are counted in windows of this length (wall time: Telegram's limit is wall time too). */
export const STORM_WINDOW_MS = 10_000;
/** A storm starts when this many new cases came within the current and the previous window (over 1/s for 10–20 s). */
export const STORM_ENTER = 15;
/** It ends when a new case finds at most this many in the two windows: the chat can show them again. */
export const STORM_LEAVE = 5;
/** The summary overtakes the cards already queued in the chat's lane (urgent pushes still go first). */
const SUMMARY_PRIORITY = 2;
/** How many groups the summary names. */
const TOP_GROUPS = 3;

export interface StormState {
  active: boolean;
  /** First and last case id of the current (or last) storm. */
  first: number;
  last: number;
  /** Wall time the storm began, and ended (null while it lasts). */
  since: number;
  endedAt?: number | null;
  /** The summary message, once sent. */
  messageId: number | null;
  /** A summary send or edit is queued and not yet being sent. */
  queued: boolean;
  bucketAt: number;
  count: number;
  prev: number;
}

export function stormState(app: Pick<AppContext, 'database'>, chatId: number): StormState | null {
  const value = kvValue(app.database.db, `storm:${chatId}`);
  return value === null ? null : (JSON.parse(value) as StormState);
}

function saveState(app: Pick<AppContext, 'database'>, chatId: number, s: StormState): void {
  storeKvValue(app.database.db, `storm:${chatId}`, JSON.stringify(s), Date.now());
}

/**
 * Counts a new case for `chatId` and says whether it goes into the storm summary (true: queue no card)
 * or gets its own card (false). Call it in the transaction that creates the case.
 */
export function routeNewCase(app: AppContext, tx: Db, caseId: number, chatId: number, now = Date.now()): boolean {
  const key = `storm:${chatId}`;
  const held = batchValue<StormState | null>(tx, key);
  const prior = held ? held.value : stormState(app, chatId);
  // A copy: the batch's savepoints share the value held before (fast.ts).
  const s: StormState = prior ? { ...prior } : { active: false, first: 0, last: 0, since: 0, messageId: null, queued: false, bucketAt: now, count: 0, prev: 0 };
  const gap = now - s.bucketAt;
  if (gap >= 2 * STORM_WINDOW_MS) Object.assign(s, { bucketAt: now, count: 0, prev: 0 });
  else if (gap >= STORM_WINDOW_MS) Object.assign(s, { bucketAt: now, prev: s.count, count: 0 });
  s.count += 1;
  const recent = s.count + s.prev;
  let ended = false;
  if (!s.active && recent >= STORM_ENTER) Object.assign(s, { active: true, first: caseId, since: now, endedAt: null, messageId: null, queued: false });
  else if (s.active && recent <= STORM_LEAVE) {
    Object.assign(s, { active: false, endedAt: now });
    ended = true;
  }
  if (s.active) s.last = caseId;
  // While it lasts the summary follows the count; once more when it ends, to say the flow calmed.
  if (s.active || ended) {
    if (!s.queued) {
      s.queued = true;
      app.enqueue(
        {
          channel: 'telegram',
          action: 'stormSummary',
          payload: { chatId, first: s.first },
          priority: SUMMARY_PRIORITY,
          // The first summary is a message (the chat's message lane); later ones are edits.
          throttleKey: s.messageId === null ? `tg:${chatId}` : `tgedit:${chatId}`,
        },
        tx,
      );
    }
  }
  if (!setBatchValue(tx, key, s, (v) => saveState(app, chatId, v))) saveState(app, chatId, s);
  return s.active;
}

export interface StormCase {
  id: number;
  number: number;
  text: string;
}

/** The cases of the storm [first, last] that have no card in the chat yet, by number. */
export function stormCases(app: Pick<AppContext, 'database'>, chatId: number, first: number, last: number): StormCase[] {
  return casesWithoutCardIn(app.database.sqlite, chatId, first, last);
}

export interface StormGroup {
  /** What the comments are about (the suggested topic) and where, when found. */
  topic: string | null;
  location: string | null;
  cases: StormCase[];
}

/** Group labels per case, computed once: the summary is re-rendered at every edit. */
const labels = new WeakMap<AppContext, Map<number, { topic: string | null; location: string | null }>>();

/**
 * Similar comments grouped by the assistance's suggested topic and the place found in the text
 * (src/domain/assist), largest first.
 */
export function stormGroups(app: AppContext, list: readonly StormCase[]): StormGroup[] {
  let known = labels.get(app);
  if (!known) labels.set(app, (known = new Map()));
  const assistant = syncModel(app);
  const groups = new Map<string, StormGroup>();
  for (const c of list) {
    let label = known.get(c.id);
    if (!label) {
      const s = assistant.suggest({ text: c.text, authorId: null, at: 0, earlier: [] });
      label = { topic: s.topic, location: s.location?.location ?? null };
      if (known.size > 50_000) known.clear();
      known.set(c.id, label);
    }
    const key = `${label.topic ?? ''}\u0000${label.location ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ...label, cases: [] }));
    g.cases.push(c);
  }
  return [...groups.values()].sort((a, b) => b.cases.length - a.cases.length || a.cases[0]!.number - b.cases[0]!.number);
}

type T = (key: string, vars?: Record<string, string | number>) => string;

export function groupLabel(t: T, g: Pick<StormGroup, 'topic' | 'location'>): string {
  const parts = [g.topic, g.location].filter((x): x is string => !!x);
  return parts.length ? escapeHtml(parts.join(', ')) : t('storm-group-other');
}

/** The summary's text and buttons, as of now. */
export function renderSummary(app: AppContext, t: T, chatId: number, s: StormState, now = Date.now()): { text: string; keyboard: InlineKeyboardButton[][] } {
  const list = stormCases(app, chatId, s.first, s.last);
  const groups = stormGroups(app, list).filter((g) => g.topic || g.location);
  const minutes = Math.max(1, Math.round(((s.active ? now : (s.endedAt ?? now)) - s.since) / 60_000));
  const lines = [t(s.active ? 'storm-summary' : 'storm-summary-calm', { count: list.length, minutes })];
  if (groups.length)
    lines.push(
      t('storm-top', {
        groups: groups
          .slice(0, TOP_GROUPS)
          .map((g) => `${groupLabel(t, g)} — ${g.cases.length}`)
          .join('; '),
      }),
    );
  lines.push(t('storm-hint'));
  const keyboard: InlineKeyboardButton[][] = [[{ text: t('storm-list-btn', { count: list.length }), callback_data: stormCallbacks.encode('l', s.first, String(s.last)) }]];
  if (groups.length) keyboard.push([{ text: t('storm-groups-btn'), callback_data: stormCallbacks.encode('g', s.first, String(s.last)) }]);
  return { text: lines.join('\n'), keyboard };
}

/** Outbox sender `stormSummary {chatId, first}`: sends the summary, or edits it in place. Safe to repeat. */
export function stormSenders(app: AppContext, api: Api): Record<string, Sender> {
  const stormSummary: Sender = async (payload) => {
    const chatId = Number(payload['chatId']);
    const s = stormState(app, chatId);
    if (!s || s.first !== Number(payload['first'])) return { skipped: 'another storm' };
    // Arrivals from now on queue the next edit.
    s.queued = false;
    saveState(app, chatId, s);
    const locale = staffByTelegramId(app.db, chatId)?.locale ?? app.org.organization.locale;
    const t: T = (key, vars) => app.t(locale, key, vars);
    const { text, keyboard } = renderSummary(app, t, chatId, s);
    const opts = { parse_mode: 'HTML' as const, reply_markup: { inline_keyboard: keyboard } };
    const remember = (messageId: number) => {
      const now = stormState(app, chatId);
      if (now && now.first === s.first) saveState(app, chatId, { ...now, messageId });
    };
    if (s.messageId !== null) {
      try {
        await api.editMessageText(chatId, s.messageId, text, opts);
        return { messageId: s.messageId, edited: true };
      } catch (err) {
        if (err instanceof GrammyError && err.error_code === 400 && /not modified/i.test(err.description)) return { messageId: s.messageId, notModified: true };
        if (!(err instanceof GrammyError && err.error_code === 400 && /not found|can't be edited/i.test(err.description))) throw err;
      }
    }
    const m = await api.sendMessage(chatId, text, opts);
    remember(m.message_id);
    return { messageId: m.message_id };
  };
  return { stormSummary };
}
