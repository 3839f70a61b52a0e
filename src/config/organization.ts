import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { IANAZone } from 'luxon';
import { roleSchema } from '../domain/regulation/schema.js';
import { ConfigError } from './env.js';
import { calendarConfigSchema, scheduleConfigSchema } from '../domain/time/config.js';

/**
 * The organization file (YAML at CONFIG_PATH): who the administration is, which regulation it
 * follows, its departments, staff, outside bodies, topics and locations. Validated strictly so a
 * misspelt key is reported, not ignored.
 */
const id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'use latin letters, digits, _ and -');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM');

const staffEntry = z
  .object({
    /** At least one of telegramId and maxUserId. */
    telegramId: z.number().int().positive().optional(),
    /** The person's MAX user id (docs/max.md): the MAX bot answers a stranger with it. */
    maxUserId: z.number().int().positive().max(2 ** 52 - 1).optional(),
    /** Where he works: telegram (the default when telegramId is given) or max. */
    messenger: z.enum(['telegram', 'max']).optional(),
    name: z.string().min(1),
    roles: z.array(roleSchema).min(1),
    department: id.optional(),
    /** A deputy head (К11, А15): the departments he supervises — he may agree their drafts. */
    supervises: z.array(id).optional(),
    locale: z.enum(['ru', 'en']).optional(),
  })
  .strict();

export const organizationSchema = z
  .object({
    organization: z
      .object({
        name: z.string().min(1),
        timezone: z.string().refine((zone) => IANAZone.isValidZone(zone), 'is not a known IANA time zone (e.g. Europe/Moscow)'),
        locale: z.enum(['ru', 'en']).default('ru'),
      })
      .strict(),
    /** A preset id (kanash-2020, akhty-2021) or a path to a regulation file, relative to this file. */
    regulation: z.string().min(1),
    calendar: calendarConfigSchema.default({}),
    schedule: scheduleConfigSchema.default({}),
    departments: z
      .array(
        z
          .object({
            id,
            name: z.string().min(1),
            topics: z.array(z.string()).default([]),
            /** Words that mark the department's messages: the assistance's cold start before any routing. */
            keywords: z.array(z.string().min(1)).default([]),
          })
          .strict(),
      )
      .min(1),
    staff: z.array(staffEntry).min(1),
    outsideBodies: z.array(z.object({ id, name: z.string().min(1), contacts: z.string().default('') }).strict()).default([]),
    topics: z.array(z.string().min(1)).min(1),
    locations: z.array(z.string().min(1)).default([]),
    /** Options the regulation leaves to the organization. */
    options: z
      .object({
        /** Override who publishes (an organization may choose publication on approval). */
        publisher: z.enum(['executor', 'administrator', 'on_approval']).optional(),
        /** А17: an answer level marked urgent («срочно») also counts as a significant incident pushed to the head. */
        urgentImportanceIsSignificant: z.boolean().optional(),
        /** Reminder points as shares of the window already gone. */
        reminderShares: z.array(z.number().gt(0).lt(1)).optional(),
      })
      .strict()
      .default({}),
    /** VK community settings beyond the tokens in the environment. */
    vk: z
      .object({
        /** External walls watched for mentions (Ахты 1): owner ids (negative for communities) and keywords. */
        externalPages: z.array(z.object({ ownerId: z.number().int(), name: z.string().min(1), keywords: z.array(z.string().min(1)).min(1) }).strict()).default([]),
      })
      .strict()
      .default({ externalPages: [] }),
    /** The administration's Telegram channel discussion group, whose comments become cases. */
    telegramChannel: z.object({ discussionChatId: z.number().int(), channelUsername: z.string().optional() }).strict().optional(),
    /** Spike alerts (Ахты 17 «повышенная социальная активность»). */
    spikes: z
      .object({ multiple: z.number().positive().default(3), minCount: z.number().int().positive().default(5) })
      .strict()
      .default({ multiple: 3, minCount: 5 }),
    backups: z
      .object({ dir: z.string().default('./data/backups'), keepDays: z.number().int().positive().default(14), time: hhmm.default('02:30') })
      .strict()
      .default({ dir: './data/backups', keepDays: 14, time: '02:30' }),
    /** Author-facing templates that override locales/ (keys as in locales/ru/author.ftl). */
    templates: z.record(z.string(), z.string()).default({}),
  })
  .strict()
  .superRefine((org, ctx) => {
    const deptIds = new Set(org.departments.map((d) => d.id));
    const seen = new Set<number>();
    const seenMax = new Set<number>();
    org.staff.forEach((s, i) => {
      if (s.department && !deptIds.has(s.department)) ctx.addIssue({ code: 'custom', path: ['staff', i, 'department'], message: `"${s.department}" is not one of departments[].id` });
      for (const d of s.supervises ?? []) if (!deptIds.has(d)) ctx.addIssue({ code: 'custom', path: ['staff', i, 'supervises'], message: `"${d}" is not one of departments[].id` });
      if (s.roles.includes('deputy') && !s.supervises?.length) ctx.addIssue({ code: 'custom', path: ['staff', i, 'supervises'], message: 'is required for a deputy: the departments he supervises' });
      if ((s.roles.includes('executor') || s.roles.includes('department_head')) && !s.department)
        ctx.addIssue({ code: 'custom', path: ['staff', i, 'department'], message: 'is required for an executor or a department head' });
      if (s.telegramId === undefined && s.maxUserId === undefined) ctx.addIssue({ code: 'custom', path: ['staff', i, 'telegramId'], message: 'is required (or maxUserId): the id the bot shows a stranger who writes to it' });
      if (s.messenger === 'max' && s.maxUserId === undefined) ctx.addIssue({ code: 'custom', path: ['staff', i, 'maxUserId'], message: 'is required with messenger: max' });
      if (s.messenger === 'telegram' && s.telegramId === undefined) ctx.addIssue({ code: 'custom', path: ['staff', i, 'telegramId'], message: 'is required with messenger: telegram' });
      if (s.telegramId !== undefined && seen.has(s.telegramId)) ctx.addIssue({ code: 'custom', path: ['staff', i, 'telegramId'], message: `${s.telegramId} appears twice` });
      if (s.telegramId !== undefined) seen.add(s.telegramId);
      if (s.maxUserId !== undefined && seenMax.has(s.maxUserId)) ctx.addIssue({ code: 'custom', path: ['staff', i, 'maxUserId'], message: `${s.maxUserId} appears twice` });
      if (s.maxUserId !== undefined) seenMax.add(s.maxUserId);
    });
    if (!org.staff.some((s) => s.roles.includes('administrator'))) ctx.addIssue({ code: 'custom', path: ['staff'], message: 'needs at least one person with the administrator role' });
  });

