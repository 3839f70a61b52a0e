import { Composer } from 'grammy';
import { draftCheckLines } from '../assist.js';
import type { InlineKeyboardButton } from 'grammy/types';
import { DateTime } from 'luxon';
import type { AppContext } from '../../kernel/context.js';
import { addDuration, dryRun, liveDeadlines, returnWindowEnd, type Assignment, type CaseState, type DraftKind } from '../../domain/workflow/index.js';
import { departmentName as storedDepartmentName } from '../../db/repositories/staff.js';
import { executorCallbacks, refuseUnreadable } from '../callbacks/index.js';

type ExecutorPress = NonNullable<ReturnType<typeof executorCallbacks.decode>>;
import type { BotContext, StaffRow } from '../context.js';
import { escapeHtml } from '../format/html.js';
import { findPromisedTerm, promisedInstant } from '../../domain/text/promised-term.js';
import { actorOf, refusalText, runCommand, runFromButton, workflowContext } from '../run-command.js';
import { endConversation, getConversation, startConversation, updateConversation, type Conversation } from '../../db/repositories/conversations.js';
import {
  knownAuthor,
  button,
  caseOf,
  currentDraft,
  due,
  lastVersion,
  localeOf,
  originalOf,
  recipientsOf,
  sendDraftPreview,
  sendHtml,
  staffById,
  tg,
  toAttachments,
  toMedia,
  type DraftMedia,
  type NotifyHandler,
  type Tx,
} from './work-common.js';

/**
 * The executor's half of the workspace: the task message (who assigned it, what is
 * asked, the deadlines in working time), accept, return with a reason inside the regulation's window,
 * the draft written in the chat (text, photos, videos, albums) with its kind (final, intermediate with
 * the promised date, clarification request), co-executors' parts, rework, and the «Опубликовать»
 * button when the executor publishes (К14).
 *
 * Callback data (`ex.<what>:<caseId>[:<arg>]`): every press is re-checked against the database — the
 * workflow refuses a wrong person or a state that moved on, and a conversation must be the presser's
 * own and about that case.
 */
export const EXECUTOR_ACTION = {
  accept: 'ex.acc',
  returnCase: 'ex.ret',
  draft: 'ex.draft',
  part: 'ex.part',
  kind: 'ex.kind',
  promised: 'ex.prom',
  show: 'ex.show',
  send: 'ex.send',
  clear: 'ex.clear',
  publish: 'ex.pub',
  condition: 'ex.cond',
  measures: 'ex.meas',
} as const;

/** Conversation kinds of this feature. */
export const EXECUTOR_CONVERSATION = { draft: 'draft', part: 'part', returnReason: 'return-reason' } as const;

export interface DraftData extends Record<string, unknown> {
  text: string | null;
  media: DraftMedia[];
  kind: DraftKind;
  promisedBy: number | null;
  /** Intermediate answers: the conditions of the final decision instead of a date (А7.8). */
  promisedConditions?: string | null;
  /** Repeats: the measures taken or the progress (К17, А7.11), part of the published answer. */
  measures?: string | null;
  /** Waiting for the promised date of an intermediate answer (a date typed alone), or a repeat's measures. */
  awaiting: 'promisedBy' | 'measures' | null;
  /** Media groups already acknowledged: an album is answered once, not once per photo. */
  groups: string[];
}

export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on('callback_query:data', async (ctx, next) => {
    const cb = executorCallbacks.decode(ctx.callbackQuery.data);
    if (!ctx.staff) return next();
    if (!cb) return executorCallbacks.claims(ctx.callbackQuery.data) ? refuseUnreadable(ctx) : next();
    await onButton(ctx, ctx.staff, cb);
  });

  composer.on('message', async (ctx, next) => {
    if (!ctx.staff || ctx.chat.type !== 'private') return next();
    const conv = getConversation(app.db, ctx.chat.id);
    if (!conv || !(Object.values(EXECUTOR_CONVERSATION) as string[]).includes(conv.kind)) return next();
    if (ctx.msg.text?.startsWith('/')) return next();
    if (conv.kind === EXECUTOR_CONVERSATION.returnReason) return onReturnReason(ctx, ctx.staff, conv);
    return onDraftContent(ctx, ctx.staff, conv as Conversation<DraftData>);
  });
  return composer;
}

