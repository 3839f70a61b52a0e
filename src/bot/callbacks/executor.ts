import { arg, callbackCodec } from '../../kernel/callback-data.js';

/**
 * The executor's buttons (features/executor.ts): the assignment's `seq` for accept, return and a part; the
 * draft's kind; the promised date of an intermediate answer as `t<minutes since the epoch>` (or the limit).
 */
export const executorCallbacks = callbackCodec('ex', {
  acc: arg.int,
  ret: arg.int,
  draft: arg.none,
  part: arg.int,
  kind: arg.oneOf('final', 'intermediate', 'clarification'),
  prom: arg.optional(arg.token(/^t\d{1,12}$/)),
  show: arg.none,
  send: arg.none,
  clear: arg.none,
  pub: arg.none,
  cond: arg.none,
  meas: arg.none,
});

/** The administrator's control date instead of a date (А7.8): `cd.set` (features/control-date.ts). */
export const controlDateCallbacks = callbackCodec('cd', { set: arg.none });
