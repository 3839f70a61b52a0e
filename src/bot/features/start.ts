import { Composer } from 'grammy';
import type { AppContext } from '../../kernel/context.js';
import type { BotContext } from '../context.js';
import { startNextStep } from './help.js';

/** `/start` for staff: greets, names the roles with the regulation's local titles and the next step. */
export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('start', async (ctx, next) => {
    if (!ctx.staff) return next();
    const locale = ctx.staff.locale ?? app.org.organization.locale;
    const roles = ctx.staff.roles.map((r) => app.regulation.roleTitles[r as keyof typeof app.regulation.roleTitles]?.[locale === 'en' ? 'en' : 'ru'] ?? r).join(', ');
    await ctx.reply(`${ctx.t('start-staff', { name: ctx.staff.name, roles })}\n\n${startNextStep(app, ctx.staff)}`);
  });
  return composer;
}