// ---------------------------------------------------------------------------------------------
// Buttons
// ---------------------------------------------------------------------------------------------

async function alert(ctx: BotContext, key: string, vars?: Record<string, string | number>): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t(key, vars).slice(0, 200), show_alert: true });
}

async function onButton(ctx: BotContext, who: StaffRow, cb: ExecutorPress): Promise<void> {
  const app = ctx.app;
  const chatId = ctx.chat!.id;
  const s = caseOf(app.db, cb.caseId);
  if (!s) return alert(ctx, 'work-case-not-found');
  const locale = localeOf(app, who);
  switch (cb.action) {
    case EXECUTOR_ACTION.accept: {
      const seq = cb.arg;
      await runFromButton(ctx, s.id, { type: 'accept', assignmentSeq: seq }, ctx.t('executor-accepted-toast'));
      return;
    }
    case EXECUTOR_ACTION.returnCase: {
      const seq = cb.arg;
      const a = s.assignments.find((x) => x.seq === seq);
      if (!a || a.executorId !== who.id) return alert(ctx, 'workflow-refusal-not_assignee');
      const w = app.regulation.windows.executorReturn;
      const until = returnWindowEnd(app.regulation, app.workingTime, a);
      // The workflow decides (a dry run with the reason still to be typed): the status, the role, А7.2's window.
      const dry = dryRun(s, { type: 'returnCase', actor: actorOf(who), assignmentSeq: seq, reason: '…' }, workflowContext(app));
      if (!dry.ok && dry.refusal.code === 'window_closed') return alert(ctx, 'executor-return-window-closed', { clause: w.clause, until: due(app, locale, until) });
      if (!dry.ok) return void (await ctx.answerCallbackQuery({ text: refusalText(app, locale, dry.refusal).slice(0, 200), show_alert: true }));
      startConversation(app.db, { chatId, staffId: who.id, kind: EXECUTOR_CONVERSATION.returnReason, caseId: s.id, data: { assignmentSeq: seq } });
      await ctx.answerCallbackQuery();
      sendHtml(app, chatId, app.t(locale, 'executor-return-ask', { case: s.number, until: due(app, locale, until), clause: w.clause }), { forceReply: true });
      return;
    }
    case EXECUTOR_ACTION.draft: {
      const r = s.assignments.find((x) => x.role === 'responsible' && (x.status === 'accepted' || x.status === 'assigned'));
      if (!r || r.executorId !== who.id) return alert(ctx, 'workflow-refusal-not_assignee');
      if (r.status !== 'accepted') return alert(ctx, 'executor-accept-first');
      // Whether a draft may be written now is the workflow's answer, not a list of statuses here.
      const dry = dryRun(s, { type: 'saveDraft', actor: actorOf(who), text: '…' }, workflowContext(app));
      if (!dry.ok) return void (await ctx.answerCallbackQuery({ text: refusalText(app, locale, dry.refusal).slice(0, 200), show_alert: true }));
      const d = currentDraft(s);
      const editable = d && (d.status === 'editing' || d.status === 'rework') ? d : undefined;
      const v = lastVersion(editable);
      const data: DraftData = {
        text: v?.text ?? null,
        media: v ? toMedia(v.attachments) : [],
        kind: editable?.kind ?? 'final',
        promisedBy: editable?.promisedBy ?? null,
        promisedConditions: editable?.promisedConditions ?? null,
        measures: editable?.measures ?? null,
        awaiting: null,
        groups: [],
      };
      startConversation(app.db, { chatId, staffId: who.id, kind: EXECUTOR_CONVERSATION.draft, caseId: s.id, data });
      await ctx.answerCallbackQuery();
      sendDraftIntro(app, chatId, s, locale, data);
      return;
    }
    case EXECUTOR_ACTION.part: {
      const seq = cb.arg;
      const a = s.assignments.find((x) => x.seq === seq);
      if (!a || a.executorId !== who.id || a.role !== 'co_executor') return alert(ctx, 'workflow-refusal-not_assignee');
      if (a.status === 'part_submitted') return alert(ctx, 'workflow-refusal-already_done');
      if (a.status !== 'accepted') return alert(ctx, a.status === 'assigned' ? 'executor-accept-first' : 'workflow-refusal-wrong_state');
      const data: DraftData = { text: null, media: [], kind: 'final', promisedBy: null, awaiting: null, groups: [], assignmentSeq: seq };
      startConversation(app.db, { chatId, staffId: who.id, kind: EXECUTOR_CONVERSATION.part, caseId: s.id, data });
      await ctx.answerCallbackQuery();
      sendHtml(app, chatId, app.t(locale, 'executor-part-intro', { case: s.number, question: escapeHtml(clip(originalOf(app.db, s).text, 800)) }), { caseId: s.id, forceReply: true });
      return;
    }
    case EXECUTOR_ACTION.kind:
    case EXECUTOR_ACTION.promised:
    case EXECUTOR_ACTION.condition:
    case EXECUTOR_ACTION.measures:
    case EXECUTOR_ACTION.show:
    case EXECUTOR_ACTION.send:
    case EXECUTOR_ACTION.clear: {
      const conv = getConversation<DraftData>(app.db, chatId);
      if (!conv || (conv.kind !== EXECUTOR_CONVERSATION.draft && conv.kind !== EXECUTOR_CONVERSATION.part) || conv.caseId !== s.id || conv.staffId !== who.id)
        return alert(ctx, 'executor-draft-not-open');
      return onDraftButton(ctx, who, s, conv, cb);
    }
    case EXECUTOR_ACTION.publish: {
      await runFromButton(ctx, s.id, { type: 'publish' }, ctx.t('work-publish-requested'));
      return;
    }
    default:
      await alert(ctx, 'work-button-unknown');
  }
}

