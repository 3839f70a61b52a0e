import { Composer } from 'grammy';
import { and, asc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import type { AppContext } from '../../app/context.js';
import { assignments, cases, deadlines } from '../../db/schema/cases.js';
import { TERMINAL_STATUSES } from '../../domain/workflow/model.js';
import type { BotContext, StaffRow } from '../context.js';
import { formatMoment } from '../cards/format.js';
import { queueCard } from '../cards/registry.js';
import { escapeHtml, splitText } from '../format/html.js';
import { searchCases } from './admin-triage.js';
import { decodeCallback } from '../callbacks/codec.js';
import { OPEN_CASE } from '../case-link.js';

const LIST_LIMIT = 30;
const WIDE_ROLES = ['administrator', 'coordinator', 'head'];

/**
 * Views (issue 5 §2): `/queue` what waits for me, `/overdue`, `/case N` (the card, sent fresh and then
 * edited in place), `/find text`. Read-only answers are direct replies; the card goes through the outbox
 * so it joins the card registry.
 */
export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('queue', async (ctx) => {
    const me = ctx.staff!;
    const items = waitingFor(app, me);
    await replyList(ctx, items.length ? ctx.t('views-queue-title', { count: items.length }) : ctx.t('views-queue-empty'), items.map((i) => line(app, ctx, i)));
  });

  composer.command('overdue', async (ctx) => {
    const me = ctx.staff!;
    const now = app.clock.now().toMillis();
    const items = openDeadlines(app, me, now);
    await replyList(ctx, items.length ? ctx.t('views-overdue-title', { count: items.length }) : ctx.t('views-overdue-empty'), items.map((i) => line(app, ctx, i)));
  });

  composer.command('case', async (ctx) => {
    const m = /^(?:№\s*)?(\d{1,9})$/.exec(ctx.match.trim());
    if (!m) return void (await ctx.reply(ctx.t('views-case-usage')));
    const c = app.db.select().from(cases).where(eq(cases.number, Number(m[1]))).get();
    if (!c || !maySee(app, ctx.staff!, c.id)) return void (await ctx.reply(ctx.t('views-case-not-found', { number: m[1]! })));
    app.db.transaction((tx) => queueCard(app, tx as never, { caseId: c.id, chatId: ctx.chat.id, staffId: ctx.staff!.id, fresh: true }));
  });

  composer.command('find', async (ctx) => {
    const q = ctx.match.trim();
    if (q.length < 2) return void (await ctx.reply(ctx.t('views-find-usage')));
    const found = searchCases(app, q).filter((c) => maySee(app, ctx.staff!, c.id));
    if (!found.length) return void (await ctx.reply(ctx.t('views-find-nothing', { query: escapeHtml(q) }), { parse_mode: 'HTML' }));
    const lines = found.map((c) => `/case_${c.number} · ${ctx.t(`case-status-${c.status}`)} · ${escapeHtml(snippet(c.text))}`);
    await replyList(ctx, ctx.t('views-find-title', { count: found.length }), lines);
  });

  // `/case_42` from the lists above.
  composer.hears(/^\/case_(\d{1,9})(?:@\w+)?$/, async (ctx) => {
    const c = app.db.select().from(cases).where(eq(cases.number, Number(ctx.match[1]))).get();
    if (!c || !maySee(app, ctx.staff!, c.id)) return void (await ctx.reply(ctx.t('views-case-not-found', { number: ctx.match[1]! })));
    app.db.transaction((tx) => queueCard(app, tx as never, { caseId: c.id, chatId: ctx.chat.id, staffId: ctx.staff!.id, fresh: true }));
  });

  // The button under a notice about a case: the card, fresh at the bottom of the chat.
  composer.on('callback_query:data', async (ctx, next) => {
    const cb = decodeCallback(ctx.callbackQuery.data);
    if (!cb || cb.action !== OPEN_CASE || !ctx.staff || !ctx.chat) return next();
    if (!maySee(app, ctx.staff, cb.caseId) || !app.db.select({ id: cases.id }).from(cases).where(eq(cases.id, cb.caseId)).get()) {
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

async function replyList(ctx: BotContext, title: string, lines: string[]): Promise<void> {
  const shown = lines.slice(0, LIST_LIMIT);
  const more = lines.length > LIST_LIMIT ? `\n${ctx.t('views-more', { count: lines.length - LIST_LIMIT })}` : '';
  for (const part of splitText([title, ...shown].join('\n') + more)) await ctx.reply(part, { parse_mode: 'HTML' });
}

/** Whether a person may open a case: the wide roles see all; others the cases of their department or their own. */
export function maySee(app: AppContext, me: StaffRow, caseId: number): boolean {
  if (me.roles.some((r) => WIDE_ROLES.includes(r))) return true;
  const a = app.db
    .select({ seq: assignments.seq })
    .from(assignments)
    .where(and(eq(assignments.caseId, caseId), or(eq(assignments.executorId, me.id), me.departmentId ? eq(assignments.departmentId, me.departmentId) : isNull(assignments.caseId))))
    .get();
  return !!a;
}

/** Open deadlines that name me, or my role (in my department when one is named). */
function mine(me: StaffRow) {
  const conds = [eq(deadlines.staffId, me.id)];
  for (const role of me.roles) {
    conds.push(and(isNull(deadlines.staffId), eq(deadlines.role, role), isNull(deadlines.departmentId))!);
    if (me.departmentId) conds.push(and(isNull(deadlines.staffId), eq(deadlines.role, role), eq(deadlines.departmentId, me.departmentId))!);
  }
  return or(...conds)!;
}

/** What waits for me: my open deadlines; for the administrator also every case not routed yet. */
export function waitingFor(app: AppContext, me: StaffRow): Item[] {
  const rows = app.db
    .select({ caseId: cases.id, number: cases.number, status: cases.status, kind: deadlines.kind, dueAt: deadlines.dueAt })
    .from(deadlines)
    .innerJoin(cases, eq(cases.id, deadlines.caseId))
    .where(and(inArray(deadlines.status, ['open', 'paused']), mine(me)))
    .orderBy(asc(deadlines.dueAt))
    .all();
  const out: Item[] = [];
  const seen = new Set<number>();
  for (const r of rows) {
    if (seen.has(r.caseId) || (TERMINAL_STATUSES as readonly string[]).includes(r.status)) continue;
    // The answer term is everybody's background; list a case for the step that waits for me.
    seen.add(r.caseId);
    out.push(r);
  }
  if (me.roles.includes('administrator')) {
    const waiting = app.db.select({ caseId: cases.id, number: cases.number, status: cases.status }).from(cases).where(inArray(cases.status, ['new', 'returned'])).orderBy(asc(cases.id)).all();
    for (const w of waiting) if (!seen.has(w.caseId)) out.push({ ...w, kind: null, dueAt: null }), seen.add(w.caseId);
  }
  return out;
}

/** Overdue open deadlines: all of them for the wide roles, mine for the others. */
export function openDeadlines(app: AppContext, me: StaffRow, now: number): Item[] {
  const wide = me.roles.some((r) => WIDE_ROLES.includes(r));
  const where = and(eq(deadlines.status, 'open'), lt(deadlines.dueAt, now), wide ? undefined : mine(me));
  return app.db
    .select({ caseId: cases.id, number: cases.number, status: cases.status, kind: deadlines.kind, dueAt: deadlines.dueAt })
    .from(deadlines)
    .innerJoin(cases, eq(cases.id, deadlines.caseId))
    .where(where)
    .orderBy(asc(deadlines.dueAt))
    .all();
}
