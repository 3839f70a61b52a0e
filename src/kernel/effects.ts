import type { Db } from '../db/connection.js';
import type { Effect, EffectType } from '../domain/workflow/effects.js';
import type { AppContext } from './context.js';

export type EffectHandler<T extends EffectType = EffectType> = (tx: Db, effect: Extract<Effect, { type: T }>, app: AppContext) => void;
export type EffectHandlers = { [T in EffectType]?: EffectHandler<T> };

/**
 * Routes the effects of a workflow command to the adapters that own them (the bot for staff
 * notifications, the sources for author-facing replies, the scheduler for urgent pushes). Runs inside
 * the command's transaction: each handler only queues outbox rows, so the effect exists exactly when
 * the state change does.
 */
export function createEffectDispatcher(app: () => AppContext, ...sets: EffectHandlers[]): (tx: Db, effects: readonly Effect[]) => void {
  // Several sets may handle one type (the card, then a supplement such as the draft preview): all run, in order.
  const handlers = new Map<EffectType, EffectHandler[]>();
  for (const set of sets) {
    for (const [type, handler] of Object.entries(set) as [EffectType, EffectHandler | undefined][]) {
      if (handler) handlers.set(type, [...(handlers.get(type) ?? []), handler]);
    }
  }
  return (tx, effects) => {
    for (const effect of effects) {
      const list = handlers.get(effect.type);
      if (!list) {
        app().logger.warn({ effect: effect.type }, 'effects: no handler, effect dropped');
        continue;
      }
      for (const handler of list) handler(tx, effect, app());
    }
  };
}
