import type { Clock } from '../clock.js';
import type { Regulation } from '../regulation/schema.js';
import type { WorkingTime } from '../time/types.js';
import type { Effect } from './effects.js';
import type { WorkflowEvent } from './events.js';
import type { Absence, Actor, Attachment, Author, CaseState, DraftKind, Millis, SourceKind } from './model.js';
import type { Refusal } from './refusals.js';
import type { CommandType } from './transitions.js';

/** What a command may ask of the workflow, and the context it runs in. */

export interface WorkflowContext {
  regulation: Regulation;
  workingTime: WorkingTime;
  clock: Clock;
  /** Absences in force (А6.3); new assignments to an absent person go to the substitute. */
  absences?: readonly Absence[];
  /**
   * Departments whose drafts a department head or a supervising deputy agrees (К11). A department
   * with neither sends its drafts straight to the administrator. Omitted: every department has one.
   */
  reviewedDepartments?: ReadonlySet<string>;
  /**
   * А17 reports what is socially significant («значимое происшествие»: the administrator's `escalate`),
   * not every short answer term: an importance level marked `urgent` pushes to the head only when the
   * organization file says so (`options.urgentImportanceIsSignificant`).
   */
  urgentImportancePushes?: boolean;
}

export interface AssignmentInput {
  departmentId: string;
  /** Omit to name only the department: its head designates the executor (К7). */
  executorId?: number | null;
  /** Exactly one responsible executor per case (К16, А7.10); a single assignment is responsible. */
  responsible?: boolean;
  /** Order of preparing the information (К16, А7.10); defaults to the list order. */
  order?: number;
}

export interface DraftInput {
  kind?: DraftKind;
  text?: string;
  attachments?: Attachment[];
  /** Intermediate answers: the promised date of the final answer (К15, А7.8). */
  promisedBy?: Millis | null;
  promisedConditions?: string | null;
  /** Repeats: measures taken / progress (К17, А7.11). */
  measures?: string | null;
}

type C<T extends CommandType, P = unknown> = { type: T; actor: Actor; comment?: string | null } & P;

export type Command =
  | C<
      'register',
      {
        caseId: number;
        number: number;
        message: { id: number; author: Author | null; kind: SourceKind | null; network: string | null; detectedAt: Millis };
        importance?: string;
      }
    >
  | C<'attachMessage', { messageId: number }>
  | C<'triage', { topic?: string | null; location?: string | null; importance?: string }>
  | C<'reject', { reasonId: string }>
  | C<'markNotCompetent', { outsideBodyId?: string | null }>
  | C<'markRepeat', { repeatOf: number }>
  | C<'assign', { assignments: AssignmentInput[] }>
  | C<'designateExecutor', { assignmentSeq: number; executorId: number }>
  | C<'accept', { assignmentSeq?: number }>
  | C<'returnCase', { assignmentSeq?: number; reason: string }>
  | C<'reassign', { assignmentSeq?: number; departmentId: string; executorId?: number | null }>
  | C<'contributePart', { assignmentSeq?: number; text: string; attachments?: Attachment[] }>
  | C<'saveDraft', DraftInput>
  | C<'submitDraft', DraftInput>
  | C<'approveAtDepartment'>
  | C<'returnAtDepartment'>
  | C<'approve'>
  | C<'sendToRework'>
  | C<'publish'>
  | C<'recordPublication', { externalId?: string | null; permalink?: string | null }>
  | C<'authorReplied', { messageId: number }>
  | C<'close'>
  | C<'extend', { until: Millis }>
  | C<'setControlDate', { until: Millis }>
  | C<'escalate'>
  | C<'banAuthor', { reasonId: string; until: Millis | null }>
  | C<'recomputeDeadlines', { reason: string }>
  | C<'joinInto', { intoCaseId: number; intoNumber: number }>
  | C<'acceptJoined', { joined: { caseId: number; number: number; messageId: number } }>;

export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

export type Decision = { ok: true; events: WorkflowEvent[]; effects: Effect[]; state: CaseState } | { ok: false; refusal: Refusal };
