import type { Role } from '../regulation/schema.js';
import { CASE_STATUSES, TERMINAL_STATUSES, type CaseStatus } from './model.js';

/**
 * THE transition table of the case workflow. Every allowed step of both
 * regulations is one row here, tagged with its clauses (Канаш «К…» · Ахты «А…»). Command handlers
 * in ./handlers/ compute the target and may only take an edge listed here; the role and state
 * checks come from this table. "Where is clause X?" → search this file.
 *
 * Roles: a staff role, `system` (Otklik itself: ingest, the VK adapter confirming a publication)
 * or `publisher` (resolved from `regulation.rules.publisher`: the responsible executor (К14), the
 * administrator (А7.7), or the system when the bot publishes on approval).
 */

export const COMMAND_TYPES = [
  'register',
  'attachMessage',
  'triage',
  'reject',
  'markNotCompetent',
  'markRepeat',
  'assign',
  'designateExecutor',
  'accept',
  'returnCase',
  'reassign',
  'contributePart',
  'saveDraft',
  'submitDraft',
  'approveAtDepartment',
  'returnAtDepartment',
  'approve',
  'sendToRework',
  'publish',
  'recordPublication',
  'authorReplied',
  'close',
  'extend',
  'setControlDate',
  'escalate',
  'banAuthor',
  'recomputeDeadlines',
  'joinInto',
  'acceptJoined',
] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

export type TableRole = Role | 'system' | 'publisher';
/** `'none'`: the case does not exist yet. `'same'`: the status does not change. */
export type From = CaseStatus | 'none';

export interface Transition {
  command: CommandType;
  from: readonly From[];
  to: CaseStatus | 'same';
  roles: readonly TableRole[];
  clause: string;
  /** When this edge (rather than a sibling) is taken. */
  when?: string;
}

/** Every status a case can still move from: all but the terminal ones. */
const OPEN: readonly CaseStatus[] = CASE_STATUSES.filter((st) => !TERMINAL_STATUSES.includes(st));
const IN_PROGRESS: readonly CaseStatus[] = ['assigned', 'in_work', 'drafting', 'dept_review', 'on_approval', 'rework'];
const DRAFTABLE: readonly CaseStatus[] = ['in_work', 'drafting', 'awaiting_final', 'rework'];
const EXTENDABLE: readonly CaseStatus[] = ['assigned', 'returned', 'in_work', 'drafting', 'dept_review', 'on_approval', 'rework', 'approved', 'awaiting_final', 'awaiting_author'];

const EXEC: readonly TableRole[] = ['executor', 'department_head'];
const ADMIN: readonly TableRole[] = ['administrator'];

