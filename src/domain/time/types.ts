import type { DateTime } from 'luxon';
import type { Duration } from './duration.js';

/**
 * Working time on the production calendar and the organization's schedule.
 * All instants are luxon DateTimes. An input instant may carry any zone (only the instant counts: the
 * implementation converts it into the organization's zone); results are in the organization's zone.
 * Implementations are pure: no clock, no I/O.
 */
export interface WorkingTime {
  readonly zone: string;
  /** The instant `d` after `from` (working or calendar basis, see docs/working-time.md). */
  add(from: DateTime, d: Duration): DateTime;
  /** The instant `d` before `from` (mirror of add; a working-basis result is working time or a period end). */
  subtract(from: DateTime, d: Duration): DateTime;
  /** Working minutes between two instants (0 when `to` <= `from`). */
  workingMinutesBetween(from: DateTime, to: DateTime): number;
  /** The same for epoch milliseconds, without building DateTimes (the monthly summary asks it ~10⁶ times). */
  workingMinutesBetweenMillis?(from: number, to: number): number;
  isWorkingTime(t: DateTime): boolean;
  /** `t` itself when it is working time, else the start of the next working period. */
  nextWorkingMoment(t: DateTime): DateTime;
}
