import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { outbox } from '../schema/outbox.js';

/**
 * Questions the bot and the sources ask of the outbox's past sends. Payloads are JSON; reading a field
 * of them is the outbox's storage detail, so it stays here rather than in the adapters.
 */

/** How far back in the outbox a replied-to bot message is looked for (a reply to an old message is rare). */
const RECENT_OUTBOX_ROWS = 50_000;

/** The case a bot message in this chat was about: a card, or any message the outbox sent for a case. */
export function caseOfBotMessage(db: Db, chatId: number, messageId: number): number | null {
  const row = db.get<{ caseId: number } | undefined>(sql`
    SELECT case_id AS caseId FROM case_cards
     WHERE chat_id = ${chatId} AND EXISTS (SELECT 1 FROM json_each(message_ids) WHERE value = ${messageId})
    UNION ALL
    SELECT case_id FROM outbox
     WHERE id > (SELECT coalesce(max(id), 0) FROM outbox) - ${RECENT_OUTBOX_ROWS}
       AND channel = 'telegram' AND case_id IS NOT NULL AND status = 'sent'
       AND json_extract(result, '$.messageId') = ${messageId} AND json_extract(payload, '$.chat_id') = ${chatId}
     LIMIT 1`);
  return row ? row.caseId : null;
}

/** Statuses of the VK publications the outbox holds for an answer under the item `sourceKey`. */
export function vkPublishStatuses(db: Db, sourceKey: string): { id: number; status: string; caseId: number | null }[] {
  return db
    .select({ id: outbox.id, status: outbox.status, caseId: outbox.caseId })
    .from(outbox)
    .where(and(eq(outbox.channel, 'vk'), eq(outbox.action, 'publish'), sql`json_extract(${outbox.payload}, '$.sourceKey') = ${sourceKey}`))
    .all();
}

/** The outbox rows of a case still queued or being sent. */
export function inFlightOfCase(db: Db, caseId: number): { payload: Record<string, unknown>; channel: string; action: string }[] {
  return db
    .select({ payload: outbox.payload, channel: outbox.channel, action: outbox.action })
    .from(outbox)
    .where(and(eq(outbox.caseId, caseId), inArray(outbox.status, ['pending', 'sending'])))
    .all();
}
