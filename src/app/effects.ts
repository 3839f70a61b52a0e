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
  const handlers: EffectHandlers = Object.assign({}, ...sets);
  return (tx, effects) => {
    for (const effect of effects) {
      const handler = handlers[effect.type] as EffectHandler | undefined;
      if (!handler) {
        app().logger.warn({ effect: effect.type }, 'effects: no handler, effect dropped');
        continue;
      }
      handler(tx, effect, app());
    }
  };
}
