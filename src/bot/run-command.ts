import type { AppContext } from '../kernel/context.js';
import type { Db } from '../db/connection.js';
import { absencesNow, activeStaff, staffById } from '../db/repositories/staff.js';
import { markUpdateHandled } from '../db/repositories/updates.js';
import { executeCommand } from '../db/repositories/index.js';
import type { Role } from '../domain/regulation/schema.js';
import type { Actor, CaseState } from '../domain/workflow/model.js';
import type { Command, WorkflowContext } from '../domain/workflow/index.js';
import type { Refusal } from '../domain/workflow/refusals.js';
import type { BotContext, StaffRow } from './context.js';
import { refreshCards } from './cards/registry.js';

/** A workflow command without its actor: the helper fills it from the person pressing the button. */
export type CommandInput = Command extends infer C ? (C extends { actor: Actor } ? Omit<C, 'actor'> : never) : never;

export type RunResult = { ok: true; state: CaseState } | { ok: false; refusal: Refusal; text: string };

/** The staff row as the workflow's Actor. */
export function actorOf(s: StaffRow): Actor {
  return { staffId: s.id, name: s.name, roles: s.roles as Role[], departmentId: s.departmentId, supervises: s.supervises };
}

export { absencesNow };

/** The workflow context of the service: regulation, working time, clock, absences in force now. */
export function workflowContext(app: AppContext): WorkflowContext {
  return {
    regulation: app.regulation,
    workingTime: app.workingTime,
    clock: app.clock,
    absences: absencesNow(app.db, app.clock.now().toMillis()),
    reviewedDepartments: reviewedDepartments(app.db),
    urgentImportancePushes: app.org.options.urgentImportanceIsSignificant === true,
  };
}

/** Departments whose drafts someone agrees (К11): an active department head, or a deputy supervising them. */
export function reviewedDepartments(db: Db): Set<string> {
  const out = new Set<string>();
  for (const s of activeStaff(db)) {
    if (s.roles.includes('department_head') && s.departmentId) out.add(s.departmentId);
    if (s.roles.includes('deputy')) for (const d of s.supervises) out.add(d);
  }
  return out;
}

/** The text of a refusal in the person's language (`workflow-refusal-<code>` in locales/*\/refusals.ftl). */
export function refusalText(app: AppContext, locale: string | null | undefined, r: Refusal): string {
  const vars: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(r.params)) if (v !== null && v !== undefined) vars[k] = typeof v === 'boolean' ? String(v) : v;
  if (r.code === 'already_done_by' && typeof r.params['by'] !== 'string') vars['by'] = '—';
  if (r.code === 'window_closed' && typeof r.params['clause'] !== 'string') vars['clause'] = '—';
  return app.t(locale, `workflow-refusal-${r.code}`, vars);
}

/**
 * THE way a button (or a typed input) runs a workflow command: re-reads the person from the database
 * (a deactivated person is refused), runs the command in one transaction with the optimistic version
 * check (executeCommand), lets the effects queue their outbox rows in that same transaction, then
 * refreshes every card of the case in place. A refusal comes back translated.
 */
export function runCommand(app: AppContext, who: StaffRow, caseId: number, input: CommandInput, opts: { expectedVersion?: number; updateId?: number } = {}): RunResult {
  const locale = who.locale ?? app.org.organization.locale;
  const fresh = staffById(app.db, who.id);
  if (!fresh || !fresh.active) {
    const refusal: Refusal = { code: 'wrong_role', params: {}, message: 'inactive staff member' };
    return { ok: false, refusal, text: refusalText(app, locale, refusal) };
  }
  const command = { ...input, actor: actorOf(fresh) } as Command;
  // The Telegram update that asked for it is marked handled in the same transaction: delivered again
  // after a crash (polling confirms a batch only once handled), it is skipped, not run a second time.
  const result = app.db.transaction(
    () => {
      const r = executeCommand(app.db, caseId, command, workflowContext(app), {
        onEffects: (tx, effects) => app.applyEffects(tx as Db, effects),
        ...(opts.expectedVersion !== undefined ? { expectedVersion: opts.expectedVersion } : {}),
      });
      if (r.ok && opts.updateId !== undefined) markUpdateHandled(app.db, opts.updateId, Date.now());
      return r;
    },
    { behavior: 'immediate' },
  );
  if (!result.ok) {
    app.logger.info({ caseId, command: command.type, staff: fresh.id, refusal: result.refusal.code }, 'bot: command refused');
    return { ok: false, refusal: result.refusal, text: refusalText(app, locale, result.refusal) };
  }
  // A `notify` effect already edited every card of the case; other steps (triage…) refresh them here.
  if (!result.effects.some((e) => e.type === 'notify')) refreshCards(app, caseId);
  return { ok: true, state: result.state };
}

/**
 * runCommand for a button press: answers the callback query — with an alert that explains on a refusal
 * (nothing changes), or with `done` (a short toast) on success.
 */
export async function runFromButton(ctx: BotContext, caseId: number, input: CommandInput, done?: string, opts: { expectedVersion?: number } = {}): Promise<RunResult> {
  if (!ctx.staff) {
    await ctx.answerCallbackQuery({ text: ctx.t('unknown-user', { id: String(ctx.from?.id ?? '') }), show_alert: true });
    return { ok: false, refusal: { code: 'wrong_role', params: {}, message: 'unknown user' }, text: '' };
  }
  const r = runCommand(ctx.app, ctx.staff, caseId, input, { ...opts, updateId: ctx.update.update_id });
  if (!r.ok) await ctx.answerCallbackQuery({ text: r.text.slice(0, 200), show_alert: true });
  else await ctx.answerCallbackQuery(done ? { text: done.slice(0, 200) } : undefined);
  return r;
}
