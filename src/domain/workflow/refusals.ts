/**
 * Why a command was refused. The bot translates `code` (locales: `workflow-refusal-<code>`) with
 * `params`; `message` is an English fallback for logs.
 */
export const REFUSAL_CODES = [
  /** The actor has none of the roles the step needs. */
  'wrong_role',
  /** The case is not in a status from which the step is allowed (a stale card). */
  'wrong_state',
  /** The actor is not the executor (or his department head) of the assignment. */
  'not_assignee',
  /** The actor heads another department. */
  'wrong_department',
  /** A regulation window is over (К9, А7.2: the return window). */
  'window_closed',
  /** Somebody else did it first (optimistic lock; params.by names him). */
  'already_done_by',
  /** The same thing was already done. */
  'already_done',
  /** The regulation does not provide for this step (e.g. extension in Канаш). */
  'not_provided',
  /** A reason that is not in the regulation's list. */
  'unknown_reason',
  /** An intermediate answer must state the term of the final one (А7.8). */
  'term_required',
  /** The term is longer than the regulation allows (К15, А7.9). */
  'term_too_long',
  /** A repeat's answer must report the measures taken (К17, А7.11). */
  'measures_required',
  /** The assignment names only the department: its head designates the executor first. */
  'no_executor',
  /** Something referenced does not exist. */
  'not_found',
  /** A required input is missing or malformed (params.field). */
  'invalid',
  /** The author was already told the message is accepted (А7.1): it can no longer be rejected (А9). */
  'already_accepted',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export type RefusalParams = Record<string, string | number | boolean | null>;

export interface Refusal {
  code: RefusalCode;
  params: RefusalParams;
  message: string;
}

export function refusal(code: RefusalCode, message: string, params: RefusalParams = {}): Refusal {
  return { code, params, message };
}
