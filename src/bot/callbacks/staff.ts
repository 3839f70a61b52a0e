import { arg, callbackCodec } from '../../kernel/callback-data.js';

const person = arg.int;
/**
 * The administrator's staff list (features/staff.ts): a person's id, and for an absence
 * `<id>.<days>` then `<id>.<days>.<substitute id | 0>` (or `.<page>` of the substitutes).
 */
export const staffCallbacks = callbackCodec('stf', {
  list: arg.int,
  p: person,
  role: arg.ints(2),
  away: person,
  awd: arg.token(/^\d{1,9}\.\d{1,9}(\.\d{1,9})?$/),
  aws: arg.ints(3),
  off: person,
  offok: person,
  on: person,
});

/** An invitation's role (index), then its department `<role>.<department>` (features/invite.ts). */
export const inviteCallbacks = callbackCodec('inv', { role: arg.token(/^\d{1,2}(\.\d{1,3})?$/) });