// ---------------------------------------------------------------------------------------------
// Return with a reason (К9, А7.2)
// ---------------------------------------------------------------------------------------------

async function onReturnReason(ctx: BotContext, who: StaffRow, conv: Conversation): Promise<void> {
  const app = ctx.app;
  const locale = localeOf(app, who);
  const reason = ctx.msg?.text?.trim();
  if (!reason) {
    sendHtml(app, ctx.chat!.id, app.t(locale, 'executor-return-need-text'));
    return;
  }
  const seq = Number(conv.data['assignmentSeq']);
  const r = runCommand(app, who, conv.caseId!, { type: 'returnCase', assignmentSeq: seq, reason });
  endConversation(app.db, ctx.chat!.id);
  if (!r.ok) {
    sendHtml(app, ctx.chat!.id, escapeHtml(r.text));
    return;
  }
  sendHtml(app, ctx.chat!.id, app.t(locale, 'executor-returned', { case: r.state.number, role: roleName(app, 'administrator', locale) }), { caseId: r.state.id });
}

// ---------------------------------------------------------------------------------------------
// Draft and part: collected in the chat, kept in the conversation row
// ---------------------------------------------------------------------------------------------

function sendDraftIntro(app: AppContext, chatId: number, s: CaseState, locale: string, data: DraftData): void {
  const lines: string[] = [app.t(locale, 'executor-draft-intro', { case: s.number })];
  const orig = originalOf(app.db, s);
  lines.push(app.t(locale, knownAuthor(app, orig.author) ? 'executor-question' : 'executor-question-anonymous', { author: escapeHtml(orig.author), text: escapeHtml(clip(orig.text, 1500)) }));
  const parts = s.assignments.filter((a) => a.role === 'co_executor' && a.status !== 'withdrawn');
  if (parts.length) {
    lines.push(app.t(locale, 'executor-parts-title', { count: parts.filter((a) => a.part).length, total: parts.length }));
    for (const a of [...parts].sort((x, y) => x.order - y.order)) {
      const dept = departmentName(app, a.departmentId);
      const name = staffById(app.db, a.executorId)?.name ?? '—';
      lines.push(
        a.part
          ? app.t(locale, 'executor-part-line', { department: escapeHtml(dept), name: escapeHtml(name), text: escapeHtml(a.part.text), media: a.part.attachments.length })
          : app.t(locale, 'executor-part-missing', { department: escapeHtml(dept), name: escapeHtml(name) }),
      );
    }
  }
  const d = currentDraft(s);
  if (d && d.status === 'rework') {
    const c = [...d.comments].reverse().find((x) => x.verdict === 'returned');
    const v = lastVersion(d);
    if (c) lines.push(app.t(locale, 'executor-rework-comment', { by: escapeHtml(c.byName), text: escapeHtml(c.text ?? '') }));
    if (v) lines.push(app.t(locale, 'executor-rework-earlier', { text: escapeHtml(v.text), media: v.attachments.length }));
  }
  if (s.status === 'awaiting_final') lines.push(app.t(locale, 'executor-final-after-intermediate'));
  lines.push(app.t(locale, 'executor-draft-how'));
  sendHtml(app, chatId, lines.join('\n\n'), { caseId: s.id, keyboard: draftKeyboard(app, s.id, locale, data, false) });
}

