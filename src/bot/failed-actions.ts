import { tellAdministrators } from '../kernel/staff-notices.js';
import { caseNumberOf } from '../db/repositories/case-store.js';
import type { AppContext } from '../kernel/context.js';
import type { OutboxRow } from '../outbox/queue.js';
import { escapeHtml } from './format/html.js';

/**
 * An outgoing action that failed for good is shown to every administrator, never dropped silently.
 * A failed notice of this kind is not reported again (no loop).
 */
export function notifyFailedAction(app: AppContext, row: OutboxRow, reason: string): void {
  if (row.action === 'sendMessage' && (row.payload as { otklikKind?: string }).otklikKind === 'failed-action') return;
  const caseNumber = row.caseId ? (caseNumberOf(app.db, row.caseId) ?? undefined) : undefined;
  tellAdministrators(
    app,
    app.db,
    // Staff read what failed, not the outbox's channel:method names.
    (locale) =>
      app.t(locale, 'outbox-failed', {
        action: app.t(locale, ['telegram', 'vk', 'telegram_channel', 'max'].includes(row.channel) ? `outbox-action-${row.channel}` : 'outbox-action-other'),
        reason: escapeHtml(reason),
        case: caseNumber ?? '—',
      }),
    { parseMode: 'HTML', caseId: row.caseId, extra: { otklikKind: 'failed-action' } },
  );
}
