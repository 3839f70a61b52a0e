import type { AppContext } from '../kernel/context.js';
import { significantIncidentHint } from '../domain/text/significance.js';
import { escapeHtml, staffWithRole, trFor } from '../kernel/staff-notices.js';
import { Priority } from '../outbox/queue.js';
import { getKv, setKv } from '../db/repositories/kv.js';
import { casesAfterWithText } from '../db/repositories/case-search.js';
import { lastCaseIdentity } from '../db/repositories/fast.js';

const LAST_KEY = 'significance.lastCaseId';

/**
 * А17: the watch suggests «значимое происшествие» — a new case whose text reads like an accident, an
 * ecological disaster or an emergency is shown to the administrators with a button to report it to
 * the head. The administrator decides (`escalate`); nothing is pushed by itself. Each case once.
 */
export function suggestSignificant(app: AppContext): number {
  if (!app.regulation.rules.urgentPushToHead) return 0;
  const stored = getKv(app.db, LAST_KEY);
  if (stored === null) {
    // The first run: only cases from now on (an existing database's history is not re-announced).
    setKv(app.db, LAST_KEY, String(lastCaseIdentity(app.db).id), Date.now());
    return 0;
  }
  const rows = casesAfterWithText(app.database.sqlite, Number(stored), 500);
  if (rows.length === 0) return 0;
  let sent = 0;
  const admins = staffWithRole(app.db, 'administrator');
  app.db.transaction((tx) => {
    for (const r of rows) {
      const hint = r.urgent || ['rejected', 'not_competent', 'closed'].includes(r.status) ? null : significantIncidentHint(r.text);
      if (!hint) continue;
      for (const p of admins) {
        const tr = trFor(app, p);
        app.enqueue(
          {
            channel: 'telegram',
            action: 'sendMessage',
            payload: {
              chat_id: p.telegramId,
              parse_mode: 'HTML',
              text: tr('significance-suggest', { case: r.number, word: escapeHtml(hint) }),
              reply_markup: { inline_keyboard: [[{ text: tr('significance-btn'), callback_data: `adm.urg:${r.id}` }]] },
            },
            priority: Priority.interactive,
            throttleKey: `tg:${p.telegramId}`,
            idempotencyKey: `significance:${r.id}:tg:${p.telegramId}`,
            caseId: r.id,
          },
          tx,
        );
      }
      sent += 1;
    }
    setKv(tx, LAST_KEY, String(rows.at(-1)!.id), Date.now());
  });
  return sent;
}
