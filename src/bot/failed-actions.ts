import { activeStaff } from '../db/repositories/staff.js';
import { caseNumberOf } from '../db/repositories/case-store.js';
import type { AppContext } from '../app/context.js';
import type { OutboxRow } from '../outbox/queue.js';
import { Priority } from '../outbox/queue.js';
import { escapeHtml } from './format/html.js';
import { openCaseKeyboard } from './case-link.js';
import { notifyVkFailedForGood } from '../sources/vk/channel.js';

/**
 * An outgoing action that failed for good is shown to every administrator, never dropped silently.
 * A failed notice of this kind is not reported again (no loop).
 */
export function notifyFailedAction(app: AppContext, row: OutboxRow, reason: string): void {
  if (row.action === 'sendMessage' && (row.payload as { otklikKind?: string }).otklikKind === 'failed-action') return;
  // VK rows: the VK source tells the administrators once, with the link and the text to publish by hand.
  if (row.channel === 'vk') return notifyVkFailedForGood(app, row, reason);
  const admins = activeStaff(app.db).filter((s) => s.roles.includes('administrator'));
  const caseNumber = row.caseId ? (caseNumberOf(app.db, row.caseId) ?? undefined) : undefined;
  for (const admin of admins) {
    const locale = admin.locale ?? app.org.organization.locale;
    app.enqueue({
      channel: 'telegram',
      action: 'sendMessage',
      payload: {
        chat_id: admin.telegramId,
        parse_mode: 'HTML',
        // Staff read what failed, not the outbox's channel:method names.
        text: app.t(locale, 'outbox-failed', {
          action: app.t(locale, ['telegram', 'vk', 'telegram_channel'].includes(row.channel) ? `outbox-action-${row.channel}` : 'outbox-action-other'),
          reason: escapeHtml(reason),
          case: caseNumber ?? '—',
        }),
        otklikKind: 'failed-action',
        ...(row.caseId ? { reply_markup: { inline_keyboard: openCaseKeyboard(app, locale, row.caseId) } } : {}),
      },
      priority: Priority.interactive,
      throttleKey: `tg:${admin.telegramId}`,
      caseId: row.caseId,
    });
  }
}
