import type { Role } from '../regulation/schema.js';
import type { Attachment, DraftKind, Millis } from './model.js';

/**
 * Effects: what the outside world must be told. Plain data; the adapters (Telegram, VK) turn them
 * into outbox rows in the same transaction as the events (see src/db/repositories/runner.ts).
 */

export type Recipient = { staffId: number } | { role: Role; departmentId: string | null };

export const NOTIFY_KINDS = [
  'new_case',
  'assigned',
  'designate_executor',
  'returned',
  'reassigned',
  'part_contributed',
  'draft_for_department_review',
  'draft_for_approval',
  'draft_returned',
  'draft_approved',
  'to_publish',
  'published',
  'author_replied',
  'extended',
  'rejected',
  'closed',
  'control_date_needed',
  'deadline_moved',
] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

export type Effect =
  | { type: 'notify'; to: Recipient; caseId: number; kind: NotifyKind }
  /** Publish the approved draft as the community, as a reply to the case's first message. */
  | {
      type: 'publishReply';
      caseId: number;
      draftSeq: number;
      kind: DraftKind;
      text: string;
      attachments: Attachment[];
      replyToMessageId: number;
      /** Idempotency key for the network (VK `guid`). */
      guid: string;
      /** A copy for the author of a case joined to this one (not the case's own publication). */
      joinedCaseId?: number;
    }
  /** А7.1: tell the author the message was taken up. */
  | { type: 'acknowledgeAuthor'; caseId: number; messageId: number }
  /** А7.12: tell the author the question is not ours and which body is responsible. */
  | { type: 'notifyAuthorNotCompetent'; caseId: number; messageId: number; outsideBodyId: string }
  /** А7.9: tell the author the term is extended. */
  | { type: 'notifyAuthorExtension'; caseId: number; messageId: number; until: Millis }
  /** А10: block the author in the community. */
  | { type: 'banAuthor'; caseId: number; authorExternalId: string; network: string; reasonId: string; until: Millis | null; comment: string | null }
  /** А17: report to the head at once. */
  | { type: 'pushUrgentToHead'; caseId: number };

export type EffectType = Effect['type'];
