import { Composer } from 'grammy';
import type { AppContext } from '../../kernel/context.js';
import { caseExists, caseIdByNumber, deadlinesOf, overdueDeadlines, unroutedCases } from '../../db/repositories/work-lists.js';
import { hasWideRole, maySee as personMaySee } from '../../kernel/case-access.js';
import { TERMINAL_STATUSES } from '../../domain/workflow/model.js';
import type { BotContext, StaffRow } from '../context.js';
import { formatMoment } from '../cards/format.js';
import { queueCard } from '../cards/registry.js';
import { createHash } from 'node:crypto';
import { escapeHtml } from '../format/html.js';
import { editPage, replyPage, type ListSpec } from '../paging.js';
import { getKv, setKv } from '../../db/repositories/kv.js';
import { searchCases } from './admin-triage.js';
import { caseLinkCallbacks, refuseUnreadable, viewCallbacks } from '../callbacks/index.js';
import { SEVERAL_CASES, aboutCase } from '../sent-record.js';

/** The most cases /find lists (in pages). */
const FIND_LIMIT = 200;

/**
 * Views: `/queue` what waits for me, `/overdue`, `/case N` (the card, sent fresh and then
 * edited in place), `/find text`. Read-only answers are direct replies; the card goes through the outbox
 * so it joins the card registry.
 */
export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  // Lists quote several cases: recorded as such, so a role removed takes them back (bot/sent-record.ts).
  composer.command('queue', (ctx) => aboutCase(SEVERAL_CASES, () => replyPage(ctx, queueList(app, ctx))));
  composer.command('overdue', (ctx) => aboutCase(SEVERAL_CASES, () => replyPage(ctx, overdueList(app, ctx))));

  composer.command('case', async (ctx) => {
    const m = /^(?:№\s*)?(\d{1,9})$/.exec(ctx.match.trim());
    if (!m) return void (await ctx.reply(ctx.t('views-case-usage')));
    const caseId = caseIdByNumber(app.db, Number(m[1]));
    if (caseId === null || !maySee(app, ctx.staff!, caseId)) return void (await ctx.reply(ctx.t('views-case-not-found', { number: m[1]! })));
    app.db.transaction((tx) => queueCard(app, tx as never, { caseId, chatId: ctx.chat.id, staffId: ctx.staff!.id, fresh: true }));
  });

  composer.command('find', async (ctx) => {
    const q = ctx.match.trim();
    if (q.length < 2) return void (await ctx.reply(ctx.t('views-find-usage')));
    const spec = findList(app, ctx, q, rememberQuery(app, q));
    if (!spec) return void (await ctx.reply(ctx.t('views-find-nothing', { query: escapeHtml(q) }), { parse_mode: 'HTML' }));
    await aboutCase(SEVERAL_CASES, () => replyPage(ctx, spec));
  });

  // ◀ ▶ under the lists above.
  composer.on('callback_query:data', async (ctx, next) => {
    const cb = viewCallbacks.decode(ctx.callbackQuery.data);
    if (!cb || !ctx.staff) return viewCallbacks.claims(ctx.callbackQuery.data) && ctx.staff ? refuseUnreadable(ctx) : next();
    const [page, ref] = cb.name === 'f' ? cb.arg.split('.') : [String(cb.arg)];
    let spec: ListSpec | null;
    if (cb.name === 'q') spec = queueList(app, ctx);
    else if (cb.name === 'o') spec = overdueList(app, ctx);
    else {
      const q = ref ? getKv(app.db, `find:${ref}`) : null;
      spec = q ? findList(app, ctx, q, ref!) : null;
    }
    if (!spec) return void (await ctx.answerCallbackQuery({ text: ctx.t('views-list-gone'), show_alert: true }));
    await editPage(ctx, spec, Number(page));
  });

  // `/case_42` from the lists above.
  composer.hears(/^\/case_(\d{1,9})(?:@\w+)?$/, async (ctx) => {
    const caseId = caseIdByNumber(app.db, Number(ctx.match[1]));
    if (caseId === null || !maySee(app, ctx.staff!, caseId)) return void (await ctx.reply(ctx.t('views-case-not-found', { number: ctx.match[1]! })));
    app.db.transaction((tx) => queueCard(app, tx as never, { caseId, chatId: ctx.chat.id, staffId: ctx.staff!.id, fresh: true }));
  });

  // The button under a notice about a case: the card, fresh at the bottom of the chat.
  composer.on('callback_query:data', async (ctx, next) => {
    const cb = caseLinkCallbacks.decode(ctx.callbackQuery.data);
    if (!cb || !ctx.staff || !ctx.chat) return caseLinkCallbacks.claims(ctx.callbackQuery.data) && ctx.staff ? refuseUnreadable(ctx) : next();
    if (!maySee(app, ctx.staff, cb.caseId) || !caseExists(app.db, cb.caseId)) {
      return void (await ctx.answerCallbackQuery({ text: ctx.t('work-case-not-found'), show_alert: true }));
    }
    await ctx.answerCallbackQuery();
    app.db.transaction((tx) => queueCard(app, tx as never, { caseId: cb.caseId, chatId: ctx.chat!.id, staffId: ctx.staff!.id, fresh: true }));
  });

  return composer;
}

