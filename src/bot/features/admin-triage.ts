import { Composer } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import type { AppContext } from '../../kernel/context.js';
import { activeOutsideBodies, activeStaffOfDepartment } from '../../db/repositories/staff.js';
import { caseNumberOf } from '../../db/repositories/case-store.js';
import { casesOfAuthor, recentCases, searchCasesWithText } from '../../db/repositories/case-search.js';
import { authorText, greeting } from '../../kernel/author-templates.js';
import type { CallbackData } from '../../kernel/callback-data.js';
import { adminCallbacks } from '../callbacks/admin.js';
import { refuseUnreadable } from '../callbacks/index.js';
import type { BotContext } from '../context.js';
import { cardKeyboard } from '../keyboards/card.js';
import { ADMIN_ACTION, adminData, backRow, decodeSelection, departmentsKeyboard, importanceKeyboard, isAdministrator, listKeyboard, reasonsKeyboard, type AdminAction } from '../keyboards/admin.js';
import { loadCardView, type CardView } from '../cards/view.js';
import { localized } from '../cards/format.js';
import { escapeHtml } from '../format/html.js';
import { refusalText, runCommand, runFromButton } from '../run-command.js';
import { endConversation, getConversation, startConversation } from '../../db/repositories/conversations.js';
import type { AssignmentInput } from '../../domain/workflow/index.js';
import { joinFromButton } from './admin-join.js';
import { mayMove } from './work-buttons.js';

/** Conversation kinds this feature owns (typed topic / location, repeat search). */
export const ADMIN_INPUTS = { topic: 'admin-topic', location: 'admin-location', repeatSearch: 'admin-repeat-search', note: 'admin-note', joinSearch: 'admin-join-search' } as const;

/** The note typed for the next assignment of the case (conversation `admin-note`), if any. */
function pendingNote(app: AppContext, chatId: number, caseId: number): string | null {
  const conv = getConversation<{ note?: string }>(app.db, chatId);
  return conv && conv.kind === ADMIN_INPUTS.note && conv.caseId === caseId && conv.data.note ? conv.data.note : null;
}

const TRIAGE_STATUSES = ['new', 'returned'];
const BAN_DAYS = [1, 7, 30, 0]; // 0: without end (А10.1: the administrator decides the term)

type Btn = InlineKeyboardButton;

/**
 * The administrator's triage on a case card: importance, topic, location (from the
 * organization's lists or typed), departments (several, one responsible, in order), reject with a
 * reason of the regulation, not our competence with an outside body (the author's text previewed and
 * confirmed first), repeat of an earlier case (recent candidates, search by number or text), ban of
 * the author (reason and term, where the regulation provides for bans), urgent (escalate to the head).
 * Every press is re-checked: the person's role now, the case's status now (the workflow refuses
 * otherwise), and the argument against the current lists (forged data decodes to nothing).
 */
export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on('callback_query:data', async (ctx, next) => {
    if (!adminCallbacks.claims(ctx.callbackQuery.data)) return next();
    const d = adminCallbacks.decode(ctx.callbackQuery.data);
    if (!d) return refuseUnreadable(ctx);
    await handlePress(app, ctx, { action: d.action, caseId: d.caseId, arg: d.arg });
  });

  composer.on('message:text', async (ctx, next) => {
    if (!ctx.staff || ctx.message.text.startsWith('/')) return next();
    const conv = getConversation(app.db, ctx.chat.id);
    if (!conv || !Object.values(ADMIN_INPUTS).includes(conv.kind as never) || conv.caseId === null) return next();
    await handleTyped(app, ctx, conv.kind, conv.caseId, ctx.message.text.trim());
  });

  return composer;
}

async function alert(ctx: BotContext, text: string): Promise<void> {
  await ctx.answerCallbackQuery({ text: text.slice(0, 200), show_alert: true });
}

function locOf(app: AppContext, ctx: BotContext): string {
  return ctx.staff?.locale ?? app.org.organization.locale;
}

async function showKeyboard(ctx: BotContext, keyboard: Btn[][]): Promise<void> {
  await ctx.answerCallbackQuery();
  try {
    await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: keyboard } });
  } catch {
    // The message is gone or shows exactly this already.
  }
}

function departmentsOf(app: AppContext): { id: string; name: string }[] {
  return app.org.departments.map((d) => ({ id: d.id, name: d.name }));
}