function draftKeyboard(app: AppContext, caseId: number, locale: string, data: DraftData, part: boolean): InlineKeyboardButton[][] {
  if (part) {
    return [[button(app.t(locale, 'executor-btn-show'), executorCallbacks.encode('show', caseId)), button(app.t(locale, 'executor-btn-send-part'), executorCallbacks.encode('send', caseId))]];
  }
  const mark = (k: DraftKind) => (data.kind === k ? '✓ ' : '') + app.t(locale, `executor-kind-${k}`);
  return [
    [button(mark('final'), executorCallbacks.encode('kind', caseId, 'final')), button(mark('intermediate'), executorCallbacks.encode('kind', caseId, 'intermediate'))],
    [button(mark('clarification'), executorCallbacks.encode('kind', caseId, 'clarification'))],
    [button(app.t(locale, 'executor-btn-show'), executorCallbacks.encode('show', caseId)), button(app.t(locale, 'executor-btn-send'), executorCallbacks.encode('send', caseId))],
    [button(app.t(locale, 'executor-btn-clear'), executorCallbacks.encode('clear', caseId))],
  ];
}

function largestPhoto(photos: readonly { file_id: string; width: number; height: number }[]): string {
  return [...photos].sort((a, b) => b.width * b.height - a.width * a.height)[0]!.file_id;
}

async function onDraftContent(ctx: BotContext, who: StaffRow, conv: Conversation<DraftData>): Promise<void> {
  const app = ctx.app;
  const chatId = ctx.chat!.id;
  const locale = localeOf(app, who);
  const msg = ctx.msg!;
  const part = conv.kind === EXECUTOR_CONVERSATION.part;

  if (conv.data.awaiting === 'measures' && msg.text?.trim() && !part) {
    // К17, А7.11: the measures typed on request join the answer's text, so they are published.
    const m = msg.text.trim();
    const next = updateConversation<DraftData>(app.db, chatId, conv.kind, (d) => ({ ...d, measures: m, awaiting: null, text: d.text && !d.text.includes(m) ? `${d.text}\n\n${m}` : (d.text ?? m) }))!;
    sendHtml(app, chatId, app.t(locale, 'executor-measures-set'), { caseId: conv.caseId, keyboard: draftKeyboard(app, conv.caseId!, locale, next.data, part) });
    return;
  }
  if (conv.data.awaiting === 'promisedBy' && msg.text) {
    // A date typed alone is the term; anything else is the draft's text (never swallowed).
    const at = promisedDateAlone(app, msg.text);
    if (at !== null) {
      const next = updateConversation<DraftData>(app.db, chatId, conv.kind, (d) => ({ ...d, promisedBy: at, promisedConditions: null, awaiting: null }))!;
      sendHtml(app, chatId, app.t(locale, 'executor-promised-set', { date: due(app, locale, at) }), { caseId: conv.caseId, keyboard: draftKeyboard(app, conv.caseId!, locale, next.data, part) });
      return;
    }
  }

  let media: DraftMedia | null = null;
  if (msg.photo?.length) media = { type: 'photo', fileId: largestPhoto(msg.photo) };
  else if (msg.video) media = { type: 'video', fileId: msg.video.file_id };
  const text = msg.text ?? msg.caption ?? null;
  if (!media && !text) {
    sendHtml(app, chatId, app.t(locale, 'executor-draft-unsupported'));
    return;
  }
  const group = msg.media_group_id ?? null;
  let seenGroup = false;
  const next = updateConversation<DraftData>(app.db, chatId, conv.kind, (d) => {
    seenGroup = group !== null && d.groups.includes(group);
    return {
      ...d,
      text: text !== null && text.trim() ? text.trim() : d.text,
      media: media ? [...d.media, media].slice(0, 10) : d.media,
      groups: group !== null && !seenGroup ? [...d.groups, group] : d.groups,
    };
  });
  if (!next || seenGroup) return; // the rest of an album: acknowledged once
  const key = part ? 'executor-part-added' : 'executor-draft-added';
  sendHtml(app, chatId, app.t(locale, key, { case: caseNumber(app, next.caseId!), kind: app.t(locale, `executor-kind-${next.data.kind}`) }), {
    caseId: next.caseId,
    keyboard: draftKeyboard(app, next.caseId!, locale, next.data, part),
  });
  if (!part && next.data.kind === 'intermediate' && next.data.promisedBy === null && !next.data.promisedConditions && text) {
    const s = caseOf(app.db, next.caseId!);
    if (s) offerTerm(app, chatId, s, locale, next.data.text);
  }
}

