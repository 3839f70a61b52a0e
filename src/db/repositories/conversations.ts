import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { conversations } from '../schema/conversation.js';

/**
 * Conversation state (issue 5 §7): what a person is typing into in a private chat. One row per chat;
 * starting a new input replaces the previous one. Everything is in the database, so a restart in the
 * middle of writing a draft loses nothing.
 *
 * `kind` is namespaced by the feature that owns it (`draft`, `return-reason`, `rework-comment`,
 * `reject-reason`, …); features only handle text/media when the chat's conversation is of their kind.
 */
export interface Conversation<D extends Record<string, unknown> = Record<string, unknown>> {
  chatId: number;
  staffId: number | null;
  kind: string;
  caseId: number | null;
  data: D;
  updatedAt: number;
}

export function getConversation<D extends Record<string, unknown> = Record<string, unknown>>(db: Db, chatId: number): Conversation<D> | null {
  const row = db.select().from(conversations).where(eq(conversations.chatId, chatId)).get();
  return row ? ({ ...row, data: (row.data ?? {}) as D } as Conversation<D>) : null;
}

/** Starts (or replaces) the chat's conversation. */
export function startConversation(
  db: Db,
  input: { chatId: number; staffId?: number | null; kind: string; caseId?: number | null; data?: Record<string, unknown> },
  now: number = Date.now(),
): Conversation {
  const row = {
    chatId: input.chatId,
    staffId: input.staffId ?? null,
    kind: input.kind,
    caseId: input.caseId ?? null,
    data: input.data ?? {},
    updatedAt: now,
  };
  db.insert(conversations)
    .values(row)
    .onConflictDoUpdate({
      target: conversations.chatId,
      set: { staffId: row.staffId, kind: row.kind, caseId: row.caseId, data: row.data, updatedAt: row.updatedAt },
    })
    .run();
  return row;
}

/** Replaces the data of the chat's conversation (only when it is still of `kind`); returns the new state or null. */
export function updateConversation<D extends Record<string, unknown>>(db: Db, chatId: number, kind: string, update: (data: D) => D, now: number = Date.now()): Conversation<D> | null {
  return db.transaction((tx) => {
    const current = getConversation<D>(tx as unknown as Db, chatId);
    if (!current || current.kind !== kind) return null;
    const data = update(current.data);
    tx.update(conversations).set({ data, updatedAt: now }).where(eq(conversations.chatId, chatId)).run();
    return { ...current, data, updatedAt: now };
  });
}

/** Ends the chat's conversation (`/cancel`, or the input was used). Returns what was ended, if anything. */
export function endConversation(db: Db, chatId: number): Conversation | null {
  const current = getConversation(db, chatId);
  if (current) db.delete(conversations).where(eq(conversations.chatId, chatId)).run();
  return current;
}

/** Ends every conversation about a case (the case moved on: a stale input must not be applied later). */
export function endConversationsForCase(db: Db, caseId: number, kinds?: readonly string[]): number {
  const rows = db.select().from(conversations).where(eq(conversations.caseId, caseId)).all();
  let n = 0;
  for (const r of rows) {
    if (kinds && !kinds.includes(r.kind)) continue;
    db.delete(conversations).where(eq(conversations.chatId, r.chatId)).run();
    n++;
  }
  return n;
}

/** The chats with an open input. */
export function conversationChats(db: Db): number[] {
  return db
    .select({ chat: conversations.chatId })
    .from(conversations)
    .all()
    .map((r) => r.chat);
}

/** Ends the inputs of these chats. */
export function endConversationsOfChats(db: Db, chatIds: readonly number[]): void {
  if (chatIds.length)
    db.delete(conversations)
      .where(inArray(conversations.chatId, [...chatIds]))
      .run();
}
