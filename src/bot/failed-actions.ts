import { eq } from 'drizzle-orm';
import { staff } from '../db/schema/org.js';
import { cases } from '../db/schema/cases.js';
import type { AppContext } from '../kernel/context.js';
import type { OutboxRow } from '../outbox/queue.js';
import { Priority } from '../outbox/queue.js';
import { escapeHtml } from './format/html.js';
import { openCaseKeyboard } from '../kernel/case-link.js';

/**
 * An outgoing action that failed for good is shown to every administrator, never dropped silently.
 * A failed notice of this kind is not reported again (no loop).
 */
export function notifyFailedAction(app: AppContext, row: OutboxRow, reason: string): void {
  if (row.action === 'sendMessage' && (row.payload as { otklikKind?: string }).otklikKind === 'failed-action') return;
  const admins = app.db.select().from(staff).where(eq(staff.active, true)).all().filter((s) => s.roles.includes('administrator'));
  const caseNumber = row.caseId ? app.db.select({ n: cases.number }).from(cases).where(eq(cases.id, row.caseId)).get()?.n : undefined;
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
