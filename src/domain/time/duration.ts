import { z } from 'zod';

/**
 * A span of time as a regulation states it: «в течение 3 рабочих часов», «30 минут», «30 дней».
 * `working` counts only time inside the organization's work schedule on the production calendar;
 * `calendar` counts wall-clock time.
 */
export const durationSchema = z
  .object({
    amount: z.number().int().positive(),
    unit: z.enum(['minutes', 'hours', 'days']),
    basis: z.enum(['working', 'calendar']),
  })
  .strict();

export type Duration = z.infer<typeof durationSchema>;

export const workingMinutes = (amount: number): Duration => ({ amount, unit: 'minutes', basis: 'working' });
export const workingHours = (amount: number): Duration => ({ amount, unit: 'hours', basis: 'working' });
export const workingDays = (amount: number): Duration => ({ amount, unit: 'days', basis: 'working' });
export const calendarDays = (amount: number): Duration => ({ amount, unit: 'days', basis: 'calendar' });