export const TRANSITIONS: readonly Transition[] = [
  // Detection and registration
  { command: 'register', from: ['none'], to: 'new', roles: ['system', 'administrator'], clause: 'К6, К8 · А6.2, А7.1' },
  { command: 'attachMessage', from: OPEN, to: 'same', roles: ['system', 'administrator'], clause: 'several messages, one case (no clause of the acts)' },

  // Triage (topic, location, importance)
  { command: 'triage', from: ['new', 'assigned', 'returned'], to: 'same', roles: ADMIN, clause: 'К8 · А7.1' },
  { command: 'markRepeat', from: ['new', 'returned'], to: 'same', roles: ADMIN, clause: 'К17 · А7.11' },
  // Several citizens about the same thing: the later case is closed into the earlier one, whose answer goes to every author.
  { command: 'joinInto', from: ['new', 'returned'], to: 'closed', roles: ADMIN, clause: 'К17 · А7.11', when: 'the later case' },
  { command: 'acceptJoined', from: OPEN.filter((st) => st !== 'published'), to: 'same', roles: ADMIN, clause: 'К17 · А7.11', when: 'the earlier case, its final answer not yet published' },
  { command: 'reject', from: ['new', 'returned'], to: 'rejected', roles: ADMIN, clause: 'К19 · А9' },
  { command: 'markNotCompetent', from: ['new', 'returned'], to: 'not_competent', roles: ADMIN, clause: 'К9 · А7.12' },

  // Routing to departments
  { command: 'assign', from: ['new'], to: 'assigned', roles: ADMIN, clause: 'К8, К16 · А7.1, А7.10', when: 'first routing: exactly one responsible' },
  { command: 'assign', from: IN_PROGRESS, to: 'same', roles: ADMIN, clause: 'К16 · А7.10', when: 'adding co-executors' },
  { command: 'designateExecutor', from: ['assigned', 'in_work', 'drafting', 'rework'], to: 'same', roles: ['department_head', 'administrator'], clause: 'К7 · А6.3' },

  // The executor takes the case or returns it
  { command: 'accept', from: ['assigned'], to: 'in_work', roles: EXEC, clause: 'К7 · А6.3', when: 'the responsible executor accepts' },
  { command: 'accept', from: IN_PROGRESS, to: 'same', roles: EXEC, clause: 'К16 · А7.10', when: 'a co-executor accepts' },
  { command: 'returnCase', from: ['assigned', 'in_work'], to: 'returned', roles: EXEC, clause: 'К9 · А7.2', when: 'the responsible executor returns, inside the executorReturn window' },
  { command: 'returnCase', from: IN_PROGRESS, to: 'same', roles: EXEC, clause: 'К9 · А7.2', when: 'a co-executor returns his part' },
  { command: 'reassign', from: ['returned'], to: 'assigned', roles: ADMIN, clause: 'К9', when: 'a new responsible executor' },
  { command: 'reassign', from: IN_PROGRESS, to: 'same', roles: ADMIN, clause: 'К9 · А7.10', when: 'a new co-executor' },
  {
    command: 'reassign',
    from: [...IN_PROGRESS.filter((st) => st !== 'dept_review' && st !== 'on_approval'), 'awaiting_final'],
    to: 'assigned',
    roles: ADMIN,
    clause: 'К6, К8 · А6.2, А7.1',
    when: 'the administrator moves a misrouted case at any moment, with a reason (docs/regulations.md)',
  },

  // Several departments: the co-executors' parts
  { command: 'contributePart', from: IN_PROGRESS, to: 'same', roles: EXEC, clause: 'К16 · А7.10' },

  // Drafting
  { command: 'saveDraft', from: ['in_work', 'drafting', 'awaiting_final'], to: 'drafting', roles: EXEC, clause: 'К11 · А7.4' },
  { command: 'saveDraft', from: ['rework'], to: 'same', roles: EXEC, clause: 'К13 · А7.6' },
  {
    command: 'submitDraft',
    from: DRAFTABLE,
    to: 'dept_review',
    roles: EXEC,
    clause: 'К11',
    when: "regulation.windows.departmentHeadApproval is set (not after an administrator's rework)",
  },
  { command: 'submitDraft', from: DRAFTABLE, to: 'on_approval', roles: EXEC, clause: 'К11, К13 · А7.4, А7.6' },
  { command: 'approveAtDepartment', from: ['dept_review'], to: 'on_approval', roles: ['department_head', 'deputy'], clause: 'К11' },
  { command: 'returnAtDepartment', from: ['dept_review'], to: 'rework', roles: ['department_head', 'deputy'], clause: 'К11, К13' },

  // Approval by the administrator
  { command: 'approve', from: ['on_approval'], to: 'approved', roles: ADMIN, clause: 'К12 · А7.5' },
  { command: 'sendToRework', from: ['on_approval'], to: 'rework', roles: ADMIN, clause: 'К12, К13 · А7.5, А7.6' },

  // Publication
  { command: 'publish', from: ['approved'], to: 'same', roles: ['publisher'], clause: 'К14 · А7.7' },
  // `administrator`: the network refused the answer for good (VK 5/15/27/213 …) and the
  // administrator published it by hand, then marks it done. Needed where the publisher is the system
  // (`on_approval`); the handler still holds К14 (the responsible executor) where the executor publishes.
  { command: 'recordPublication', from: ['approved'], to: 'published', roles: ['system', 'publisher', 'administrator'], clause: 'К14, К18 · А7.7, А8', when: 'a final answer' },
  { command: 'recordPublication', from: ['approved'], to: 'awaiting_final', roles: ['system', 'publisher', 'administrator'], clause: 'К15 · А7.8', when: 'an intermediate answer' },
  { command: 'recordPublication', from: ['approved'], to: 'awaiting_author', roles: ['system', 'publisher', 'administrator'], clause: 'К6, К11 · А6.2, А7.4', when: 'a clarification request' },
  { command: 'authorReplied', from: ['awaiting_author'], to: 'drafting', roles: ['system', 'administrator'], clause: 'К6 · А6.2 (запрос (уточнение))' },

  // Closing
  { command: 'close', from: ['published'], to: 'closed', roles: ['administrator', 'system'], clause: 'К14 · А7.7' },
  { command: 'close', from: ['awaiting_author'], to: 'closed', roles: ADMIN, clause: 'К6 · А6.2', when: 'the author never answered the clarification' },

  // Terms, escalation, moderation
  { command: 'extend', from: EXTENDABLE, to: 'same', roles: ADMIN, clause: 'А7.9' },
  { command: 'setControlDate', from: ['awaiting_final'], to: 'same', roles: ADMIN, clause: 'А7.8', when: 'the intermediate answer stated conditions, not a date' },
  { command: 'escalate', from: OPEN, to: 'same', roles: ['administrator', 'coordinator'], clause: 'А17' },
  { command: 'banAuthor', from: [...OPEN, 'rejected', 'not_competent', 'closed'], to: 'same', roles: ADMIN, clause: 'А10, А10.1' },
  { command: 'recomputeDeadlines', from: OPEN, to: 'same', roles: ['system', 'administrator'], clause: 'calendar or regulation changed (no clause of the acts)' },
];

export function transitionsOf(command: CommandType): Transition[] {
  return TRANSITIONS.filter((t) => t.command === command);
}

/** The edge for `command` from `from` to `to` (`to` = from when the status does not change). */
export function findEdge(command: CommandType, from: From, to: CaseStatus): Transition | undefined {
  return TRANSITIONS.find((t) => t.command === command && t.from.includes(from) && (t.to === to || (t.to === 'same' && to === from)));
}

/**
 * The edge a handler took: the one to the status it named (`declared`), or the edge that keeps the
 * status when it named none. Unlike `findEdge` this tells apart two edges that end in the same status
 * (moving the responsible executor from `assigned` vs adding a co-executor there).
 */
export function edgeTaken(command: CommandType, from: From, declared: CaseStatus | null): Transition | undefined {
  return TRANSITIONS.find((t) => t.command === command && t.from.includes(from) && t.to === (declared ?? 'same'));
}

/** Statuses from which `command` may be issued at all. */
export function statusesFor(command: CommandType): From[] {
  return [...new Set(transitionsOf(command).flatMap((t) => t.from))];
}

export function rolesFor(command: CommandType): TableRole[] {
  return [...new Set(transitionsOf(command).flatMap((t) => t.roles))];
}
