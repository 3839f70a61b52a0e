import type { InlineKeyboardButton } from 'grammy/types';
import type { AppContext } from '../../kernel/context.js';
import { adminCallbacks } from '../callbacks/admin.js';
import type { StaffRow } from '../context.js';
import type { CardView } from '../cards/view.js';
import { localized } from '../cards/format.js';

/**
 * The administrator's keyboards on a case card. Callback data: `adm.<what>:<caseId>[:<arg>]`.
 * Arguments are indexes into the organization's / regulation's lists (short, and forged values are
 * simply out of range), or the department selection encoded as `<responsible>-<i>.<j>…` (selection
 * order = order of preparing the information, К16 · А7.10).
 */
export const ADMIN_ACTION = {
  menu: 'adm.menu',
  importance: 'adm.imp',
  topic: 'adm.topic',
  location: 'adm.loc',
  departments: 'adm.dep',
  assign: 'adm.assign',
  reject: 'adm.rej',
  notCompetent: 'adm.nc',
  notCompetentConfirm: 'adm.ncok',
  repeat: 'adm.rep',
  ban: 'adm.ban',
  banConfirm: 'adm.banok',
  urgent: 'adm.urg',
  reassign: 'adm.rea',
  note: 'adm.note',
  join: 'adm.join',
} as const;

export type AdminAction = (typeof ADMIN_ACTION)[keyof typeof ADMIN_ACTION];

/**
 * The callback data of a triage button, through the triage's codec (src/bot/callbacks/admin.ts). The triage
 * passes its actions around as values (one list keyboard serves topics and locations), hence the full name.
 */
export function adminData(action: AdminAction, caseId: number, arg?: string | number | null): string {
  const encode = adminCallbacks.encode as (name: string, caseId: number, value?: string | null) => string;
  return encode(action.slice('adm.'.length), caseId, arg === undefined || arg === null ? null : String(arg));
}

type Btn = InlineKeyboardButton;
const cb = (text: string, action: AdminAction, caseId: number, arg?: string | number | null): Btn => ({ text, callback_data: adminData(action, caseId, arg) });

export function isAdministrator(s: StaffRow | null | undefined): boolean {
  return !!s && s.active && s.roles.includes('administrator');
}

/** Main triage buttons for a new (or returned) case. */
export function adminCardButtons(app: AppContext, view: CardView, viewer: StaffRow): Btn[][] {
  if (!isAdministrator(viewer)) return [];
  const s = view.state;
  const loc = viewer.locale ?? app.org.organization.locale;
  const t = (k: string, v?: Record<string, string | number>) => app.t(loc, k, v);
  const rows: Btn[][] = [];
  if (s.status === 'new' || s.status === 'returned') {
    const r1: Btn[] = [];
    if (app.regulation.importance.levels.length > 1) r1.push(cb(t('btn-importance'), ADMIN_ACTION.importance, s.id));
    r1.push(cb(t('btn-topic'), ADMIN_ACTION.topic, s.id));
    r1.push(cb(t('btn-location'), ADMIN_ACTION.location, s.id));
    rows.push(r1);
    rows.push([cb(s.status === 'new' ? t('btn-departments') : t('btn-reassign'), s.status === 'new' ? ADMIN_ACTION.departments : ADMIN_ACTION.reassign, s.id, s.status === 'new' ? 'x' : null)]);
    rows.push([cb(t('btn-reject'), ADMIN_ACTION.reject, s.id), cb(t('btn-not-competent'), ADMIN_ACTION.notCompetent, s.id)]);
    const r4: Btn[] = [cb(t('btn-repeat'), ADMIN_ACTION.repeat, s.id), cb(t('btn-join'), ADMIN_ACTION.join, s.id)];
    if (app.regulation.rules.bansAllowed && s.author?.externalId && !s.bans.some((b) => b.until === null || b.until > app.clock.now().toMillis())) r4.push(cb(t('btn-ban'), ADMIN_ACTION.ban, s.id));
    if (app.regulation.rules.urgentPushToHead && !s.urgent) r4.push(cb(t('btn-urgent'), ADMIN_ACTION.urgent, s.id));
    rows.push(r4);
  } else if (['assigned', 'in_work', 'drafting', 'dept_review', 'on_approval', 'rework', 'approved', 'awaiting_final', 'awaiting_author'].includes(s.status)) {
    const r: Btn[] = [];
    if (app.regulation.rules.urgentPushToHead && !s.urgent) r.push(cb(t('btn-urgent'), ADMIN_ACTION.urgent, s.id));
    if (app.regulation.rules.bansAllowed && s.author?.externalId && !s.bans.some((b) => b.until === null || b.until > app.clock.now().toMillis())) r.push(cb(t('btn-ban'), ADMIN_ACTION.ban, s.id));
    if (r.length) rows.push(r);
  }
  return rows;
}

