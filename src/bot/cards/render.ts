import type { InlineKeyboardButton } from 'grammy/types';
import type { AppContext } from '../../kernel/context.js';
import type { Deadline } from '../../domain/workflow/model.js';
import { isJoinedCase } from '../../domain/workflow/join.js';
import { escapeHtml, splitText, TELEGRAM_TEXT_LIMIT } from '../format/html.js';
import type { StaffRow } from '../context.js';
import { formatMoment, localized, roleTitle } from './format.js';
import type { CardView } from './view.js';

export type CardApp = Pick<AppContext, 't' | 'org' | 'regulation' | 'clock'>;

export interface RenderedCard {
  /**
   * The messages of the card, HTML. Usually one; when the citizen's text does not fit, the text goes
   * first in as many messages as it needs and the card itself (with the buttons) is the LAST one.
   */
  parts: string[];
  keyboard: InlineKeyboardButton[][];
}

const LIVE = new Set(['open', 'paused']);

/** Renders a case card for one viewer, in his language, times in the organization's zone. */
export function renderCard(app: CardApp, view: CardView, locale: string, keyboard: InlineKeyboardButton[][] = [], extraLines: readonly string[] = [], limit = TELEGRAM_TEXT_LIMIT): RenderedCard {
  const t = (key: string, vars?: Record<string, string | number>) => app.t(locale, key, vars);
  const s = view.state;
  const zone = app.org.organization.timezone;
  const now = app.clock.now().toMillis();
  const when = (ms: number) => formatMoment(ms, zone, locale, now);
  const first = view.messages[0] ?? null;

  const lines: string[] = [];
  const network = s.network ?? first?.network ?? 'other';
  const source = t(`card-source-${s.sourceKind ?? 'manual'}`);
  lines.push(t('card-title', { number: s.number, network: escapeHtml(networkName(t, network)), source }));
  lines.push(t('card-status', { status: t(`case-status-${s.status}`) }) + (s.urgent ? ' ' + t('card-urgent-mark') : ''));

  const author = s.author ?? first?.author ?? null;
  if (author) {
    const name = escapeHtml(author.name);
    lines.push(t('card-author', { author: author.profileUrl ? `<a href="${escapeAttr(author.profileUrl)}">${name}</a>` : name }));
  }
  if (first?.permalink) lines.push(t('card-original', { link: `<a href="${escapeAttr(first.permalink)}">${escapeHtml(shortLink(first.permalink))}</a>` }));
  lines.push(t('card-detected', { at: when(s.detectedAt) }));

  const level = app.regulation.importance.levels.find((l) => l.id === s.importance);
  const dash = '—';
  lines.push(
    t('card-triage', {
      importance: escapeHtml(level ? localized(level.title, locale) : s.importance),
      topic: escapeHtml(s.topic ?? dash),
      location: escapeHtml(s.location ?? dash),
    }),
  );
  if (view.repeatOfNumber !== null) lines.push(t(isJoinedCase(s) ? 'card-joined-into' : 'card-repeat-of', { number: view.repeatOfNumber }));
  if (s.joined?.length) lines.push(t('card-joined', { cases: s.joined.map((j) => `№ ${j.number}`).join(', '), count: s.joined.length }));
  if (s.status === 'rejected' && s.rejectionReasonId) {
    const r = app.regulation.rejectionReasons.find((x) => x.id === s.rejectionReasonId);
    lines.push(t('card-rejected', { reason: escapeHtml(r ? localized(r.title, locale) : s.rejectionReasonId), clause: r?.clause ?? '' }));
  }
  if (s.status === 'not_competent') lines.push(t('card-not-competent', { body: escapeHtml(view.outsideBody?.name ?? dash) }));
  if (s.resolutionComment) lines.push(t('card-comment', { text: escapeHtml(s.resolutionComment) }));

  // Who holds it.
  const active = s.assignments.filter((a) => a.status !== 'withdrawn');
  if (active.length) {
    lines.push(t('card-holders'));
    for (const a of [...active].sort((x, y) => x.order - y.order)) {
      const dept = escapeHtml(view.departmentNames.get(a.departmentId) ?? a.departmentId);
      const who = a.executorId !== null ? escapeHtml(view.staffNames.get(a.executorId) ?? `#${a.executorId}`) : t('card-holder-no-executor', { head: roleTitle(app, 'department_head', locale) });
      lines.push(
        t('card-holder', {
          order: a.order,
          department: dept,
          who,
          role: t(`card-assignment-role-${a.role}`),
          status: t(`card-assignment-status-${a.status}`),
        }),
      );
    }
    if (view.assignedBy) {
      const by = view.assignedBy;
      // Only the administrator assigns and reassigns (К8, К9, А7.1); his title is the regulation's.
      lines.push(t('card-assigned-by', { name: escapeHtml(by.name), role: roleTitle(app, 'administrator', locale), at: when(by.at) }));
      if (view.designatedBy) lines.push(t('card-designated-by', { name: escapeHtml(view.designatedBy.name), at: when(view.designatedBy.at) }));
      const asked = by.note ?? null;
      if (asked) lines.push(t('card-asked', { text: escapeHtml(asked) }));
      else if (s.topic) lines.push(t('card-asked-topic', { topic: escapeHtml(s.topic), location: escapeHtml(s.location ?? dash) }));
    }
  } else if (s.status === 'new') {
    lines.push(t('card-holder-admin', { role: roleTitle(app, 'administrator', locale) }));
  }

  const live = s.deadlines.filter((d) => LIVE.has(d.status)).sort((a, b) => a.dueAt - b.dueAt);
  if (live.length) {
    lines.push(t('card-deadlines'));
    for (const d of live) lines.push(deadlineLine(app, view, d, locale, now, when));
  }

  const published = s.publications.filter((p) => p.permalink);
  for (const p of published) lines.push(t('card-published', { link: `<a href="${escapeAttr(p.permalink!)}">${escapeHtml(shortLink(p.permalink!))}</a>`, at: when(p.at) }));

  // Attachments of all messages.
  const attachments = view.messages.flatMap((m) => m.attachments);
  if (attachments.length) {
    const items = attachments.map((a, i) => {
      const label = t('card-attachment', { type: t(`card-attachment-${knownAttachment(a.type)}`), n: i + 1 });
      return a.url ? `<a href="${escapeAttr(a.url)}">${label}</a>` : label;
    });
    lines.push(t('card-attachments', { count: attachments.length, list: items.join(', ') }));
  }

  // Sections other modules add (the assistance's suggestions), already HTML.
  const header = [...lines, ...extraLines].join('\n');
  const texts = view.messages.map((m, i) => (i === 0 ? m.text : `— ${when(m.detectedAt)}: ${m.text}`)).filter((x) => x.trim().length > 0);
  const body = escapeHtml(texts.join('\n\n'));
  const quote = (x: string) => `<blockquote>${x}</blockquote>`;
  const whole = body ? `${header}\n\n${quote(body)}` : header;
  if (whole.length <= limit) return { parts: [whole], keyboard };
  // Too long: the citizen's text first (split, each part a quote), then the card with the buttons.
  const chunks = splitText(body, limit - 64);
  const parts = chunks.map((c, i) => `${t('card-text-part', { number: s.number, part: i + 1, of: chunks.length })}\n${quote(c)}`);
  parts.push(`${header}\n\n${t('card-text-above', { parts: chunks.length })}`);
  return { parts, keyboard };
}

