import type { Duration } from '../time/duration.js';
import type { Role } from '../regulation/schema.js';
import type {
  Assignment,
  Attachment,
  Author,
  Ban,
  CaseState,
  CaseStatus,
  Deadline,
  DraftKind,
  DraftStatus,
  DraftVersion,
  Millis,
  Publication,
  ReviewComment,
  SourceKind,
  JoinedCase,
} from './model.js';

/**
 * Events: what happened to a case. Every event is one audit row (who, when, from, to, clause,
 * comment) and carries everything needed to rebuild the state, including the deadlines it opened,
 * met, paused or moved, so replaying needs neither the calendar nor the regulation.
 */

export type DeadlineChange =
  | { op: 'open'; deadline: Deadline }
  | { op: 'close'; seq: number; status: 'met' | 'cancelled'; at: Millis }
  | { op: 'pause'; seq: number; at: Millis }
  | { op: 'resume'; seq: number; at: Millis; dueAt: Millis; pausedMinutes: number }
  | { op: 'reschedule'; seq: number; dueAt: Millis; duration: Duration | null }
  | { op: 'reassign'; seq: number; role: Role | null; staffId: number | null; departmentId: string | null };

export interface EventDataMap {
  registered: {
    caseId: number;
    number: number;
    regulationId: string;
    messageId: number;
    author: Author | null;
    sourceKind: SourceKind | null;
    network: string | null;
    detectedAt: Millis;
    importance: string;
  };
  message_attached: { messageId: number };
  triaged: { topic: string | null; location: string | null; importance: string; acknowledged: boolean };
  rejected: { reasonId: string };
  marked_not_competent: { outsideBodyId: string | null };
  marked_repeat: { repeatOf: number };
  assigned: { assignments: Assignment[] };
  executor_designated: { assignmentSeq: number; executorId: number; substituteFor: number | null };
  accepted: { assignmentSeq: number };
  returned: { assignmentSeq: number; reason: string };
  reassigned: { withdrawnSeq: number; assignment: Assignment };
  part_contributed: { assignmentSeq: number; text: string; attachments: Attachment[] };
  draft_saved: DraftChange;
  draft_submitted: DraftChange;
  department_approved: { draftSeq: number };
  department_returned: { draftSeq: number };
  approved: { draftSeq: number };
  sent_to_rework: { draftSeq: number };
  publish_requested: { draftSeq: number };
  published: { publication: Publication };
  clock_paused: Record<string, never>;
  clock_resumed: { pausedMinutes: number };
  author_replied: { messageId: number };
  closed: Record<string, never>;
  extended: { baseDueAt: Millis; until: Millis };
  control_date_set: { until: Millis };
  escalated: Record<string, never>;
  author_banned: { ban: Ban };
  deadlines_recomputed: { reason: string };
  /** On the earlier case: another citizen's case about the same thing was joined to it (К17 · А7.11). */
  case_joined: JoinedCase;
  /** On the later case: closed as joined to the earlier one; its author gets that case's answer. */
  joined_into: { intoCaseId: number; intoNumber: number };
}

export interface DraftChange {
  draftSeq: number;
  kind: DraftKind;
  /** A new draft was started (the previous unpublished one, if any, is superseded). */
  newDraft: boolean;
  /** The new version of the text; null when the draft is submitted unchanged. */
  version: DraftVersion | null;
  draftStatus: DraftStatus;
  promisedBy: Millis | null;
  promisedConditions: string | null;
  measures: string | null;
}

export type EventType = keyof EventDataMap;

export interface EventActor {
  staffId: number | null;
  name: string;
}

export type WorkflowEvent = {
  [K in EventType]: {
    type: K;
    at: Millis;
    actor: EventActor;
    from: CaseStatus | null;
    to: CaseStatus;
    /** The clause of the regulation this step follows (К9, А7.2, …). */
    clause: string | null;
    comment: string | null;
    deadlines: DeadlineChange[];
    data: EventDataMap[K];
  };
}[EventType];

export type EventOf<K extends EventType> = Extract<WorkflowEvent, { type: K }>;

// ---------------------------------------------------------------------------------------------
// The reducer
// ---------------------------------------------------------------------------------------------