export type Organization = z.infer<typeof organizationSchema>;
export type StaffEntry = z.infer<typeof staffEntry>;
export interface LoadedOrganization {
  file: string;
  dir: string;
  org: Organization;
}

/** Reads and validates the organization file; errors name the file, the path inside it and the problem. */
export function loadOrganization(file: string): LoadedOrganization {
  const abs = path.resolve(file);
  if (!existsSync(abs)) {
    throw new ConfigError([`${file}: not found. Copy otklik.example.yaml to ${file} and fill it in, or set CONFIG_PATH.`], 'Otklik cannot start: the organization file is missing:');
  }
  return { file: abs, dir: path.dirname(abs), org: parseOrganization(readFileSync(abs, 'utf8'), file) };
}

export function parseOrganization(text: string, fileLabel: string): Organization {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => `${fileLabel}: ${e.message}`),
      'Otklik cannot start: the organization file is not valid YAML:',
    );
  }
  const result = organizationSchema.safeParse(doc.toJS());
  if (result.success) return result.data;
  throw new ConfigError(formatZodIssues(fileLabel, result.error.issues), `Otklik cannot start: ${fileLabel} has errors:`);
}

export function formatZodIssues(fileLabel: string, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => {
    const where = i.path.length ? i.path.map(String).join('.') : '(top level)';
    return `${fileLabel}: ${where}: ${i.message}`;
  });
}

/**
 * Configuration check (К11): departments whose drafts nobody agrees — no department head and no deputy
 * supervising them. Their drafts go straight to the administrator; the service warns at start.
 */
export function departmentsWithoutReviewer(org: Pick<Organization, 'departments' | 'staff'>): string[] {
  const covered = new Set<string>();
  for (const s of org.staff) {
    if (s.roles.includes('department_head') && s.department) covered.add(s.department);
    if (s.roles.includes('deputy')) for (const d of s.supervises ?? []) covered.add(d);
  }
  return org.departments.filter((d) => !covered.has(d.id)).map((d) => d.id);
}