async function onDraftButton(ctx: BotContext, who: StaffRow, s: CaseState, conv: Conversation<DraftData>, cb: ExecutorPress): Promise<void> {
  const app = ctx.app;
  const chatId = ctx.chat!.id;
  const locale = localeOf(app, who);
  const part = conv.kind === EXECUTOR_CONVERSATION.part;
  switch (cb.action) {
    case EXECUTOR_ACTION.kind: {
      if (part) return alert(ctx, 'work-button-unknown');
      const kind: DraftKind = cb.arg;
      if (!['final', 'intermediate', 'clarification'].includes(kind)) return alert(ctx, 'work-button-unknown');
      const d = currentDraft(s);
      if (s.status === 'rework' && d && d.kind !== kind) return alert(ctx, 'executor-rework-same-kind');
      const termless = kind === 'intermediate' && conv.data.promisedBy === null && !conv.data.promisedConditions;
      const next = updateConversation<DraftData>(app.db, chatId, conv.kind, (x) => ({ ...x, kind, awaiting: termless ? 'promisedBy' : null }))!;
      await ctx.answerCallbackQuery({ text: app.t(locale, `executor-kind-${kind}`) });
      const m = ctx.callbackQuery?.message;
      if (m) tg(app, chatId, 'editMessageReplyMarkup', { message_id: m.message_id, reply_markup: { inline_keyboard: draftKeyboard(app, s.id, locale, next.data, false) } }, { caseId: s.id });
      if (termless) offerTerm(app, chatId, s, locale, next.data.text);
      return;
    }
    case EXECUTOR_ACTION.promised: {
      // The term read from the text (`t<epoch minutes>`), or the regulation's limit (no argument).
      const limit = promisedLimit(app);
      const at = cb.arg?.startsWith('t') ? Number(cb.arg.slice(1)) * 60_000 : limit;
      const now = app.clock.now().toMillis();
      if (at === null || !Number.isSafeInteger(at) || at <= now || (limit !== null && at > limit)) return alert(ctx, 'workflow-refusal-term_too_long');
      updateConversation<DraftData>(app.db, chatId, conv.kind, (x) => ({ ...x, promisedBy: at, promisedConditions: null, awaiting: null }));
      await ctx.answerCallbackQuery();
      sendHtml(app, chatId, app.t(locale, 'executor-promised-set', { date: due(app, locale, at) }), {
        caseId: s.id,
        keyboard: draftKeyboard(app, s.id, locale, { ...conv.data, promisedBy: at, awaiting: null }, false),
      });
      return;
    }
    case EXECUTOR_ACTION.condition: {
      const term = conv.data.text ? findPromisedTerm(conv.data.text, nowIn(app)) : null;
      if (!term || term.kind !== 'condition') return alert(ctx, 'executor-draft-not-open');
      updateConversation<DraftData>(app.db, chatId, conv.kind, (x) => ({ ...x, promisedBy: null, promisedConditions: term.text, awaiting: null }));
      await ctx.answerCallbackQuery();
      sendHtml(app, chatId, app.t(locale, 'executor-condition-set', { condition: escapeHtml(term.text) }), { caseId: s.id, keyboard: draftKeyboard(app, s.id, locale, conv.data, false) });
      return;
    }
    case EXECUTOR_ACTION.measures: {
      // The executor confirms that the answer's text itself states the measures (К17, А7.11).
      if (!conv.data.text) return alert(ctx, 'executor-draft-need-text');
      const next = updateConversation<DraftData>(app.db, chatId, conv.kind, (x) => ({ ...x, measures: x.text, awaiting: null }))!;
      return submitDraft(ctx, s, next);
    }
    case EXECUTOR_ACTION.show: {
      await ctx.answerCallbackQuery();
      if (!conv.data.text && conv.data.media.length === 0) {
        sendHtml(app, chatId, app.t(locale, 'executor-draft-empty'));
        return;
      }
      const header = app.t(locale, part ? 'executor-part-preview' : 'executor-draft-preview', {
        case: s.number,
        kind: app.t(locale, `executor-kind-${conv.data.kind}`),
        promised: conv.data.kind === 'intermediate' && conv.data.promisedBy ? due(app, locale, conv.data.promisedBy) : '—',
      });
      const checks = part ? [] : draftCheckLines(app, locale, s, { text: conv.data.text ?? '', kind: conv.data.kind });
      sendDraftPreview(app, chatId, { text: conv.data.text ?? '', media: conv.data.media }, [header, ...checks].join('\n'), {
        caseId: s.id,
        keyboard: draftKeyboard(app, s.id, locale, conv.data, part),
      });
      return;
    }
    case EXECUTOR_ACTION.clear: {
      updateConversation<DraftData>(app.db, chatId, conv.kind, (x) => ({ ...x, text: null, media: [], groups: [] }));
      await ctx.answerCallbackQuery({ text: app.t(locale, 'executor-draft-cleared') });
      return;
    }
    case EXECUTOR_ACTION.send: {
      if (!conv.data.text) return alert(ctx, 'executor-draft-need-text');
      if (part) {
        const seq = Number(conv.data['assignmentSeq']);
        const r = await runFromButton(
          ctx,
          s.id,
          { type: 'contributePart', assignmentSeq: seq, text: conv.data.text, attachments: toAttachments(conv.data.media) },
          app.t(locale, 'executor-part-sent-toast'),
        );
        if (!r.ok) return;
        endConversation(app.db, chatId);
        sendHtml(app, chatId, app.t(locale, 'executor-part-sent', { case: s.number }), { caseId: s.id });
        return;
      }
      if (conv.data.kind === 'intermediate' && conv.data.promisedBy === null && !conv.data.promisedConditions) {
        await alert(ctx, 'executor-promised-required');
        offerTerm(app, chatId, s, locale, conv.data.text);
        return;
      }
      if (conv.data.kind === 'final' && s.repeatOf !== null && app.regulation.rules.repeatNeedsMeasures && !conv.data.measures?.trim()) {
        // К17, А7.11: the answer to a repeat reports the measures taken or the progress.
        updateConversation<DraftData>(app.db, chatId, conv.kind, (x) => ({ ...x, awaiting: 'measures' }));
        await ctx.answerCallbackQuery();
        sendHtml(app, chatId, app.t(locale, 'executor-measures-ask', { case: s.number }), {
          caseId: s.id,
          keyboard: [[button(app.t(locale, 'executor-btn-measures-in-text'), executorCallbacks.encode('meas', s.id))]],
          forceReply: true,
        });
        return;
      }
      return submitDraft(ctx, s, conv);
    }
  }
}

