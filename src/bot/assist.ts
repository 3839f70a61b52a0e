import { DateTime } from 'luxon';
import type { InlineKeyboardButton } from 'grammy/types';
import type { AppContext } from '../kernel/context.js';
import { assistCase, type CaseAssistance } from '../kernel/assistance.js';
import { checkDraft, flagActions } from '../domain/assist/index.js';
import type { CaseState } from '../domain/workflow/model.js';

import type { StaffRow } from './context.js';
import type { CardView } from './cards/view.js';
import { localized } from './cards/format.js';
import { escapeHtml } from './format/html.js';
import { ADMIN_ACTION, adminData, isAdministrator, type AdminAction } from './keyboards/admin.js';

/**
 * The assistance on the administrator's card: a «Подсказки» section under the card's header and
 * one-tap buttons after the card's own rows. Each button is an ordinary triage button with its
 * argument filled in (department, topic, location, rejection or ban reason, earlier case, urgent),
 * so the press goes through the same checks as a press in the menus; nothing happens without it.
 */

const TRIAGE = new Set(['new', 'returned']);
type Btn = InlineKeyboardButton;

/** Computed once per rendered view: the card text and its keyboard ask for the same thing. */
const memo = new WeakMap<CardView, CaseAssistance | null>();

function assistanceOf(app: AppContext, view: CardView, viewer: StaffRow): CaseAssistance | null {
  if (!isAdministrator(viewer) || !TRIAGE.has(view.state.status)) return null;
  if (memo.has(view)) return memo.get(view)!;
  const first = view.messages[0];
  let result: CaseAssistance | null = null;
  if (first && first.text.trim()) {
    try {
      result = assistCase(app, { id: view.state.id, text: first.text, authorId: view.state.author?.externalId ?? first.author.externalId ?? null, at: view.state.detectedAt });
    } catch (err) {
      // A suggestion must never cost the card.
      app.logger.warn({ err, caseId: view.state.id }, 'assistance failed');
    }
  }
  memo.set(view, result);
  return result;
}

/** Suggested departments other than those already holding (or having returned) the case. */
function freshDepartments(a: CaseAssistance, view: CardView): CaseAssistance['departments'] {
  const held = new Set(view.state.assignments.filter((x) => x.status !== 'withdrawn').map((x) => x.departmentId));
  return a.departments.filter((d) => !held.has(d.departmentId));
}

function pct(x: number): number {
  return Math.round(x * 100);
}

/** The «Подсказки» lines of the card (HTML), for the administrator while the case waits for triage. */
export function assistLines(app: AppContext, view: CardView, viewer: StaffRow, locale: string): string[] {
  const a = assistanceOf(app, view, viewer);
  if (!a) return [];
  const t = (k: string, v?: Record<string, string | number>) => app.t(locale, k, v);
  const s = view.state;
  const lines: string[] = [];
  for (const f of a.flags) {
    const acts = flagActions(f.reason, { ...app.regulation, bansAllowed: app.regulation.rules.bansAllowed });
    lines.push(t('assist-line-flag', { reason: t(`assist-flag-${f.reason}`), evidence: escapeHtml(f.evidence), note: acts.length ? '' : t('assist-no-ground') }));
  }
  const top = freshDepartments(a, view)[0];
  if (top) {
    const because = top.because.length ? t('assist-because', { words: escapeHtml(top.because.join(', ')) }) : '';
    lines.push(t('assist-line-department', { department: escapeHtml(view.departmentNames.get(top.departmentId) ?? top.departmentId), confidence: pct(top.confidence), because }));
  }
  if (a.topic && !s.topic) lines.push(t('assist-line-topic', { topic: escapeHtml(a.topic) }));
  if (a.location && !s.location) lines.push(t('assist-line-location', { location: escapeHtml(a.location.location), matched: escapeHtml(a.location.matched) }));
  const rep = a.repeats[0];
  if (rep && s.repeatOf === null) {
    lines.push(t('assist-line-repeat', { number: rep.number, same: rep.sameAuthor ? t('assist-same-author') : '' }));
    lines.push(a.earlierAnswer ? t('assist-earlier-answer', { number: rep.number, text: escapeHtml(clip(a.earlierAnswer, 500)) }) : t('assist-earlier-no-answer', { number: rep.number }));
  }
  if (a.incident && !s.urgent && app.regulation.rules.urgentPushToHead)
    lines.push(
      a.incident.burst
        ? t('assist-line-burst', { clause: app.regulation.clauses['urgentPushToHead'] ?? '', count: a.incident.burst, hours: 3 })
        : t('assist-line-incident', { clause: app.regulation.clauses['urgentPushToHead'] ?? '', words: escapeHtml(a.incident.words.join(', ')) }),
    );
  return lines.length ? ['', t('assist-title'), ...lines] : [];
}

