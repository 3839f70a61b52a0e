import { z } from 'zod';

/**
 * Environment configuration. Every problem is reported at once, each with what to set
 * and where to get it. `.env` is read by the entry point when present.
 */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must start with http:// or https://');

export const envSchema = z
  .object({
    BOT_TOKEN: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z
        .string()
        .regex(/^\d+:[\w-]{20,}$/, 'does not look like a Telegram bot token (123456:ABC…); copy it from @BotFather')
        .optional(),
    ),
    TELEGRAM_API_ROOT: httpUrl.default('https://api.telegram.org'),
    BOT_MODE: z.enum(['polling', 'webhook']).default('polling'),
    WEBHOOK_URL: optionalString.pipe(httpUrl.optional()),
    WEBHOOK_SECRET: optionalString.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A–Z, a–z, 0–9, _ and -')
        .optional(),
    ),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    /** Address of the HTTP listener (/health, /ready, /metrics, webhooks): loopback unless exposed on purpose. */
    HTTP_HOST: z.string().min(1).default('127.0.0.1'),
    VK_MODE: z.enum(['longpoll', 'callback']).default('longpoll'),
    VK_GROUP_ID: optionalString.pipe(z.string().regex(/^\d+$/, 'is the numeric id of the community (without minus)').transform(Number).optional()),
    VK_GROUP_TOKEN: optionalString,
    VK_USER_TOKEN: optionalString,
    VK_CALLBACK_SECRET: optionalString.pipe(
      z
        .string()
        .regex(
          /^[A-Za-z0-9_-]{16,50}$/,
          'must be 16–50 letters, digits, _ or - (VK: community → Управление → Работа с API → Callback API → «Секретный ключ»); a short one is guessable and cannot be masked in logs',
        )
        .optional(),
    ),
    VK_CALLBACK_CONFIRMATION: optionalString,
    VK_API_BASE_URL: httpUrl.default('https://api.vk.com/method'),
    DATABASE_PATH: z.string().min(1).default('./data/otklik.db'),
    CONFIG_PATH: z.string().min(1).default('./otklik.yaml'),
    /** Folder of the daily backups; overrides the organization file's backups.dir (the image puts them on /data). */
    BACKUP_DIR: optionalString,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** MAX staff workspace bot (docs/max.md): its token from business.max.ru → Чат-боты → Интеграция. */
    MAX_BOT_TOKEN: optionalString,
    /** MAX citizens' bot (docs/max.md); must not be the staff bot's token. */
    MAX_SOURCE_TOKEN: optionalString,
    /** The MAX Bot API root; the official library's default (tests point it at the fake server). */
    MAX_API_ROOT: httpUrl.default('https://platform-api2.max.ru'),
    /** When set, MAX posts the staff bot's updates here (POST /subscriptions) instead of long polling. */
    MAX_WEBHOOK_URL: optionalString.pipe(httpUrl.optional()),
    /** The secret MAX sends back in X-Max-Bot-Api-Secret with each webhook update. */
    MAX_WEBHOOK_SECRET: optionalString.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{5,256}$/, 'must be 5–256 characters of A–Z, a–z, 0–9, _ and - (dev.max.ru: POST /subscriptions, secret)')
        .optional(),
    ),
    /** Test hook: a fixed "now" (ISO) for the service clock, so integration tests can place a case in time. */
    OTKLIK_FAKE_NOW: optionalString,
    /** Test hook: the outbox spacing of two sends to one Telegram chat, in ms, when shorter than Telegram's (1 s private, 3.1 s group); tests of the spacing itself leave it unset. */
    OTKLIK_TEST_CHAT_SPACING_MS: optionalString.pipe(z.string().regex(/^\d+$/, 'is a whole number of milliseconds').transform(Number).optional()),
    /** Sandbox only: the launcher (the parent process) moves the fake clock over the IPC channel. */
    OTKLIK_SANDBOX_CLOCK: optionalString.pipe(z.enum(['ipc']).optional()),
  })
  .superRefine((env, ctx) => {
    if (env.BOT_MODE === 'webhook') {
      if (!env.WEBHOOK_URL) ctx.addIssue({ code: 'custom', path: ['WEBHOOK_URL'], message: 'is required when BOT_MODE=webhook: the public https URL Telegram will post updates to' });
      if (!env.WEBHOOK_SECRET)
        ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'is required when BOT_MODE=webhook: any random string of 16+ characters (Telegram sends it back in a header)' });
    }
    if ((env.VK_GROUP_ID === undefined) !== (env.VK_GROUP_TOKEN === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.VK_GROUP_ID === undefined ? 'VK_GROUP_ID' : 'VK_GROUP_TOKEN'],
        message: 'VK_GROUP_ID and VK_GROUP_TOKEN go together: community → Управление → Работа с API → Ключи доступа (token with wall, messages, manage rights); the id is in the community address',
      });
    }
    // Telegram is the first workspace; an administration whose staff all work in MAX sets MAX_BOT_TOKEN only.
    if (!env.BOT_TOKEN && !env.MAX_BOT_TOKEN)
      ctx.addIssue({
        code: 'custom',
        path: ['BOT_TOKEN'],
        message: 'is required: create a bot with @BotFather in Telegram (/newbot) and copy its token (or, for a workspace in MAX only, set MAX_BOT_TOKEN: docs/max.md)',
      });
    if (env.MAX_BOT_TOKEN && env.MAX_BOT_TOKEN === env.MAX_SOURCE_TOKEN)
      ctx.addIssue({ code: 'custom', path: ['MAX_SOURCE_TOKEN'], message: 'must not be the staff bot token MAX_BOT_TOKEN: create a second MAX bot for citizens (docs/max.md)' });
    if (env.MAX_WEBHOOK_URL && !env.MAX_WEBHOOK_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['MAX_WEBHOOK_SECRET'],
        message: 'is required with MAX_WEBHOOK_URL: a random string of 16+ letters, digits, _ or - (MAX sends it back in X-Max-Bot-Api-Secret)',
      });
    if (env.VK_MODE === 'callback' && env.VK_GROUP_TOKEN && (!env.VK_CALLBACK_SECRET || !env.VK_CALLBACK_CONFIRMATION)) {
      ctx.addIssue({
        code: 'custom',
        path: ['VK_CALLBACK_SECRET'],
        message: 'VK_MODE=callback needs VK_CALLBACK_SECRET and VK_CALLBACK_CONFIRMATION: community → Управление → Работа с API → Callback API',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(
    public readonly problems: string[],
    title: string,
  ) {
    super(`${title}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(environment)'} ${i.message}`);
  throw new ConfigError(problems, 'Otklik cannot start: the environment is not complete (see .env.example):');
}

/** Secrets to scrub from logs and error messages. */
export function secretsOf(env: Env): string[] {
  return [env.BOT_TOKEN, env.VK_GROUP_TOKEN, env.VK_USER_TOKEN, env.WEBHOOK_SECRET, env.VK_CALLBACK_SECRET, env.MAX_BOT_TOKEN, env.MAX_SOURCE_TOKEN, env.MAX_WEBHOOK_SECRET].filter(
    (s): s is string => typeof s === 'string' && s.length >= 8,
  );
}