export function backRow(app: AppContext, loc: string, caseId: number): Btn[] {
  return [cb(app.t(loc, 'btn-back'), ADMIN_ACTION.menu, caseId)];
}

export function importanceKeyboard(app: AppContext, loc: string, view: CardView): Btn[][] {
  const rows = app.regulation.importance.levels.map((l, i) => [cb((l.id === view.state.importance ? '● ' : '') + localized(l.title, loc), ADMIN_ACTION.importance, view.state.id, i)]);
  return [...rows, backRow(app, loc, view.state.id)];
}

/** A list from the organization file, two per row, plus «type it» and «back». */
export function listKeyboard(app: AppContext, loc: string, view: CardView, action: AdminAction, items: readonly string[], current: string | null): Btn[][] {
  const rows: Btn[][] = [];
  items.forEach((item, i) => {
    const b = cb((item === current ? '● ' : '') + item, action, view.state.id, i);
    if (i % 2 === 0) rows.push([b]);
    else rows[rows.length - 1]!.push(b);
  });
  rows.push([cb(app.t(loc, 'btn-type-it'), action, view.state.id, 'typed')]);
  rows.push(backRow(app, loc, view.state.id));
  return rows;
}

export interface DeptSelection {
  responsible: number | null;
  order: number[];
}

export function encodeSelection(sel: DeptSelection): string {
  return `${sel.responsible ?? 'n'}-${sel.order.join('.') || 'x'}`;
}

/** Null for anything malformed (forged data). */
export function decodeSelection(arg: string | null, departmentCount: number): DeptSelection | null {
  if (arg === null || arg === 'x') return { responsible: null, order: [] };
  const m = /^(n|\d{1,2})-(x|\d{1,2}(?:\.\d{1,2})*)$/.exec(arg);
  if (!m) return null;
  const order = m[2] === 'x' ? [] : m[2]!.split('.').map(Number);
  if (new Set(order).size !== order.length || order.some((i) => i >= departmentCount)) return null;
  const responsible = m[1] === 'n' ? null : Number(m[1]);
  if (responsible !== null && !order.includes(responsible)) return null;
  return { responsible, order };
}

/**
 * The department picker: pressing a department adds it (in order) or removes it; «★» marks the
 * responsible one; «Направить» assigns. Each button carries the whole selection after the press.
 */
export function departmentsKeyboard(app: AppContext, loc: string, caseId: number, depts: readonly { id: string; name: string }[], sel: DeptSelection): Btn[][] {
  const rows: Btn[][] = [];
  depts.forEach((d, i) => {
    const pos = sel.order.indexOf(i);
    const selected = pos >= 0;
    const toggled: DeptSelection = selected
      ? { order: sel.order.filter((x) => x !== i), responsible: sel.responsible === i ? null : sel.responsible }
      : { order: [...sel.order, i], responsible: sel.responsible ?? (sel.order.length === 0 ? i : null) };
    const label = selected ? `${pos + 1}. ${d.name}${sel.responsible === i ? ' ★' : ''}` : d.name;
    const row: Btn[] = [cb(label, ADMIN_ACTION.departments, caseId, encodeSelection(toggled))];
    if (selected && sel.responsible !== i) row.push(cb(app.t(loc, 'btn-make-responsible'), ADMIN_ACTION.departments, caseId, encodeSelection({ ...sel, responsible: i })));
    rows.push(row);
  });
  if (sel.order.length > 0 && sel.responsible !== null) rows.push([cb(app.t(loc, 'btn-assign', { count: sel.order.length }), ADMIN_ACTION.assign, caseId, encodeSelection(sel))]);
  rows.push([cb(app.t(loc, 'btn-note'), ADMIN_ACTION.note, caseId, encodeSelection(sel))]);
  rows.push(backRow(app, loc, caseId));
  return rows;
}

export function reasonsKeyboard(app: AppContext, loc: string, caseId: number, action: AdminAction, reasons: readonly { title: { ru: string; en: string } }[]): Btn[][] {
  return [...reasons.map((r, i) => [cb(localized(r.title, loc), action, caseId, i)]), backRow(app, loc, caseId)];
}