/** Card button provider: the suggestions as one-tap buttons, after the administrator's own rows. */
export function assistCardButtons(app: AppContext, view: CardView, viewer: StaffRow): Btn[][] {
  const a = assistanceOf(app, view, viewer);
  if (!a) return [];
  const loc = viewer.locale ?? app.org.organization.locale;
  const t = (k: string, v?: Record<string, string | number>) => app.t(loc, k, v);
  const s = view.state;
  const cb = (text: string, action: AdminAction, arg?: string | number | null): Btn => ({ text, callback_data: adminData(action, s.id, arg) });
  const rows: Btn[][] = [];
  const reg = app.regulation;
  for (const f of a.flags) {
    for (const act of flagActions(f.reason, { ...reg, bansAllowed: reg.rules.bansAllowed })) {
      if (act.kind === 'reject') {
        const i = reg.rejectionReasons.findIndex((r) => r.id === act.reasonId);
        rows.push([cb(t('assist-btn-reject', { reason: localized(reg.rejectionReasons[i]!.title, loc) }), ADMIN_ACTION.reject, i)]);
      } else if (s.author?.externalId) {
        const i = reg.banReasons.findIndex((r) => r.id === act.reasonId);
        rows.push([cb(t('assist-btn-ban', { reason: localized(reg.banReasons[i]!.title, loc) }), ADMIN_ACTION.ban, i)]);
      }
    }
  }
  const depts = app.org.departments;
  const deptRow: Btn[] = [];
  for (const d of freshDepartments(a, view).slice(0, 2)) {
    const i = depts.findIndex((x) => x.id === d.departmentId);
    if (i < 0 || (deptRow.length && d.confidence < 0.2)) continue;
    const text = t('assist-btn-department', { department: depts[i]!.name, confidence: pct(d.confidence) });
    deptRow.push(s.status === 'new' ? cb(text, ADMIN_ACTION.assign, `${i}-${i}`) : cb(text, ADMIN_ACTION.reassign, i));
  }
  if (deptRow.length) rows.push(deptRow);
  const small: Btn[] = [];
  const ti = a.topic && !s.topic ? app.org.topics.indexOf(a.topic) : -1;
  if (ti >= 0) small.push(cb(t('assist-btn-topic', { topic: a.topic! }), ADMIN_ACTION.topic, ti));
  if (a.location && !s.location) small.push(cb(t('assist-btn-location', { location: a.location.location }), ADMIN_ACTION.location, a.location.index));
  if (small.length) rows.push(small);
  const rep = a.repeats[0];
  const last: Btn[] = [];
  if (rep && s.repeatOf === null) last.push(cb(t('assist-btn-repeat', { number: rep.number }), ADMIN_ACTION.repeat, rep.caseId));
  if (rep && a.joinable && !rep.sameAuthor) last.push(cb(t('assist-btn-join', { number: rep.number }), ADMIN_ACTION.join, rep.caseId));
  if (a.incident && !s.urgent && reg.rules.urgentPushToHead) last.push(cb(t('assist-btn-urgent'), ADMIN_ACTION.urgent));
  if (last.length) rows.push(last);
  return rows;
}

function clip(text: string, n: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

/** The network's practical limit for one published comment. */
const COMMENT_LIMIT = 4000;

/** Warnings about a draft, for the executor's preview and the approver's notice (HTML lines; empty when none). */
export function draftCheckLines(
  app: Pick<AppContext, 't' | 'regulation' | 'clock' | 'org'>,
  locale: string,
  s: Pick<CaseState, 'repeatOf' | 'author'>,
  draft: { text: string; kind: string },
): string[] {
  if (!draft.text.trim()) return [];
  const now = DateTime.fromMillis(app.clock.now().toMillis(), { zone: app.org.organization.timezone });
  const warnings = checkDraft({ text: draft.text, kind: draft.kind, isRepeat: s.repeatOf !== null, authorName: s.author?.name ?? null, maxLength: COMMENT_LIMIT, now });
  if (!warnings.length) return [];
  const c = app.regulation.clauses;
  const clause = (k: string) => (c[k] ? ` (${c[k]})` : '');
  const clauseOf: Record<string, string> = {
    intermediate_no_term: clause('intermediateStatesTerm') || clause('finalAfterIntermediate'),
    repeat_no_measures: clause('repeat'),
    personal_position: clause('noPersonalPosition'),
  };
  return [
    app.t(locale, 'draftcheck-title'),
    ...warnings.map((w) => app.t(locale, `draftcheck-${w}`, { clause: clauseOf[w] ?? '', name: escapeHtml(s.author?.name?.split(/\s+/)[0] ?? ''), length: draft.text.length })),
  ];
}