/** Who gets the case in a department: named only when nobody heads it and one executor works there (К7). */
function executorFor(app: AppContext, departmentId: string): number | undefined {
  const people = activeStaffOfDepartment(app.db, departmentId);
  if (people.some((p) => p.roles.includes('department_head'))) return undefined;
  const executors = people.filter((p) => p.roles.includes('executor'));
  return executors.length === 1 ? executors[0]!.id : undefined;
}

async function handlePress(app: AppContext, ctx: BotContext, d: CallbackData): Promise<void> {
  const loc = locOf(app, ctx);
  const t = (k: string, v?: Record<string, string | number>) => app.t(loc, k, v);
  if (!isAdministrator(ctx.staff)) return alert(ctx, refusalText(app, loc, { code: 'wrong_role', params: {}, message: '' }));
  const view = loadCardView(app.db, d.caseId);
  if (!view) return alert(ctx, refusalText(app, loc, { code: 'not_found', params: {}, message: '' }));
  const s = view.state;
  const staleIf = async (ok: boolean): Promise<boolean> => {
    if (ok) return false;
    await alert(ctx, refusalText(app, loc, { code: 'wrong_state', params: { status: t(`case-status-${s.status}`) }, message: '' }));
    return true;
  };
  const bad = () => alert(ctx, t('admin-bad-choice'));
  const arg = d.arg;
  const index = (n: number): number | null => (arg !== null && /^\d{1,3}$/.test(arg) && Number(arg) < n ? Number(arg) : null);

  switch (d.action) {
    case ADMIN_ACTION.menu:
      return showKeyboard(ctx, cardKeyboard(app, view, ctx.staff!));

    case ADMIN_ACTION.importance: {
      if (await staleIf(['new', 'assigned', 'returned'].includes(s.status))) return;
      const levels = app.regulation.importance.levels;
      if (arg === null) return showKeyboard(ctx, importanceKeyboard(app, loc, view));
      const i = index(levels.length);
      if (i === null) return bad();
      await runFromButton(ctx, s.id, { type: 'triage', importance: levels[i]!.id }, t('admin-done-importance', { value: localized(levels[i]!.title, loc) }));
      return;
    }

    case ADMIN_ACTION.topic:
    case ADMIN_ACTION.location: {
      if (await staleIf(['new', 'assigned', 'returned'].includes(s.status))) return;
      const isTopic = d.action === ADMIN_ACTION.topic;
      const items = isTopic ? app.org.topics : app.org.locations;
      if (arg === null) return showKeyboard(ctx, listKeyboard(app, loc, view, d.action, items, isTopic ? s.topic : s.location));
      if (arg === 'typed') {
        startConversation(app.db, { chatId: ctx.chat!.id, staffId: ctx.staff!.id, kind: isTopic ? ADMIN_INPUTS.topic : ADMIN_INPUTS.location, caseId: s.id });
        await ctx.answerCallbackQuery();
        await ctx.reply(t(isTopic ? 'admin-type-topic' : 'admin-type-location', { number: s.number }));
        return;
      }
      const i = index(items.length);
      if (i === null) return bad();
      await runFromButton(ctx, s.id, isTopic ? { type: 'triage', topic: items[i]! } : { type: 'triage', location: items[i]! }, t('admin-done-saved'));
      return;
    }

    case ADMIN_ACTION.departments:
    case ADMIN_ACTION.assign: {
      if (await staleIf(s.status === 'new')) return;
      const depts = departmentsOf(app);
      const sel = decodeSelection(arg, depts.length);
      if (!sel) return bad();
      if (d.action === ADMIN_ACTION.departments) return showKeyboard(ctx, departmentsKeyboard(app, loc, s.id, depts, sel));
      if (sel.order.length === 0 || sel.responsible === null) return bad();
      const assignments: AssignmentInput[] = sel.order.map((i, n) => {
        const ex = executorFor(app, depts[i]!.id);
        return { departmentId: depts[i]!.id, responsible: i === sel.responsible, order: n + 1, ...(ex !== undefined ? { executorId: ex } : {}) };
      });
      const names = sel.order.map((i) => depts[i]!.name).join(', ');
      const note = pendingNote(app, ctx.chat!.id, s.id);
      const r = await runFromButton(ctx, s.id, { type: 'assign', assignments, ...(note ? { comment: note } : {}) }, t('admin-done-assigned', { departments: names }));
      if (r.ok && note) endConversation(app.db, ctx.chat!.id);
      return;
    }

    case ADMIN_ACTION.note: {
      // What is asked: the next text becomes the note of the assignment, shown on the card.
      if (await staleIf(TRIAGE_STATUSES.includes(s.status) || mayMove(app, ctx.staff!, s))) return;
      startConversation(app.db, { chatId: ctx.chat!.id, staffId: ctx.staff!.id, kind: ADMIN_INPUTS.note, caseId: s.id, data: {} });
      await ctx.answerCallbackQuery();
      await ctx.reply(t('admin-type-note', { number: s.number }));
      return;
    }

    case ADMIN_ACTION.reassign: {
      const moving = mayMove(app, ctx.staff!, s);
      if (await staleIf(s.status === 'returned' || moving)) return;
      const depts = departmentsOf(app);
      if (arg === null) {
        if (moving) await ctx.reply(t('admin-move-ask', { number: s.number }));
        const rows: Btn[][] = depts.map((dep, i) => [{ text: dep.name, callback_data: adminData(ADMIN_ACTION.reassign, s.id, i) }]);
        rows.push([{ text: t('btn-note'), callback_data: adminData(ADMIN_ACTION.note, s.id) }]);
        return showKeyboard(ctx, [...rows, backRow(app, loc, s.id)]);
      }
      const i = index(depts.length);
      if (i === null) return bad();
      const ex = executorFor(app, depts[i]!.id);
      const note = pendingNote(app, ctx.chat!.id, s.id);
      if (moving && !note) return alert(ctx, t('admin-move-reason-needed'));
      const r = await runFromButton(
        ctx,
        s.id,
        { type: 'reassign', departmentId: depts[i]!.id, ...(ex !== undefined ? { executorId: ex } : {}), ...(note ? { comment: note } : {}) },
        t('admin-done-assigned', { departments: depts[i]!.name }),
      );
      if (r.ok && note) endConversation(app.db, ctx.chat!.id);
      return;
    }

    case ADMIN_ACTION.reject: {
      if (await staleIf(TRIAGE_STATUSES.includes(s.status))) return;
      const reasons = app.regulation.rejectionReasons;
      if (arg === null) return showKeyboard(ctx, reasonsKeyboard(app, loc, s.id, ADMIN_ACTION.reject, reasons));
      const i = index(reasons.length);
      if (i === null) return bad();
      await runFromButton(ctx, s.id, { type: 'reject', reasonId: reasons[i]!.id }, t('admin-done-rejected'));
      return;
    }

    case ADMIN_ACTION.notCompetent:
    case ADMIN_ACTION.notCompetentConfirm: {
      if (await staleIf(TRIAGE_STATUSES.includes(s.status))) return;
      const bodies = activeOutsideBodies(app.db);
      const required = app.regulation.rules.notifyNotCompetent;
      if (arg === null) {
        const rows: Btn[][] = bodies.map((b, i) => [{ text: b.name, callback_data: adminData(ADMIN_ACTION.notCompetent, s.id, i) }]);
        if (!required) rows.push([{ text: t('btn-no-body'), callback_data: adminData(ADMIN_ACTION.notCompetentConfirm, s.id, 'none') }]);
        if (!rows.length) return alert(ctx, t('admin-no-bodies'));
        return showKeyboard(ctx, [...rows, backRow(app, loc, s.id)]);
      }
      const none = arg === 'none' && !required;
      const i = none ? null : index(bodies.length);
      if (!none && i === null) return bad();
      const body = i === null ? null : bodies[i]!;
      if (d.action === ADMIN_ACTION.notCompetent && body) {
        // Show the author's text first (А7.12); the administrator confirms it.
        await ctx.answerCallbackQuery();
        const preview = required ? authorPreview(app, view, body) : null;
        const text = preview
          ? t('admin-not-competent-preview', { number: s.number, body: escapeHtml(body.name), text: escapeHtml(preview) })
          : t('admin-not-competent-confirm', { number: s.number, body: escapeHtml(body.name) });
        await ctx.reply(text, {
          parse_mode: 'HTML',
          reply_markup: {
            inline_keyboard: [[{ text: t('btn-confirm-send'), callback_data: adminData(ADMIN_ACTION.notCompetentConfirm, s.id, i) }], backRow(app, loc, s.id)],
          },
        });
        return;
      }
      const r = await runFromButton(ctx, s.id, { type: 'markNotCompetent', outsideBodyId: body?.id ?? null }, t('admin-done-not-competent'));
      if (r.ok && ctx.callbackQuery?.message && !isCardMessage(ctx)) {
        try {
          await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } });
        } catch {
          // already without buttons
        }
      }
      return;
    }

    case ADMIN_ACTION.repeat: {
      if (await staleIf(TRIAGE_STATUSES.includes(s.status))) return;
      if (arg === null) {
        const rows = candidateRows(app, view);
        rows.push([{ text: t('btn-search'), callback_data: adminData(ADMIN_ACTION.repeat, s.id, 'search') }]);
        return showKeyboard(ctx, [...rows, backRow(app, loc, s.id)]);
      }
      if (arg === 'search') {
        startConversation(app.db, { chatId: ctx.chat!.id, staffId: ctx.staff!.id, kind: ADMIN_INPUTS.repeatSearch, caseId: s.id });
        await ctx.answerCallbackQuery();
        await ctx.reply(t('admin-type-repeat-search', { number: s.number }));
        return;
      }
      if (!/^[1-9]\d{0,9}$/.test(arg)) return bad();
      const earlierNumber = caseNumberOf(app.db, Number(arg));
      const earlier = earlierNumber === null ? null : { id: Number(arg), number: earlierNumber };
      if (!earlier) return alert(ctx, refusalText(app, loc, { code: 'not_found', params: {}, message: '' }));
      await runFromButton(ctx, s.id, { type: 'markRepeat', repeatOf: earlier.id }, t('admin-done-repeat', { number: earlier.number }));
      return;
    }

    case ADMIN_ACTION.join: {
      // The same as the repeat choice, but the press joins this case into the chosen one (К17 · А7.11).
      if (await staleIf(TRIAGE_STATUSES.includes(s.status))) return;
      if (arg === null) {
        const rows = candidateRows(app, view, ADMIN_ACTION.join);
        rows.push([{ text: t('btn-search'), callback_data: adminData(ADMIN_ACTION.join, s.id, 'search') }]);
        return showKeyboard(ctx, [...rows, backRow(app, loc, s.id)]);
      }
      if (arg === 'search') {
        startConversation(app.db, { chatId: ctx.chat!.id, staffId: ctx.staff!.id, kind: ADMIN_INPUTS.joinSearch, caseId: s.id });
        await ctx.answerCallbackQuery();
        await ctx.reply(t('admin-type-join-search', { number: s.number }));
        return;
      }
      if (!/^[1-9]\d{0,9}$/.test(arg)) return bad();
      const earlierNumber = caseNumberOf(app.db, Number(arg));
      const earlier = earlierNumber === null ? undefined : { id: Number(arg), number: earlierNumber };
      if (!earlier) return alert(ctx, refusalText(app, loc, { code: 'not_found', params: {}, message: '' }));
      await joinFromButton(ctx, s.id, earlier.id, t('admin-done-joined', { number: earlier.number }));
      return;
    }

    case ADMIN_ACTION.ban:
    case ADMIN_ACTION.banConfirm: {
      if (!app.regulation.rules.bansAllowed) return alert(ctx, refusalText(app, loc, { code: 'not_provided', params: {}, message: '' }));
      const reasons = app.regulation.banReasons;
      if (d.action === ADMIN_ACTION.ban) {
        if (arg === null) return showKeyboard(ctx, reasonsKeyboard(app, loc, s.id, ADMIN_ACTION.ban, reasons));
        const i = index(reasons.length);
        if (i === null) return bad();
        const rows: Btn[][] = [BAN_DAYS.map((days) => ({ text: days ? t('ban-days', { days }) : t('ban-forever'), callback_data: adminData(ADMIN_ACTION.banConfirm, s.id, `${i}.${days}`) }))];
        return showKeyboard(ctx, [...rows, backRow(app, loc, s.id)]);
      }
      const m = arg ? /^(\d{1,2})\.(\d{1,3})$/.exec(arg) : null;
      if (!m || Number(m[1]) >= reasons.length || !BAN_DAYS.includes(Number(m[2]))) return bad();
      const days = Number(m[2]);
      const until = days ? app.clock.now().plus({ days }).toMillis() : null;
      await runFromButton(ctx, s.id, { type: 'banAuthor', reasonId: reasons[Number(m[1])]!.id, until }, t('admin-done-banned'));
      return;
    }

    case ADMIN_ACTION.urgent:
      await runFromButton(ctx, s.id, { type: 'escalate' }, t('admin-done-urgent'));
      return;

    default:
      return bad();
  }
}

