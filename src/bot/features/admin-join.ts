import type { AppContext } from '../../kernel/context.js';
import type { Db } from '../../db/connection.js';
import { joinCases } from '../../db/repositories/index.js';
import { staffById } from '../../db/repositories/staff.js';
import type { Refusal } from '../../domain/workflow/refusals.js';
import type { BotContext, StaffRow } from '../context.js';
import { refreshCards } from '../cards/registry.js';
import { actorOf, refusalText, workflowContext, type RunResult } from '../run-command.js';

/**
 * «Присоединить к № 12» (К17 · А7.11): the administrator joins this case to an earlier open case about
 * the same thing. One transaction (src/db/repositories/join.ts): this case closes as joined, its message
 * becomes part of the earlier case, whose answer will then go to this author too. Never automatic.
 */
export function runJoin(app: AppContext, who: StaffRow, laterId: number, earlierId: number): RunResult {
  const locale = who.locale ?? app.org.organization.locale;
  const fresh = staffById(app.db, who.id);
  if (!fresh || !fresh.active) {
    const refusal: Refusal = { code: 'wrong_role', params: {}, message: 'inactive staff member' };
    return { ok: false, refusal, text: refusalText(app, locale, refusal) };
  }
  const r = joinCases(app.db, laterId, earlierId, actorOf(fresh), workflowContext(app), { onEffects: (tx, effects) => app.applyEffects(tx as Db, effects) });
  if (!r.ok) {
    app.logger.info({ caseId: laterId, into: earlierId, staff: fresh.id, refusal: r.refusal.code }, 'bot: join refused');
    return { ok: false, refusal: r.refusal, text: refusalText(app, locale, r.refusal) };
  }
  refreshCards(app, laterId);
  refreshCards(app, earlierId);
  return { ok: true, state: r.state };
}

/** runJoin for a button press: an alert on a refusal (nothing changes), a short toast on success. */
export async function joinFromButton(ctx: BotContext, laterId: number, earlierId: number, done: string): Promise<RunResult> {
  const r = runJoin(ctx.app, ctx.staff!, laterId, earlierId);
  if (!r.ok) await ctx.answerCallbackQuery({ text: r.text.slice(0, 200), show_alert: true });
  else await ctx.answerCallbackQuery({ text: done.slice(0, 200) });
  return r;
}
