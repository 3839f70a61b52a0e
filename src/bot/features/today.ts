import { Composer } from 'grammy';
import type { AppContext } from '../../kernel/context.js';
import type { BotContext } from '../context.js';
import { dayCounts } from '../../db/repositories/today.js';

/** `/today`: the head's digest — open and urgent cases, deadlines today, overdue now, new violations, spikes. */
export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('today', async (ctx) => {
    if (!ctx.staff) return;
    if (!(ctx.staff.roles as string[]).includes('head')) {
      await ctx.reply(ctx.t('today-not-allowed'));
      return;
    }
    const now = app.clock.now().setZone(app.org.organization.timezone);
    const dayStart = now.startOf('day').toMillis();
    const dayEnd = now.endOf('day').toMillis();
    const { open, urgent, dueToday, overdue, received, newViolations, spikes } = dayCounts(app.db, dayStart, dayEnd, now.toMillis());
    const lines = [
      ctx.t('today-title', { date: now.toFormat('dd.MM.yyyy') }),
      ctx.t('today-line-open', { open, urgent }),
      ctx.t('today-line-due', { dueToday, overdue }),
      ctx.t('today-line-received', { received, violations: newViolations }),
    ];
    if (spikes.length) lines.push(ctx.t('today-spikes', { spikes: spikes.map((s) => `«${s.value}» (${s.count})`).join(', ') }));
    await ctx.reply(lines.join('\n'));
  });
  return composer;
}
