import { Composer } from 'grammy';
import type { AppContext } from '../../kernel/context.js';
import type { BotContext } from '../context.js';
import { isNull, gte } from 'drizzle-orm';
import { spikeAlerts, violations } from '../../db/schema/scheduler.js';
import { CASE_STATUSES, TERMINAL_STATUSES } from '../../domain/workflow/index.js';

/** Statuses of cases still in work, as an SQL list: `status IN (…)` searches cases_status_idx (NOT IN would scan every case). */
const OPEN_STATUSES = CASE_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s)).map((s) => `'${s}'`).join(', ');

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
    const sqlite = app.database.sqlite;
    const n = (sql: string, ...p: unknown[]) => (sqlite.prepare(sql).get(...p) as { n: number }).n;
    const open = n(`SELECT count(*) AS n FROM cases WHERE status IN (${OPEN_STATUSES})`);
    const urgent = n(`SELECT count(*) AS n FROM cases WHERE status IN (${OPEN_STATUSES}) AND urgent = 1`);
    const dueToday = n(`SELECT count(*) AS n FROM deadlines WHERE status = 'open' AND due_at >= ? AND due_at <= ?`, dayStart, dayEnd);
    const overdue = n(`SELECT count(*) AS n FROM deadlines WHERE status = 'open' AND due_at < ?`, now.toMillis());
    const received = n(`SELECT count(*) AS n FROM cases WHERE detected_at >= ? AND detected_at <= ?`, dayStart, dayEnd);
    const newViolations = app.db.select().from(violations).where(gte(violations.breachedAt, dayStart)).all().length;
    const spikes = app.db.select().from(spikeAlerts).where(isNull(spikeAlerts.endedAt)).all();
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