async function submitDraft(ctx: BotContext, s: CaseState, conv: Conversation<DraftData>): Promise<void> {
  const app = ctx.app;
  const chatId = ctx.chat!.id;
  const locale = localeOf(app, ctx.staff!);
  const intermediate = conv.data.kind === 'intermediate';
  const r = await runFromButton(
    ctx,
    s.id,
    {
      type: 'submitDraft',
      kind: conv.data.kind,
      text: conv.data.text!,
      attachments: toAttachments(conv.data.media),
      promisedBy: intermediate ? conv.data.promisedBy : null,
      promisedConditions: intermediate ? (conv.data.promisedConditions ?? null) : null,
      measures: conv.data.kind === 'final' ? (conv.data.measures ?? null) : null,
    },
    app.t(locale, 'executor-draft-sent-toast'),
  );
  if (!r.ok) return;
  endConversation(app.db, chatId);
  const to = r.state.status === 'dept_review' ? 'department_head' : 'administrator';
  sendHtml(app, chatId, app.t(locale, 'executor-draft-sent', { case: s.number, role: roleName(app, to, locale) }), { caseId: s.id });
}

function nowIn(app: AppContext): DateTime {
  return DateTime.fromMillis(app.clock.now().toMillis(), { zone: app.org.organization.timezone });
}

