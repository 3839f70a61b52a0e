import type { AppContext } from '../kernel/context.js';
import { significantIncidentHint } from '../domain/text/significance.js';
import { escapeHtml, staffWithRole, trFor } from '../kernel/staff-notices.js';
import { Priority } from '../outbox/queue.js';

const LAST_KEY = 'significance.lastCaseId';

/**
 * А17: the watch suggests «значимое происшествие» — a new case whose text reads like an accident, an
 * ecological disaster or an emergency is shown to the administrators with a button to report it to
 * the head. The administrator decides (`escalate`); nothing is pushed by itself. Each case once.
 */
export function suggestSignificant(app: AppContext): number {
  if (!app.regulation.rules.urgentPushToHead) return 0;
  const sqlite = app.database.sqlite;
  const stored = sqlite.prepare('SELECT value FROM kv WHERE key = ?').get(LAST_KEY) as { value: string } | undefined;
  const upsert = sqlite.prepare('INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
  if (!stored) {
    // The first run: only cases from now on (an existing database's history is not re-announced).
    const max = (sqlite.prepare('SELECT max(id) AS id FROM cases').get() as { id: number | null }).id ?? 0;
    upsert.run(LAST_KEY, String(max), Date.now());
    return 0;
  }
  const last = Number(stored.value);
  const rows = sqlite
    .prepare(
      `SELECT c.id AS id, c.number AS number, c.urgent AS urgent, c.status AS status, m.text AS text
         FROM cases c JOIN case_messages cm ON cm.case_id = c.id AND cm.position = 0 JOIN messages m ON m.id = cm.message_id
        WHERE c.id > ? ORDER BY c.id LIMIT 500`,
    )
    .all(last) as { id: number; number: number; urgent: number; status: string; text: string }[];
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
    upsert.run(LAST_KEY, String(rows.at(-1)!.id), Date.now());
  });
  return sent;
}