function applyDeadlineChange(list: Deadline[], ch: DeadlineChange): Deadline[] {
  if (ch.op === 'open') return [...list, { ...ch.deadline }];
  return list.map((d) => {
    if (d.seq !== ch.seq) return d;
    switch (ch.op) {
      case 'close':
        return { ...d, status: ch.status, closedAt: ch.at, pausedAt: null };
      case 'pause':
        return { ...d, status: 'paused', pausedAt: ch.at };
      case 'resume':
        return { ...d, status: 'open', pausedAt: null, dueAt: ch.dueAt, pausedMinutes: ch.pausedMinutes };
      case 'reschedule':
        return { ...d, dueAt: ch.dueAt, duration: ch.duration };
      case 'reassign':
        return { ...d, role: ch.role, staffId: ch.staffId, departmentId: ch.departmentId };
    }
  });
}

function updateDraft(s: CaseState, seq: number, f: (d: CaseState['drafts'][number]) => CaseState['drafts'][number]): CaseState['drafts'] {
  return s.drafts.map((d) => (d.seq === seq ? f(d) : d));
}

function updateAssignment(s: CaseState, seq: number, f: (a: Assignment) => Assignment): Assignment[] {
  return s.assignments.map((a) => (a.seq === seq ? f(a) : a));
}

function review(e: WorkflowEvent, stage: ReviewComment['stage'], verdict: ReviewComment['verdict']): ReviewComment {
  return { at: e.at, by: e.actor.staffId, byName: e.actor.name, stage, verdict, text: e.comment };
}