/**
 * After «Промежуточный»: the term stated in the answer's text is offered with one tap (a date or a
 * period inside the regulation's limit, or a condition, А7.8); without one, the executor is asked for
 * the date (a date typed alone is taken, any other text joins the draft).
 */
function offerTerm(app: AppContext, chatId: number, s: CaseState, locale: string, text: string | null): void {
  const term = text ? findPromisedTerm(text, nowIn(app)) : null;
  const limit = promisedLimit(app);
  if (term?.kind === 'condition') {
    const rows = [[button(app.t(locale, 'executor-btn-condition', { condition: clip(term.text, 40) }), executorCallbacks.encode('cond', s.id))]];
    if (limit !== null) rows.push([button(app.t(locale, 'executor-btn-promised-limit', { date: due(app, locale, limit) }), executorCallbacks.encode('prom', s.id))]);
    sendHtml(app, chatId, app.t(locale, 'executor-term-found-condition', { condition: escapeHtml(term.text) }), { caseId: s.id, keyboard: rows });
    return;
  }
  const at = term ? capToLimit(app, promisedInstant(term, app.workingTime, nowIn(app))) : null;
  if (term && at !== null && (limit === null || at <= limit)) {
    const rows = [[button(app.t(locale, 'executor-btn-term-found', { date: due(app, locale, at) }), executorCallbacks.encode('prom', s.id, `t${Math.floor(at / 60_000)}`))]];
    sendHtml(app, chatId, app.t(locale, 'executor-term-found', { phrase: escapeHtml(term.phrase), date: due(app, locale, at) }), { caseId: s.id, keyboard: rows });
    return;
  }
  askPromisedDate(app, chatId, s, locale);
}

/** The regulation's limit when a promised day ends after it on the very same day (К15: 7 working days). */
function capToLimit(app: AppContext, at: number | null): number | null {
  const limit = promisedLimit(app);
  if (at === null || limit === null || at <= limit) return at;
  const zone = app.org.organization.timezone;
  return DateTime.fromMillis(at, { zone }).hasSame(DateTime.fromMillis(limit, { zone }), 'day') ? limit : at;
}

/** A promised date typed alone (`25.12.2026`, `25 декабря`): the end of that working day, capped as above. */
function promisedDateAlone(app: AppContext, input: string): number | null {
  const term = findPromisedTerm(input, nowIn(app));
  if (!term || term.kind !== 'date' || term.phrase !== input.replace(/\s+/g, ' ').trim()) return null;
  return capToLimit(app, promisedInstant(term, app.workingTime, nowIn(app)));
}

/** К15: the final answer within the regulation's window after an intermediate one (null: the term is stated freely, А7.8). */
function promisedLimit(app: AppContext): number | null {
  const fai = app.regulation.windows.finalAfterIntermediate;
  return fai ? addDuration(app.workingTime, app.clock.now().toMillis(), fai.duration) : null;
}

function askPromisedDate(app: AppContext, chatId: number, s: CaseState, locale: string): void {
  const limit = promisedLimit(app);
  const fai = app.regulation.windows.finalAfterIntermediate;
  const text =
    limit !== null && fai ? app.t(locale, 'executor-promised-ask-limit', { limit: due(app, locale, limit), clause: fai.clause }) : app.t(locale, 'executor-promised-ask', { clause: 'А7.8' });
  const keyboard = limit !== null ? [[button(app.t(locale, 'executor-btn-promised-limit', { date: due(app, locale, limit) }), executorCallbacks.encode('prom', s.id))]] : undefined;
  sendHtml(app, chatId, text, { caseId: s.id, ...(keyboard ? { keyboard } : {}) });
}

// ---------------------------------------------------------------------------------------------
// Notifications for the executor (notify effects)
// ---------------------------------------------------------------------------------------------

