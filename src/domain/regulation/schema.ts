import { z } from 'zod';
import { durationSchema } from '../time/duration.js';

/**
 * A regulation profile: every number and switch of a municipal regulation on citizens' messages
 * from open sources, as data. Presets live in ./presets/; a municipality may load
 * its own YAML/JSON file validated by this schema. `clause` fields keep the link to the text.
 */

const localized = z.object({ ru: z.string().min(1), en: z.string().min(1) }).strict();

/** A window of the regulation: its duration and the clause that sets it. */
export const windowSchema = z.object({ duration: durationSchema, clause: z.string().min(1) }).strict();

export const roleSchema = z.enum(['administrator', 'coordinator', 'department_head', 'executor', 'head', 'deputy']);
export type Role = z.infer<typeof roleSchema>;

export const importanceLevelSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_-]*$/),
    title: localized,
    /** Time to prepare AND publish the answer, counted from detection (К10; А7.3). */
    answer: windowSchema,
    /** Pushed to the head at once (А17) and reminded outside working hours. */
    urgent: z.boolean().default(false),
  })
  .strict();

export const reasonSchema = z.object({ id: z.string().regex(/^[a-z][a-z0-9_-]*$/), title: localized, clause: z.string().min(1) }).strict();

export const banReasonSchema = reasonSchema.extend({
  /** VK `groups.ban` reason code: 0 other, 1 spam, 2 verbal abuse, 3 strong language, 4 irrelevant messages. */
  vkReason: z.number().int().min(0).max(4),
});

export const regulationSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
    title: localized,
    /** The act that approved it, e.g. «Постановление администрации г. Канаш от 31.08.2020 № 610». */
    source: z.string().min(1),
    /** The region of the act (ISO 3166-2): its regional days off count unless the organization file names a region. */
    region: z
      .string()
      .regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/)
      .optional(),
    /** Local titles of the roles (in Канаш the administrator is «куратор»). */
    roleTitles: z
      .object({
        administrator: localized,
        coordinator: localized,
        department_head: localized,
        executor: localized,
        head: localized,
        /** К11 «курирующий заместитель главы», А15 «заместители»: optional, older regulation files have none. */
        deputy: localized.optional(),
      })
      .strict(),
    importance: z.object({
      levels: z.array(importanceLevelSchema).min(1),
      /** The level a case gets when the administrator sets none. */
      default: z.string(),
    }),
    windows: z
      .object({
        /** Administrator routes a detected message to a department (А7.1: 30 min). null: «оперативно», no number (К8). */
        routing: windowSchema.nullable(),
        /** Executor may return a case as not his competence (К9, А7.2: 30 min). */
        executorReturn: windowSchema,
        /** Administrator names a new executor after a return (К9: 15 min). null: not set. */
        reassign: windowSchema.nullable(),
        /** Draft reaches the administrator this long before the answer deadline (К11: 3 h; А7.4: 1 h). */
        draftLeadTime: windowSchema,
        /** Department head approves the draft first (К11). null: no such step. */
        departmentHeadApproval: windowSchema.nullable(),
        /** Administrator approves or returns a draft (К12: 1 h; А7.5: 30 min). */
        approval: windowSchema,
        /** Executor reworks a returned draft (К13, А7.6: 1 h). */
        rework: windowSchema,
        /** Approved answer is published (К14, А7.7: 30 min). */
        publish: windowSchema,
        /** Each co-executor sends his part (К16, А7.10: 2 h). */
        coExecutorPart: windowSchema,
        /** Final answer after an intermediate one (К15: 7 working days). null: the term the answer states (А7.8). */
        finalAfterIntermediate: windowSchema.nullable(),
        /** Longest extension of the answer term (А7.9: 30 days). null: extension not provided for. */
        maxExtension: windowSchema.nullable(),
      })
      .strict(),
    rules: z
      .object({
        /** Who publishes the approved answer (К14: executor; А7.7: administrator; or the bot on approval). */
        publisher: z.enum(['executor', 'administrator', 'on_approval']),
        /** Tell the author the message was accepted (А7.1). */
        acknowledgeAuthor: z.boolean(),
        /** Tell the author which outside body is responsible (А7.12). */
        notifyNotCompetent: z.boolean(),
        /** An intermediate answer must state the term or conditions of the final one (А7.8). */
        intermediateStatesTerm: z.boolean(),
        /** Notify the author when the term is extended (А7.9). */
        notifyExtension: z.boolean(),
        /** Urgent incidents are pushed to the head at once (А17). */
        urgentPushToHead: z.boolean(),
        /**
         * The executor agrees the draft with the department head (or the supervising deputy head) before
         * sending it to the administrator (К11); no separate window — it happens within the draft lead time.
         */
        draftAgreedWithDepartmentHead: z.boolean().default(false),
        /** Banning authors is provided for (А10). */
        bansAllowed: z.boolean(),
        /** A repeat's answer must report measures taken (К17, А7.11). */
        repeatNeedsMeasures: z.boolean(),
      })
      .strict(),
    /** Why a message is not taken up (К19; А9). */
    rejectionReasons: z.array(reasonSchema).min(1),
    /** Why an author may be blocked (А10). Empty when bans are not provided for. */
    banReasons: z.array(banReasonSchema),
    /** Who receives the monthly summary (К22, А16) and violation reports (К21, А15). */
    recipients: z
      .object({
        monthlySummary: z.array(roleSchema).min(1),
        violations: z.array(roleSchema).min(1),
        urgent: z.array(roleSchema).min(1),
      })
      .strict(),
    /** Clause references for the rules above, for docs and audit (key → clause). */
    clauses: z.record(z.string(), z.string()).default({}),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (!r.importance.levels.some((l) => l.id === r.importance.default)) {
      ctx.addIssue({ code: 'custom', path: ['importance', 'default'], message: `"${r.importance.default}" is not one of importance.levels` });
    }
  });

export type Regulation = z.infer<typeof regulationSchema>;
export type RegulationWindow = z.infer<typeof windowSchema>;
export type ImportanceLevel = z.infer<typeof importanceLevelSchema>;