/** Applies one event. Pure; `applyEvent(null, registered)` creates the case. */
export function applyEvent(prev: CaseState | null, e: WorkflowEvent): CaseState {
  if (e.type === 'registered') {
    if (prev) throw new Error('registered applied to an existing case');
    const d = e.data;
    const s: CaseState = {
      id: d.caseId,
      number: d.number,
      regulationId: d.regulationId,
      status: e.to,
      messageIds: [d.messageId],
      author: d.author,
      sourceKind: d.sourceKind,
      network: d.network,
      detectedAt: d.detectedAt,
      createdAt: e.at,
      topic: null,
      location: null,
      importance: d.importance,
      triaged: false,
      urgent: false,
      repeatOf: null,
      outsideBodyId: null,
      rejectionReasonId: null,
      resolutionComment: null,
      extension: null,
      reworkFrom: null,
      assignments: [],
      drafts: [],
      publications: [],
      bans: [],
      deadlines: [],
      closedAt: null,
      version: 1,
      updatedAt: e.at,
    };
    return { ...s, deadlines: e.deadlines.reduce(applyDeadlineChange, s.deadlines) };
  }
  if (!prev) throw new Error(`${e.type} applied before registered`);
  let s: CaseState = {
    ...prev,
    status: e.to,
    version: prev.version + 1,
    updatedAt: e.at,
    deadlines: e.deadlines.reduce(applyDeadlineChange, prev.deadlines),
  };
  switch (e.type) {
    case 'message_attached':
    case 'author_replied':
      s = { ...s, messageIds: [...s.messageIds, e.data.messageId] };
      break;
    case 'triaged':
      s = { ...s, topic: e.data.topic, location: e.data.location, importance: e.data.importance, triaged: true };
      break;
    case 'rejected':
      s = { ...s, rejectionReasonId: e.data.reasonId, resolutionComment: e.comment, closedAt: e.at };
      break;
    case 'marked_not_competent':
      s = { ...s, outsideBodyId: e.data.outsideBodyId, resolutionComment: e.comment, closedAt: e.at };
      break;
    case 'marked_repeat':
      s = { ...s, repeatOf: e.data.repeatOf };
      break;
    case 'assigned':
      s = { ...s, assignments: [...s.assignments, ...e.data.assignments.map((a) => ({ ...a }))] };
      break;
    case 'executor_designated':
      s = {
        ...s,
        assignments: updateAssignment(s, e.data.assignmentSeq, (a) => ({
          ...a,
          executorId: e.data.executorId,
          substituteFor: e.data.substituteFor,
          // The return window (К9, А7.2) counts from the moment this executor received the case.
          assignedAt: e.at,
        })),
      };
      break;
    case 'accepted':
      s = { ...s, assignments: updateAssignment(s, e.data.assignmentSeq, (a) => ({ ...a, status: 'accepted', acceptedAt: e.at })) };
      break;
    case 'returned':
      s = {
        ...s,
        assignments: updateAssignment(s, e.data.assignmentSeq, (a) => ({
          ...a,
          status: 'returned',
          returnedAt: e.at,
          returnReason: e.data.reason,
        })),
      };
      break;
    case 'reassigned':
      s = {
        ...s,
        assignments: [...updateAssignment(s, e.data.withdrawnSeq, (a) => ({ ...a, status: a.status === 'returned' ? 'returned' : 'withdrawn' })), { ...e.data.assignment }],
      };
      break;
    case 'part_contributed':
      s = {
        ...s,
        assignments: updateAssignment(s, e.data.assignmentSeq, (a) => ({
          ...a,
          status: 'part_submitted',
          part: { text: e.data.text, attachments: e.data.attachments, at: e.at, by: e.actor.staffId },
        })),
      };
      break;
    case 'draft_saved':
    case 'draft_submitted': {
      const d = e.data;
      let drafts = s.drafts;
      if (d.newDraft) {
        drafts = drafts.map((x) => (x.status === 'published' || x.status === 'superseded' ? x : { ...x, status: 'superseded' as const }));
        drafts = [
          ...drafts,
          {
            seq: d.draftSeq,
            kind: d.kind,
            status: d.draftStatus,
            versions: [],
            comments: [],
            promisedBy: null,
            promisedConditions: null,
            measures: null,
          },
        ];
      }
      drafts = drafts.map((x) =>
        x.seq === d.draftSeq
          ? {
              ...x,
              status: d.draftStatus,
              versions: d.version ? [...x.versions, { ...d.version }] : x.versions,
              promisedBy: d.promisedBy,
              promisedConditions: d.promisedConditions,
              measures: d.measures,
            }
          : x,
      );
      s = { ...s, drafts, reworkFrom: e.type === 'draft_submitted' ? null : s.reworkFrom };
      break;
    }
    case 'department_approved':
      s = {
        ...s,
        drafts: updateDraft(s, e.data.draftSeq, (d) => ({ ...d, status: 'on_approval', comments: [...d.comments, review(e, 'department_head', 'approved')] })),
      };
      break;
    case 'department_returned':
      s = {
        ...s,
        reworkFrom: 'department_head',
        drafts: updateDraft(s, e.data.draftSeq, (d) => ({ ...d, status: 'rework', comments: [...d.comments, review(e, 'department_head', 'returned')] })),
      };
      break;
    case 'approved':
      s = {
        ...s,
        drafts: updateDraft(s, e.data.draftSeq, (d) => ({ ...d, status: 'approved', comments: [...d.comments, review(e, 'administrator', 'approved')] })),
      };
      break;
    case 'sent_to_rework':
      s = {
        ...s,
        reworkFrom: 'administrator',
        drafts: updateDraft(s, e.data.draftSeq, (d) => ({ ...d, status: 'rework', comments: [...d.comments, review(e, 'administrator', 'returned')] })),
      };
      break;
    case 'published':
      s = {
        ...s,
        publications: [...s.publications, { ...e.data.publication }],
        drafts: updateDraft(s, e.data.publication.draftSeq, (d) => ({ ...d, status: 'published' })),
      };
      break;
    case 'closed':
      s = { ...s, closedAt: e.at, resolutionComment: e.comment };
      break;
    case 'case_joined':
      s = { ...s, messageIds: [...s.messageIds, e.data.messageId], joined: [...(s.joined ?? []), { ...e.data }] };
      break;
    case 'joined_into':
      s = { ...s, repeatOf: e.data.intoCaseId, closedAt: e.at, resolutionComment: e.comment };
      break;
    case 'extended':
      s = { ...s, extension: { baseDueAt: e.data.baseDueAt, until: e.data.until } };
      break;
    case 'escalated':
      s = { ...s, urgent: true };
      break;
    case 'author_banned':
      s = { ...s, bans: [...s.bans, { ...e.data.ban }] };
      break;
    case 'publish_requested':
    case 'clock_paused':
    case 'clock_resumed':
    case 'deadlines_recomputed':
      break;
  }
  return s;
}

/** Rebuilds a case from its events (its audit log). */
export function replay(events: readonly WorkflowEvent[]): CaseState | null {
  let s: CaseState | null = null;
  for (const e of events) s = applyEvent(s, e);
  return s;
}
