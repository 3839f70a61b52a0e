import type { Actor, CaseState } from './model.js';
import type { Command, Decision, WorkflowContext } from './command-types.js';
import type { WorkflowEvent } from './events.js';
import { refusal } from './refusals.js';
import { hasRole, label, Refused, Session, type Handler, type Handlers } from './session.js';
import { edgeTaken, findEdge, rolesFor, statusesFor, transitionsOf } from './transitions.js';
import { triageHandlers } from './handlers/triage.js';
import { assignmentHandlers } from './handlers/assignment.js';
import { draftingHandlers } from './handlers/drafting.js';
import { approvalHandlers } from './handlers/approval.js';
import { publicationHandlers } from './handlers/publication.js';
import { closingHandlers } from './handlers/closing.js';
import { acceptJoined, joinInto } from './join.js';

const handlers: Handlers = {
  ...triageHandlers,
  ...assignmentHandlers,
  ...draftingHandlers,
  ...approvalHandlers,
  ...publicationHandlers,
  ...closingHandlers,
  joinInto,
  acceptJoined,
};

/**
 * Runs one command against a case: checks the actor's role and the case's status against the
 * transition table, then the step's own rules, and returns the events (already applied in
 * `state`) and effects, or a typed refusal. Pure: time comes from `ctx.clock`.
 */
export function decide(state: CaseState | null, command: Command, ctx: WorkflowContext): Decision {
  const type = command.type;
  const from = state ? state.status : 'none';
  const here = transitionsOf(type).filter((t) => t.from.includes(from));
  const roles = here.length ? [...new Set(here.flatMap((t) => t.roles))] : rolesFor(type);
  if (!hasRole(command.actor, roles, ctx.regulation)) {
    return { ok: false, refusal: refusal('wrong_role', `${type}: not allowed for your role`, { command: type }) };
  }
  if (!statusesFor(type).includes(from) || (type === 'register') !== (state === null)) {
    return { ok: false, refusal: refusal('wrong_state', `${type}: not allowed in status ${label(state)}`, { command: type, status: label(state) }) };
  }
  const h = new Session(state, command, ctx);
  try {
    (handlers[type] as Handler<typeof type>)(h, command as never);
    flushPending(h);
  } catch (err) {
    if (err instanceof Refused) return { ok: false, refusal: err.refusal };
    throw err;
  }
  if (h.events.length === 0) return { ok: true, events: [], effects: [], state: state! };
  const to = h.s.status;
  const intended = edgeTaken(type, from, h.declared);
  const edge = intended && (intended.to === 'same' ? to === from : intended.to === to) ? intended : findEdge(type, from, to);
  if (!edge) {
    return { ok: false, refusal: refusal('wrong_state', `${type}: no step from ${from} to ${to}`, { command: type, status: from }) };
  }
  if (!hasRole(command.actor, edge.roles, ctx.regulation)) {
    return { ok: false, refusal: refusal('wrong_role', `${type}: not allowed for your role`, { command: type }) };
  }
  // The audit records the clause of the edge actually taken, from the table (never a literal).
  const events = h.events.map((e, i) => {
    const step = h.steps[i]!;
    const clause = step === type ? edge.clause : (edgeTaken(step, e.from ?? 'none', e.to === e.from ? null : e.to)?.clause ?? null);
    return { ...e, clause } as WorkflowEvent;
  });
  return { ok: true, events, effects: h.effects, state: h.s };
}

function flushPending(h: Session): void {
  if (h.pending.length > 0) throw new Error(`${h.cmd.type}: deadline changes queued after the last event`);
}

/** Recomputes a case's open deadlines after the calendar or the regulation changed (logged as an event). */
export function recomputeOpenDeadlines(state: CaseState, ctx: WorkflowContext, reason: string, actor: Actor): Decision {
  return decide(state, { type: 'recomputeDeadlines', actor, reason }, ctx);
}