/** True when the pressed message is a case card (not a preview sent beside it). */
function isCardMessage(ctx: BotContext): boolean {
  const text = ctx.callbackQuery?.message && 'text' in ctx.callbackQuery.message ? (ctx.callbackQuery.message.text ?? '') : '';
  return !text.includes('⚠');
}

function authorPreview(app: AppContext, view: CardView, body: { name: string; contacts: string }): string {
  const name = view.state.author?.name ?? view.messages[0]?.author.name ?? null;
  const contacts = body.contacts ? app.t(app.org.organization.locale, 'author-not-competent-contacts', { contacts: body.contacts }) : '';
  return authorText(app, 'author-not-competent', { greeting: greeting(app, name), body: body.name, contacts, case: view.state.number });
}

/** Recent earlier cases, the same author's first (К17, А7.11). */
function candidateRows(app: AppContext, view: CardView, action: AdminAction = ADMIN_ACTION.repeat): Btn[][] {
  const s = view.state;
  const ext = s.author?.externalId ?? null;
  const same = ext ? casesOfAuthor(app.db, ext, s.id, 5) : [];
  const recent = recentCases(app.db, s.id, 8);
  const seen = new Set<number>();
  const rows: Btn[][] = [];
  for (const c of [...same, ...recent]) {
    if (seen.has(c.id) || rows.length >= 8) continue;
    seen.add(c.id);
    rows.push([{ text: `№ ${c.number} · ${snippet(c.text)}`, callback_data: adminData(action, s.id, c.id) }]);
  }
  return rows;
}

