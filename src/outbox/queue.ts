import type { Db } from '../db/connection.js';
import { insertOutboxRow } from '../db/repositories/outbox.js';

/** The outbox's storage: src/db/repositories/outbox.ts. */
export * from '../db/repositories/outbox.js';

/** Priorities: lower is sent first. Urgent pushes to the head overtake any queue (А17). */
export const Priority = { urgent: 0, interactive: 3, normal: 5, bulk: 9 } as const;

export interface OutgoingAction {
  channel: 'telegram' | 'vk' | 'telegram_channel' | 'max';
  action: string;
  payload: Record<string, unknown>;
  priority?: number;
  /** Throttling key, e.g. `tg:<chat_id>`; actions of one key are sent in order, spaced by the channel's limit. */
  throttleKey?: string;
  /** The same key queued twice is one action (a retried command, a redelivered event). */
  idempotencyKey?: string;
  caseId?: number | null;
}

/**
 * Queues an outgoing action. Call it inside the transaction that makes the state change, so the
 * action exists exactly when the change does. Returns the row id, or null when the idempotency key
 * was already queued.
 */
export function enqueue(db: Db, action: OutgoingAction, now: number): number | null {
  const id = insertOutboxRow(db, {
    channel: action.channel,
    action: action.action,
    payload: action.payload,
    priority: action.priority ?? Priority.normal,
    throttleKey: action.throttleKey ?? null,
    idempotencyKey: action.idempotencyKey ?? null,
    caseId: action.caseId ?? null,
    nextAttemptAt: now,
    createdAt: now,
  });
  if (id !== null) notifyListeners();
  return id;
}

// In-process wake-up so the worker sends at once instead of at its next poll.
const listeners = new Set<() => void>();
function notifyListeners(): void {
  for (const l of listeners) l();
}
export function onEnqueued(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
