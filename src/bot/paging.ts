import { GrammyError } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import type { BotContext } from './context.js';

/**
 * Long lists in the bot (/staff, /queue, /overdue, /find, the choice of a substitute) page with ◀ ▶
 * buttons instead of being cut or refused by Telegram: a page holds at most PAGE_LINES entries and
 * PAGE_CHARS characters (well under Telegram's 4,096, whatever the names), and a press of ◀ ▶ edits the
 * same message. Pages are recomputed from the data on every press, so a list that changed meanwhile
 * shows its current state; a page number past the end shows the last page.
 */
export const PAGE_LINES = 15;
export const PAGE_CHARS = 3_500;

type Btn = InlineKeyboardButton;

export interface ListSpec {
  /** The first line(s), HTML; shown on every page. */
  title: string;
  /** One HTML line per entry. */
  lines: string[];
  /** Optional buttons per entry (same index as `lines`): they page with their line. */
  rows?: Btn[][][];
  /** Rows after the entries' buttons on every page (e.g. «Без замещающего»). */
  footer?: Btn[][];
  /** Callback data of the button that shows page `n`. */
  nav: (page: number) => string;
}

export interface RenderedPage {
  text: string;
  keyboard: Btn[][];
  page: number;
  pages: number;
}

/** Start index of every page: entries in order, a new page when a line or the character budget is full. */
export function pageStarts(lines: readonly string[], budget = PAGE_CHARS, maxLines = PAGE_LINES): number[] {
  const starts = [0];
  let chars = 0;
  let count = 0;
  lines.forEach((line, i) => {
    const len = Math.min(line.length, budget) + 1;
    if (count > 0 && (count >= maxLines || chars + len > budget)) {
      starts.push(i);
      chars = 0;
      count = 0;
    }
    chars += len;
    count += 1;
  });
  return starts;
}

/** Page `page` of a list (clamped to the pages there are), with the ◀ ▶ row when there is more than one. */
export function renderPage(ctx: Pick<BotContext, 't'>, spec: ListSpec, page: number): RenderedPage {
  const starts = pageStarts(spec.lines, PAGE_CHARS - spec.title.length - 40);
  const pages = starts.length;
  const p = Math.max(0, Math.min(Number.isFinite(page) ? Math.trunc(page) : 0, pages - 1));
  const from = starts[p]!;
  const to = starts[p + 1] ?? spec.lines.length;
  // A single line longer than a page (a huge name) is clipped rather than refused.
  const lines = spec.lines.slice(from, to).map((l) => (l.length > PAGE_CHARS ? `${l.slice(0, PAGE_CHARS - 1)}…` : l));
  const head = pages > 1 ? `${spec.title}\n${ctx.t('paging-page', { page: p + 1, pages })}` : spec.title;
  const keyboard: Btn[][] = [...(spec.rows?.slice(from, to).flat() ?? []), ...(spec.footer ?? [])];
  if (pages > 1) {
    const nav: Btn[] = [];
    if (p > 0) nav.push({ text: ctx.t('paging-prev'), callback_data: spec.nav(p - 1) });
    if (p < pages - 1) nav.push({ text: ctx.t('paging-next'), callback_data: spec.nav(p + 1) });
    keyboard.push(nav);
  }
  return { text: [head, ...lines].join('\n'), keyboard, page: p, pages };
}

/** Sends page `page` of a list as a new message. */
export async function replyPage(ctx: BotContext, spec: ListSpec, page = 0): Promise<void> {
  const r = renderPage(ctx, spec, page);
  await ctx.reply(r.text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...(r.keyboard.length ? { reply_markup: { inline_keyboard: r.keyboard } } : {}) });
}

/** Shows page `page` in the message whose ◀ ▶ was pressed. */
export async function editPage(ctx: BotContext, spec: ListSpec, page: number): Promise<void> {
  const r = renderPage(ctx, spec, page);
  await ctx.answerCallbackQuery();
  try {
    await ctx.editMessageText(r.text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, reply_markup: { inline_keyboard: r.keyboard } });
  } catch (err) {
    // A second press on the same page (the list did not change): nothing to show.
    if (!(err instanceof GrammyError && /not modified/.test(err.description))) throw err;
  }
}