function snippet(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 40 ? `${one.slice(0, 39)}…` : one || '—';
}

async function handleTyped(app: AppContext, ctx: BotContext, kind: string, caseId: number, text: string): Promise<void> {
  const loc = locOf(app, ctx);
  const t = (k: string, v?: Record<string, string | number>) => app.t(loc, k, v);
  if (!text) return;
  if (kind === ADMIN_INPUTS.repeatSearch || kind === ADMIN_INPUTS.joinSearch) {
    const join = kind === ADMIN_INPUTS.joinSearch;
    const rows = searchCases(app, text, caseId).map((c) => [{ text: `№ ${c.number} · ${snippet(c.text)}`, callback_data: adminData(join ? ADMIN_ACTION.join : ADMIN_ACTION.repeat, caseId, c.id) }]);
    if (!rows.length) {
      await ctx.reply(t('admin-search-nothing', { query: text }));
      return;
    }
    endConversation(app.db, ctx.chat!.id);
    await ctx.reply(t(join ? 'admin-join-results' : 'admin-search-results', { count: rows.length }), { reply_markup: { inline_keyboard: rows } });
    return;
  }
  if (kind === ADMIN_INPUTS.note) {
    // Kept until «Направить» uses it (or /cancel); a new text replaces it.
    const note = text.slice(0, 1000);
    startConversation(app.db, { chatId: ctx.chat!.id, staffId: ctx.staff!.id, kind, caseId, data: { note } });
    await ctx.reply(t('admin-note-saved'));
    return;
  }
  const value = text.slice(0, 200);
  const r = runCommand(app, ctx.staff!, caseId, kind === ADMIN_INPUTS.topic ? { type: 'triage', topic: value } : { type: 'triage', location: value });
  endConversation(app.db, ctx.chat!.id);
  await ctx.reply(r.ok ? t('admin-done-saved') : r.text);
}

/** The search behind the repeat choice and /find (see searchCasesWithText). */
export function searchCases(app: AppContext, query: string, exceptCaseId = 0, limit = 8): { id: number; number: number; text: string; status: string }[] {
  return searchCasesWithText(app.db, app.database.sqlite, query, exceptCaseId, limit);
}