function deadlineLine(app: CardApp, view: CardView, d: Deadline, locale: string, now: number, when: (ms: number) => string): string {
  const t = (key: string, vars?: Record<string, string | number>) => app.t(locale, key, vars);
  const who =
    d.staffId !== null
      ? escapeHtml(view.staffNames.get(d.staffId) ?? `#${d.staffId}`)
      : d.departmentId
        ? `${roleTitle(app, d.role ?? 'department_head', locale)} · ${escapeHtml(view.departmentNames.get(d.departmentId) ?? d.departmentId)}`
        : d.role
          ? roleTitle(app, d.role, locale)
          : '—';
  const key = d.status === 'paused' ? 'card-deadline-paused' : d.dueAt < now ? 'card-deadline-overdue' : 'card-deadline';
  return t(key, { kind: t(`deadline-kind-${d.kind}`), due: when(d.dueAt), who, clause: escapeHtml(d.clause) });
}

function networkName(t: (k: string) => string, network: string): string {
  const known = ['vk', 'ok', 'telegram', 'max', 'facebook', 'instagram', 'web', 'other'];
  return known.includes(network) ? t(`network-${network}`) : network;
}

function knownAttachment(type: string): string {
  return ['photo', 'video', 'doc', 'link', 'audio'].includes(type) ? type : 'other';
}

function shortLink(url: string): string {
  const s = url.replace(/^https?:\/\//, '');
  return s.length > 48 ? `${s.slice(0, 45)}…` : s;
}

function escapeAttr(url: string): string {
  return escapeHtml(url).replace(/"/g, '&quot;');
}

/** A viewer's roles, for keyboards. */
export function hasRole(s: StaffRow | null, role: string): boolean {
  return !!s && s.roles.includes(role);
}
