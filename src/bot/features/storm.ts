import { Composer } from 'grammy';
import type { AppContext } from '../../kernel/context.js';
import type { BotContext } from '../context.js';
import { refuseUnreadable, stormCallbacks } from '../callbacks/index.js';
import { editPage, renderPage, type ListSpec } from '../paging.js';
import { Priority } from '../../outbox/queue.js';
import { escapeHtml } from '../format/html.js';
import { groupLabel, stormCases, stormGroups } from '../storm.js';

/** Case numbers a group line shows before «…». */
const GROUP_SAMPLE = 6;

function snippet(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return escapeHtml(one.length > 70 ? `${one.slice(0, 69)}…` : one);
}

/**
 * The buttons of the storm summary (src/bot/storm.ts): the paged list of the storm's cases that have
 * no card in this chat (each `/case_N` opens its card), and the groups of similar ones. A press on the
 * summary sends the list as a new message (through the outbox); ◀ ▶ on a list edit it. Callback data:
 * `stm.l:<first>:<last>[.<page>]`, `stm.g:<first>:<last>[.<page>]`. Only administrators (who get the
 * new cases) may open them; the range is re-read from the database at every press.
 */
export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('callback_query:data', async (ctx, next) => {
    const cb = stormCallbacks.decode(ctx.callbackQuery.data);
    if (!cb || !ctx.staff || !ctx.chat) return stormCallbacks.claims(ctx.callbackQuery.data) && ctx.staff ? refuseUnreadable(ctx) : next();
    const m = /^(\d{1,15})(?:\.(\d{1,4}))?$/.exec(cb.arg);
    if (!m || !ctx.staff.roles.includes('administrator')) return void (await ctx.answerCallbackQuery({ text: ctx.t('storm-not-yours'), show_alert: true }));
    const first = cb.caseId;
    const last = Number(m[1]);
    const list = stormCases(app, ctx.chat.id, first, last);
    const nav = (page: number) => stormCallbacks.encode(cb.name, first, `${last}.${page}`);
    const spec: ListSpec =
      cb.name === 'l'
        ? { title: ctx.t('storm-list-title', { count: list.length }), lines: list.map((c) => `/case_${c.number} · ${snippet(c.text)}`), nav }
        : {
            title: ctx.t('storm-groups-title', { count: list.length }),
            lines: stormGroups(app, list).map((g) => {
              const sample = g.cases
                .slice(0, GROUP_SAMPLE)
                .map((c) => `/case_${c.number}`)
                .join(' ');
              return `<b>${groupLabel(ctx.t.bind(ctx), g)}</b> — ${g.cases.length}: ${sample}${g.cases.length > GROUP_SAMPLE ? ' …' : ''}`;
            }),
            nav,
          };
    if (m[2] === undefined) {
      await ctx.answerCallbackQuery();
      // A new message, while the chat's lane may still be sending cards: through the outbox, in that lane.
      const r = renderPage(ctx, spec, 0);
      app.enqueue({
        channel: 'telegram',
        action: 'sendMessage',
        payload: {
          chat_id: ctx.chat.id,
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          text: r.text,
          ...(r.keyboard.length ? { reply_markup: { inline_keyboard: r.keyboard } } : {}),
        },
        priority: Priority.interactive,
        throttleKey: `tg:${ctx.chat.id}`,
      });
    } else await editPage(ctx, spec, Number(m[2]));
  });
  return composer;
}
