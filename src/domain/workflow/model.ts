import type { Duration } from '../time/duration.js';
import type { Role } from '../regulation/schema.js';

/**
 * The case workflow's data. Pure data: plain objects, instants as epoch
 * milliseconds (so a state read back from SQLite compares equal to a replayed one).
 */

export type Millis = number;

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

export const SOURCE_KINDS = [
  'vk_comment',
  'vk_post',
  'vk_message',
  'vk_board',
  'vk_photo_comment',
  'vk_video_comment',
  'vk_market_comment',
  'external_page',
  'telegram',
  'manual',
  'max',
  'max_comment',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface Author {
  /** The network's id of the author, e.g. VK user id `"123"` (negative for communities). */
  externalId: string | null;
  name: string;
  profileUrl: string | null;
}

export interface Attachment {
  /** photo | video | doc | link | audio | other */
  type: string;
  url: string | null;
  title?: string | null;
  /** Network reference, e.g. `photo-1_456`. */
  ref?: string | null;
}

/**
 * One post/comment/DM as collected: immutable, the raw payload kept. `sourceKey` is unique per
 * message and is the dedupe key, e.g. `vk:wall:-1_25_301` (owner_post_comment), `vk:msg:<peer>_<id>`,
 * `manual:<uuid>`. `threadKey` identifies the thread the message lives in (e.g. `vk:wall:-1_25`), so an
 * author's reply under a case awaiting the author can join that case.
 */
export interface IncomingMessage {
  sourceKey: string;
  kind: SourceKind;
  /** vk | ok | telegram | facebook | instagram | web | … (for `manual`, the network the message was seen in). */
  network: string;
  threadKey: string | null;
  author: Author;
  text: string;
  attachments: Attachment[];
  permalink: string | null;
  /** When the message was published in the network (null if unknown). */
  publishedAt: Millis | null;
  /** When Otklik (or the administrator) detected it: the start of the answer term (К10, А7.3). */
  detectedAt: Millis;
  raw: unknown;
}

export interface Message extends IncomingMessage {
  readonly id: number;
}

// ---------------------------------------------------------------------------------------------
// Organization
// ---------------------------------------------------------------------------------------------

/** Who acts. `staffId: null` is the system itself (ingest, the VK adapter confirming a publication). */
export interface Actor {
  staffId: number | null;
  name: string;
  roles: readonly Role[];
  departmentId: string | null;
  /** A deputy head's supervised departments (К11). */
  supervises?: readonly string[];
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ staffId: null, name: 'Отклик', roles: [], departmentId: null });

/** A person away (А6.3): new assignments go to the substitute between `from` and `until`. */
export interface Absence {
  staffId: number;
  from: Millis;
  until: Millis;
  substituteId: number | null;
}

// ---------------------------------------------------------------------------------------------
// Case
// ---------------------------------------------------------------------------------------------

