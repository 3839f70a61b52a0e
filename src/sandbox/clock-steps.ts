/** The sandbox's clock steps (the launcher needs only their names; the service computes them: clock.ts). */
export const CLOCK_STEPS = ['work-hour', 'end-of-day', 'next-work-day', 'next-month'] as const;
export type ClockStep = (typeof CLOCK_STEPS)[number];

export function isClockStep(v: unknown): v is ClockStep {
  return typeof v === 'string' && (CLOCK_STEPS as readonly string[]).includes(v);
}