export function deadlineLines(app: AppContext, s: CaseState, a: Assignment | null, locale: string): string {
  const out: string[] = [app.t(locale, 'executor-deadlines')];
  for (const d of liveDeadlines(s)) {
    const mine =
      d.kind === 'co_executor_part'
        ? a !== null && d.assignmentSeq === a.seq
        : a === null || a.role === 'responsible'
          ? ['answer', 'draft_submission', 'rework', 'final_answer', 'publish', 'dept_review', 'approval'].includes(d.kind)
          : d.kind === 'answer';
    if (!mine) continue;
    out.push(
      app.t(locale, 'executor-deadline-line', { kind: app.t(locale, `deadline-kind-${d.kind}`), due: due(app, locale, d.dueAt), clause: d.clause }) +
        (d.status === 'paused' ? ' ' + app.t(locale, 'executor-deadline-paused') : ''),
    );
  }
  if (a && (a.status === 'assigned' || a.status === 'accepted')) {
    const w = app.regulation.windows.executorReturn;
    const until = returnWindowEnd(app.regulation, app.workingTime, a);
    if (until > app.clock.now().toMillis()) out.push(app.t(locale, 'executor-deadline-return', { due: due(app, locale, until), clause: w.clause }));
  }
  return out.join('\n');
}

const forEachPerson = (tx: Tx, e: Parameters<NotifyHandler>[1], app: AppContext, fn: (p: StaffRow) => void) => {
  for (const p of recipientsOf(tx, e.to, app.clock.now().toMillis())) fn(p);
};

export const executorNotifications: Partial<Record<import('../../domain/workflow/index.js').NotifyKind, NotifyHandler>> = {
  part_contributed: (tx, e, app) => {
    const s = caseOf(tx, e.caseId);
    if (!s) return;
    const last = [...s.assignments].filter((a) => a.part).sort((x, y) => (y.part!.at ?? 0) - (x.part!.at ?? 0))[0];
    if (!last?.part) return;
    forEachPerson(tx, e, app, (p) => {
      const locale = localeOf(app, p);
      const responsible = s.assignments.some((a) => a.role === 'responsible' && a.executorId === p.id);
      const missing = s.assignments.filter((a) => a.role === 'co_executor' && (a.status === 'assigned' || a.status === 'accepted')).length;
      const html = app.t(locale, 'executor-part-arrived', {
        case: s.number,
        department: escapeHtml(departmentName(app, last.departmentId, tx)),
        name: escapeHtml(staffById(tx, last.part!.by)?.name ?? '—'),
        text: escapeHtml(last.part!.text),
        missing,
      });
      const media = toMedia(last.part!.attachments);
      if (responsible)
        sendDraftPreview(app, p.telegramId, { text: '', media }, html, { tx, caseId: s.id, keyboard: [[button(app.t(locale, 'executor-btn-draft'), executorCallbacks.encode('draft', s.id))]] });
      else sendHtml(app, p.telegramId, html, { tx, caseId: s.id });
    });
  },
  draft_returned: (tx, e, app) => {
    const s = caseOf(tx, e.caseId);
    if (!s) return;
    const d = currentDraft(s);
    const c = d ? [...d.comments].reverse().find((x) => x.verdict === 'returned') : undefined;
    const v = lastVersion(d);
    forEachPerson(tx, e, app, (p) => {
      const locale = localeOf(app, p);
      const html = [
        app.t(locale, 'executor-rework-title', { case: s.number }),
        app.t(locale, 'executor-rework-comment', { by: escapeHtml(c?.byName ?? '—'), text: escapeHtml(c?.text ?? '') }),
        v ? app.t(locale, 'executor-rework-earlier', { text: escapeHtml(v.text), media: v.attachments.length }) : '',
        deadlineLines(app, s, s.assignments.find((a) => a.role === 'responsible' && a.executorId === p.id) ?? null, locale),
      ]
        .filter(Boolean)
        .join('\n\n');
      sendHtml(app, p.telegramId, html, { tx, caseId: s.id, keyboard: [[button(app.t(locale, 'executor-btn-rework'), executorCallbacks.encode('draft', s.id))]] });
    });
  },
};

// ---------------------------------------------------------------------------------------------

export function departmentName(app: AppContext, id: string, tx: Tx = app.db): string {
  return storedDepartmentName(tx, id);
}

export function roleName(app: AppContext, role: string, locale: string): string {
  const t = app.regulation.roleTitles[role as keyof typeof app.regulation.roleTitles];
  return t ? (locale === 'en' ? t.en : t.ru) : role;
}

function caseNumber(app: AppContext, caseId: number): number {
  return caseOf(app.db, caseId)?.number ?? caseId;
}

export function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}