export const CASE_STATUSES = [
  'new',
  'rejected',
  'not_competent',
  'assigned',
  'returned',
  'in_work',
  'drafting',
  'dept_review',
  'on_approval',
  'rework',
  'approved',
  'published',
  'awaiting_final',
  'awaiting_author',
  'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const TERMINAL_STATUSES: readonly CaseStatus[] = ['rejected', 'not_competent', 'closed'];

export type AssignmentRole = 'responsible' | 'co_executor';
export type AssignmentStatus = 'assigned' | 'accepted' | 'returned' | 'part_submitted' | 'withdrawn';

export interface Assignment {
  /** Sequence number within the case, from 1. */
  seq: number;
  departmentId: string;
  /** null: only the department is named; its head designates the executor (К7). */
  executorId: number | null;
  role: AssignmentRole;
  /** Order of preparing the information (К16, А7.10), from 1. */
  order: number;
  status: AssignmentStatus;
  assignedAt: Millis;
  acceptedAt: Millis | null;
  returnedAt: Millis | null;
  returnReason: string | null;
  /** The absent person this assignment was handed over from (А6.3). */
  substituteFor: number | null;
  part: { text: string; attachments: Attachment[]; at: Millis; by: number | null } | null;
}

export type DraftKind = 'final' | 'intermediate' | 'clarification';
export type DraftStatus = 'editing' | 'dept_review' | 'on_approval' | 'rework' | 'approved' | 'published' | 'superseded';

export interface DraftVersion {
  n: number;
  text: string;
  attachments: Attachment[];
  at: Millis;
  by: number | null;
}

export interface ReviewComment {
  at: Millis;
  by: number | null;
  byName: string;
  stage: 'department_head' | 'administrator';
  verdict: 'approved' | 'returned';
  text: string | null;
}

export interface Draft {
  seq: number;
  kind: DraftKind;
  status: DraftStatus;
  versions: DraftVersion[];
  comments: ReviewComment[];
  /** Intermediate answers: the date by which the final answer is promised (К15, А7.8). */
  promisedBy: Millis | null;
  /** Intermediate answers: the conditions of the final decision (А7.8: «срок или условия»). */
  promisedConditions: string | null;
  /** Repeats: the measures taken / progress reported (К17, А7.11). */
  measures: string | null;
}

export interface Publication {
  seq: number;
  draftSeq: number;
  kind: DraftKind;
  at: Millis;
  by: number | null;
  /** Id in the network (e.g. VK comment id) and link, when known. */
  externalId: string | null;
  permalink: string | null;
}

export interface Ban {
  seq: number;
  authorExternalId: string;
  network: string;
  reasonId: string;
  comment: string | null;
  /** null: without end (А10.1: the administrator decides the term). */
  until: Millis | null;
  at: Millis;
  by: number | null;
}

export const DEADLINE_KINDS = [
  /** Administrator routes the message (А7.1). */
  'route',
  /** The answer is prepared AND published (К10, А7.3). */
  'answer',
  /** The draft reaches the administrator this long before the answer deadline (К11, А7.4). */
  'draft_submission',
  /** The department head approves the draft (К11, when the profile has the step). */
  'dept_review',
  /** Administrator approves or returns a draft (К12, А7.5). */
  'approval',
  /** Executor reworks a returned draft (К13, А7.6). */
  'rework',
  /** The approved answer is published (К14, А7.7). */
  'publish',
  /** A co-executor sends his part (К16, А7.10). */
  'co_executor_part',
  /** Administrator names a new executor after a return (К9). */
  'reassign',
  /** The final answer after an intermediate one (К15, А7.8). */
  'final_answer',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
export type DeadlineStatus = 'open' | 'paused' | 'met' | 'cancelled';

/**
 * A stored deadline: who must act, by when, under which clause. The single source for reminders,
 * escalation and reports. `duration` is the regulation window it was computed from (null when the
 * due is fixed: an extension's date, a promised date, or derived from another deadline).
 */
export interface Deadline {
  seq: number;
  kind: DeadlineKind;
  clause: string;
  role: Role | null;
  staffId: number | null;
  departmentId: string | null;
  /** The assignment it belongs to (co-executor parts). */
  assignmentSeq: number | null;
  startsAt: Millis;
  dueAt: Millis;
  duration: Duration | null;
  status: DeadlineStatus;
  closedAt: Millis | null;
  pausedAt: Millis | null;
  /** Working minutes spent paused so far (added to the due on resumption). */
  pausedMinutes: number;
}

export interface CaseState {
  id: number;
  /** Human-friendly sequential number (shown as «№ 42»). */
  number: number;
  regulationId: string;
  status: CaseStatus;
  messageIds: number[];
  author: Author | null;
  sourceKind: SourceKind | null;
  network: string | null;
  detectedAt: Millis;
  createdAt: Millis;
  topic: string | null;
  location: string | null;
  importance: string;
  triaged: boolean;
  urgent: boolean;
  repeatOf: number | null;
  outsideBodyId: string | null;
  rejectionReasonId: string | null;
  /** Free comment of the last terminal decision (reject, not competent, close). */
  resolutionComment: string | null;
  /** Extension (А7.9): the due before the first extension and the current extended date. */
  extension: { baseDueAt: Millis; until: Millis } | null;
  /** Who returned the last draft: a resubmission goes back to the same stage. */
  reworkFrom: 'department_head' | 'administrator' | null;
  assignments: Assignment[];
  drafts: Draft[];
  publications: Publication[];
  bans: Ban[];
  deadlines: Deadline[];
  closedAt: Millis | null;
  /** Number of events applied; the optimistic lock. */
  version: number;
  updatedAt: Millis;
  /** Other citizens' cases joined to this one (their first messages are in `messageIds`); absent when none. */
  joined?: JoinedCase[];
}

/** A case joined to an earlier one: its author gets the earlier case's answer in his own thread. */
export interface JoinedCase {
  caseId: number;
  number: number;
  messageId: number;
}

export function formatCaseNumber(n: number): string {
  return `№ ${n}`;
}
