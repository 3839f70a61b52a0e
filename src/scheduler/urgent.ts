import type { AppContext } from '../kernel/context.js';
import type { EffectHandlers } from '../kernel/effects.js';
import type { Db } from '../db/connection.js';
import type { Role } from '../domain/regulation/schema.js';
import { Priority } from '../outbox/queue.js';
import { escapeHtml, sendToStaff, staffWithRole, trFor, uniqueStaff } from '../kernel/staff-notices.js';
import { sqliteCaseStore } from '../db/repositories/deadline-store.js';

/**
 * А17: an urgent case reaches the head at once, ahead of every other outgoing message (outbox
 * priority 0 overtakes any queue). Also to the roles in `regulation.recipients.urgent`.
 */
export function pushUrgentToHead(app: AppContext, tx: Db, caseId: number): number {
  const store = sqliteCaseStore(app.database.sqlite);
  const c = store.caseSummary(caseId);
  const msg = store.firstMessage(caseId);
  const roles = new Set<Role>(['head', ...app.regulation.recipients.urgent]);
  const to = uniqueStaff([...roles].flatMap((r) => staffWithRole(tx, r)));
  let n = 0;
  for (const s of to) {
    const tr = trFor(app, s);
    const locale = s.locale === 'en' ? 'en' : 'ru';
    const level = app.regulation.importance.levels.find((l) => l.id === c?.importance);
    const text = tr('urgent-push', {
      case: tr('case-ref', { number: c?.number ?? caseId }),
      importance: level ? level.title[locale] : (c?.importance ?? ''),
      topic: c?.topic ? ` · ${escapeHtml(c.topic)}` : '',
      text: escapeHtml((msg?.text ?? '').slice(0, 1500)),
      link: msg?.permalink ? escapeHtml(msg.permalink) : '',
    });
    if (sendToStaff(app, tx, s, text.trimEnd(), { idempotencyKey: `urgent:${caseId}`, priority: Priority.urgent, caseId })) n += 1;
  }
  if (to.length === 0) app.logger.warn({ caseId }, 'scheduler: urgent case but nobody has the head role');
  return n;
}

/** Effect handlers the scheduler owns (the service merges them into its dispatcher). */
export function schedulerEffectHandlers(app: AppContext): Required<Pick<EffectHandlers, 'pushUrgentToHead'>> {
  void app;
  return {
    pushUrgentToHead: (tx, effect, ctx) => {
      pushUrgentToHead(ctx, tx, effect.caseId);
    },
  };
}