interface Item {
  caseId: number;
  number: number;
  status: string;
  kind: string | null;
  dueAt: number | null;
}

function snippet(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 59)}…` : one;
}

function line(app: AppContext, ctx: BotContext, i: Item): string {
  const loc = ctx.staff?.locale ?? app.org.organization.locale;
  const now = app.clock.now().toMillis();
  const due = i.dueAt !== null ? ` · ${ctx.t(i.dueAt < now ? 'views-due-overdue' : 'views-due', { due: formatMoment(i.dueAt, app.org.organization.timezone, loc, now) })}` : '';
  const kind = i.kind ? ` · ${ctx.t(`deadline-kind-${i.kind}`)}` : '';
  return `/case_${i.number} · ${ctx.t(`case-status-${i.status}`)}${kind}${due}`;
}

function queueList(app: AppContext, ctx: BotContext): ListSpec {
  const items = waitingFor(app, ctx.staff!);
  const title = items.length ? ctx.t('views-queue-title', { count: items.length }) : ctx.t('views-queue-empty');
  return { title, lines: items.map((i) => line(app, ctx, i)), nav: (p) => viewCallbacks.encode('q', 0, p) };
}

function overdueList(app: AppContext, ctx: BotContext): ListSpec {
  const items = openDeadlines(app, ctx.staff!, app.clock.now().toMillis());
  const title = items.length ? ctx.t('views-overdue-title', { count: items.length }) : ctx.t('views-overdue-empty');
  return { title, lines: items.map((i) => line(app, ctx, i)), nav: (p) => viewCallbacks.encode('o', 0, p) };
}

/** The cases a person finds by `q` (the one call behind /find), those he may see, newest first. */
export function findCases(app: AppContext, me: StaffRow, q: string): { id: number; number: number; text: string; status: string }[] {
  return searchCases(app, q, 0, FIND_LIMIT).filter((c) => maySee(app, me, c.id));
}

function findList(app: AppContext, ctx: BotContext, q: string, ref: string): ListSpec | null {
  const found = findCases(app, ctx.staff!, q);
  if (!found.length) return null;
  const lines = found.map((c) => `/case_${c.number} · ${ctx.t(`case-status-${c.status}`)} · ${escapeHtml(snippet(c.text))}`);
  return { title: ctx.t('views-find-title', { count: found.length }), lines, nav: (p) => viewCallbacks.encode('f', 0, `${p}.${ref}`) };
}

/**
 * A search query does not fit in callback data (64 bytes), so ◀ ▶ of /find carry a short hash of it and
 * the query is kept under that hash (the same query, the same key: no growth per search).
 */
function rememberQuery(app: AppContext, q: string): string {
  const ref = createHash('sha256').update(q).digest('base64url').slice(0, 12);
  const now = Date.now();
  setKv(app.db, `find:${ref}`, q, now);
  return ref;
}

/** Whether a person may open a case (kernel/case-access.ts). */
export function maySee(app: AppContext, me: StaffRow, caseId: number): boolean {
  return personMaySee(app.db, me, caseId);
}

/** What waits for me: my open deadlines; for the administrator also every case not routed yet. */
export function waitingFor(app: AppContext, me: StaffRow): Item[] {
  const rows = deadlinesOf(app.db, me);
  const out: Item[] = [];
  const seen = new Set<number>();
  for (const r of rows) {
    if (seen.has(r.caseId) || (TERMINAL_STATUSES as readonly string[]).includes(r.status)) continue;
    // The answer term is everybody's background; list a case for the step that waits for me.
    seen.add(r.caseId);
    out.push(r);
  }
  if (me.roles.includes('administrator')) {
    const waiting = unroutedCases(app.db);
    for (const w of waiting) {
      if (seen.has(w.caseId)) continue;
      out.push({ ...w, kind: null, dueAt: null });
      seen.add(w.caseId);
    }
  }
  return out;
}

/** Overdue open deadlines: all of them for the wide roles, mine for the others. */
export function openDeadlines(app: AppContext, me: StaffRow, now: number): Item[] {
  const wide = hasWideRole(me);
  return overdueDeadlines(app.db, now, wide ? null : me);
}
