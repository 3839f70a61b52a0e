import { DateTime } from 'luxon';

/** The only source of "now" in the domain, so tests and replays can move time at will. */
export interface Clock {
  now(): DateTime;
}

export const systemClock: Clock = { now: () => DateTime.now() };

/** A clock that tests move by hand. */
export function manualClock(start: DateTime): Clock & { set(t: DateTime): void; advance(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    set: (t) => {
      current = t;
    },
    advance: (ms) => {
      current = current.plus({ milliseconds: ms });
    },
  };
}
