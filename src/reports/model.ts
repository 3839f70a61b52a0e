import type { ReportCase, ReportDeadline, ReportEvent } from '../db/repositories/report-records.js';

/**
 * The monthly summary (К22, А16) as data: what the message, the workbook and the chart are made of.
 * Every duration is in working minutes of the organization's schedule and calendar.
 * See docs/reports.md for how each number is counted.
 */

export type Millis = number;

/** A month `YYYY-MM` and its bounds in the organization's zone: [from, to). */
export interface ReportPeriod {
  month: string;
  from: Millis;
  to: Millis;
}

export interface DepartmentFigures {
  /** Department id, or `null` for cases no department took (not routed, rejected, not competent). */
  departmentId: string | null;
  name: string;
  /** Cases detected in the month and routed to this department (responsible executor). */
  received: number;
  /** Answer deadlines met in the month (the answer published). */
  answered: number;
  /** …of which by their due. */
  answeredOnTime: number;
  /** answeredOnTime / answered × 100, one decimal; null when nothing was answered. */
  onTimePct: number | null;
  /** Answer deadlines due in the month that were missed (answered late or still open at the report's time). */
  overdue: number;
  /** Working minutes from detection to the first published answer (intermediate or final), for first answers in the month. */
  avgFirstResponse: number | null;
  medianFirstResponse: number | null;
  /** Working minutes from detection to the final answer, for final answers in the month. */
  avgFinalAnswer: number | null;
  medianFinalAnswer: number | null;
  /** Intermediate answers published in the month. */
  intermediate: number;
  /** Drafts returned for rework in the month (quality). */
  reworks: number;
  /** Cases returned by executors as not their competence in the month (routing errors). */
  returns: number;
  /** Repeat messages among the cases received in the month. */
  repeats: number;
}

export interface DynamicsRow {
  dimension: 'topic' | 'location' | 'source';
  /** The topic, location or source; '' when not set. */
  value: string;
  current: number;
  previous: number;
  /** current − previous. */
  delta: number;
  /** Change in %, one decimal; null when previous is 0. */
  deltaPct: number | null;
}

export interface PersonViolations {
  staffId: number | null;
  name: string;
  departmentId: string | null;
  /** Deadlines of this person due in the month and missed. */
  count: number;
  /** Working minutes they were late, summed. */
  overdueMinutes: number;
  /** Clauses missed, e.g. «К10 ×2, К12». */
  clauses: string;
}

export interface Headline {
  received: number;
  answered: number;
  /** Share answered on time, %. The figure regions are ranked on. */
  onTimePct: number | null;
  overdue: number;
  /** Average working minutes to the first response. The second ranking figure. */
  avgFirstResponse: number | null;
  avgFinalAnswer: number | null;
}

export interface MonthlyReport {
  period: ReportPeriod;
  previous: ReportPeriod;
  organization: string;
  regulationId: string;
  /** When the numbers were taken; open deadlines are judged at this instant. */
  asOf: Millis;
  departments: DepartmentFigures[];
  /** All departments and the unrouted row together. */
  totals: DepartmentFigures;
  headline: Headline;
  previousHeadline: Headline;
  dynamics: DynamicsRow[];
  violations: PersonViolations[];
}

// ---------------------------------------------------------------------------------------------
// What the computation reads (plain records: the loader fills them from the database)
// ---------------------------------------------------------------------------------------------

// Defined with the queries that fill them (src/db sits below the reports).
export type { ReportCase, ReportDeadline, ReportEvent };

export interface ReportInput {
  /** Cases detected in the previous month, the month, or answered in the month. */
  cases: ReportCase[];
  /** Deadlines due or closed in the month (answer kinds and all personal deadlines). */
  deadlines: ReportDeadline[];
  events: ReportEvent[];
  departments: { id: string; name: string }[];
  staff: { id: number; name: string; departmentId: string | null }[];
  /** Local titles of the roles, for deadlines of a role rather than a person. */
  roleTitles: Record<string, string>;
}
