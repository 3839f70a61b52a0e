import { decide, joinRefusal, type Actor, type WorkflowContext } from '../../domain/workflow/index.js';
import { VersionConflict, loadCase, type Conn } from './case-store.js';
import { commitDecision, type EffectsHook, type RunResult } from './runner.js';

/**
 * Joins the later case into the earlier one in ONE transaction: the later case closes as joined
 * (`joinInto`), the earlier takes its first message (`acceptJoined`); either both are written with
 * their audit rows, or nothing is. Refusals come from the workflow (role, state) or `joinRefusal`.
 */
export function joinCases(
  db: Conn,
  laterId: number,
  earlierId: number,
  actor: Actor,
  ctx: WorkflowContext,
  opts: { expectedVersion?: number; onEffects?: EffectsHook; comment?: string | null } = {},
): RunResult {
  try {
    return db.transaction(
      (tx) => {
        const later = loadCase(tx, laterId);
        const earlier = loadCase(tx, earlierId);
        if (!later) return { ok: false, refusal: { code: 'not_found', params: { caseId: laterId }, message: `case ${laterId} not found` } } as RunResult;
        if (opts.expectedVersion !== undefined && later.version !== opts.expectedVersion) throw new VersionConflict(laterId, opts.expectedVersion);
        const bad = joinRefusal(later, earlier);
        if (bad) return { ok: false, refusal: bad };
        const comment = opts.comment ?? null;
        const closing = decide(later, { type: 'joinInto', actor, comment, intoCaseId: earlier!.id, intoNumber: earlier!.number }, ctx);
        if (!closing.ok) return closing;
        const messageId = later.messageIds[0]!;
        const taking = decide(earlier, { type: 'acceptJoined', actor, comment, joined: { caseId: later.id, number: later.number, messageId } }, ctx);
        if (!taking.ok) return taking;
        commitDecision(tx, later, closing, opts.onEffects);
        commitDecision(tx, earlier, taking, opts.onEffects);
        return { ...closing, caseId: laterId };
      },
      { behavior: 'immediate' },
    );
  } catch (err) {
    if (err instanceof VersionConflict) return { ok: false, refusal: { code: 'already_done_by', params: { by: null }, message: 'the case changed' } };
    throw err;
  }
}
