import { Composer, GrammyError, type Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import type { AppContext } from '../../kernel/context.js';
import type { Db } from '../../db/connection.js';
import { allStaff, staffByTelegramId } from '../../db/repositories/staff.js';
import { getKv, setKvOnce } from '../../db/repositories/kv.js';
import { Priority } from '../../outbox/queue.js';
import type { Sender } from '../../outbox/worker.js';
import type { BotContext, StaffRow } from '../context.js';

/** Commands per role (registered with setMyCommands chat scopes). Order = menu order. */
const BY_ROLE: Record<string, string[]> = {
  administrator: ['queue', 'overdue', 'case', 'find', 'staff', 'invite', 'report', 'day'],
  coordinator: ['queue', 'overdue', 'case', 'find', 'report'],
  head: ['today', 'overdue', 'case', 'find', 'report'],
  department_head: ['queue', 'overdue', 'case', 'find'],
  executor: ['queue', 'overdue', 'case', 'find'],
};
const FOR_ALL = ['away', 'cancel', 'help', 'start'];

export function commandsFor(app: AppContext, roles: readonly string[], locale: string): BotCommand[] {
  const names = [...new Set([...roles.flatMap((r) => BY_ROLE[r] ?? []), ...FOR_ALL])];
  return names.map((command) => ({ command, description: app.t(locale, `command-${command}`) }));
}

/**
 * Telegram refuses a chat-scoped command menu for someone who has never written to the bot («chat not
 * found»), so a menu is only queued for a chat that has started; everyone else gets his menu when he
 * first writes (`feature` below). The mark is `kv` `tgstarted:<telegram id>`.
 */
const startedKey = (telegramId: number) => `tgstarted:${telegramId}`;

export function chatStarted(db: Db, telegramId: number): boolean {
  return getKv(db, startedKey(telegramId)) !== null;
}

/**
 * Queues the command menu of a person's chat (at start, when he joins, when his roles change or he is
 * deactivated), if he has ever written to the bot. Rendered when sent, from the person as he is then.
 */
export function queueCommands(app: AppContext, tx: Db, s: Pick<StaffRow, 'telegramId' | 'updatedAt' | 'roles' | 'active'>): void {
  if (!chatStarted(tx, s.telegramId)) return;
  app.enqueue(
    {
      channel: 'telegram',
      action: 'setChatCommands',
      payload: { chatId: s.telegramId },
      priority: Priority.bulk,
      throttleKey: `tgcmd:${s.telegramId}`,
      idempotencyKey: `cmds:${s.telegramId}:${s.updatedAt}:${s.active ? s.roles.join(',') : 'off'}`,
    },
    tx,
  );
}

/** At start: the default menu for strangers, and every person's menu (once per change of roles). */
export function queueAllCommands(app: AppContext): void {
  app.db.transaction((tx) => {
    app.enqueue({ channel: 'telegram', action: 'setChatCommands', payload: { chatId: 0 }, priority: Priority.bulk, idempotencyKey: 'cmds:default:v1' }, tx as unknown as Db);
    for (const s of allStaff(tx as unknown as Db)) queueCommands(app, tx as unknown as Db, s);
  });
}

/** Outbox sender `setChatCommands {chatId}` (chatId 0: the default scope). */
export function commandSenders(app: AppContext, api: Api): Record<string, Sender> {
  return {
    setChatCommands: async (payload) => {
      const chatId = Number(payload['chatId']);
      if (chatId === 0) {
        // The default menu is Telegram's (MAX has one per bot, set by src/max); no Telegram without BOT_TOKEN.
        if (!app.env.BOT_TOKEN) return { skipped: 'telegram off' };
        await api.setMyCommands([{ command: 'start', description: app.t(app.org.organization.locale, 'command-start') }]);
        return { ok: true };
      }
      const s = staffByTelegramId(app.db, chatId);
      if (!s || !s.active) {
        await api.deleteMyCommands({ scope: { type: 'chat', chat_id: chatId } });
        return { deleted: true };
      }
      const locale = s.locale ?? app.org.organization.locale;
      try {
        await api.setMyCommands(commandsFor(app, s.roles, locale), { scope: { type: 'chat', chat_id: chatId } });
      } catch (err) {
        // The chat is gone or was never started: nothing to fix by hand, the menu is set when he writes.
        if (err instanceof GrammyError && err.error_code === 400 && /chat not found/i.test(err.description)) return { skipped: 'chat not started' };
        throw err;
      }
      return { ok: true };
    },
  };
}

/**
 * Queues every started chat's command menu once the bot is built (build.ts lists it first), and marks a
 * private chat as started the first time its person writes — a staff member then gets his menu at once.
 */
export function feature(app: AppContext): Composer<BotContext> {
  queueAllCommands(app);
  const composer = new Composer<BotContext>();
  composer.use(async (ctx, next) => {
    const id = ctx.from?.id;
    if (id !== undefined && ctx.chat?.type === 'private' && ctx.chat.id === id && !chatStarted(app.db, id)) {
      app.db.transaction((tx) => {
        const now = Date.now();
        setKvOnce(tx as unknown as Db, startedKey(id), String(now), now);
        const me = staffByTelegramId(tx as unknown as Db, id);
        if (me) queueCommands(app, tx as unknown as Db, me);
      });
    }
    await next();
  });
  return composer;
}
