import { arg, callbackCodec } from '../../kernel/callback-data.js';

const index = arg.optional(arg.token(/^\d{1,3}$/));
/** A department selection `<responsible|n>-<i.j…|x>` (keyboards/admin.ts encodeSelection), or `x` for none yet. */
const selection = arg.token(/^(x|(n|\d{1,2})-(x|\d{1,2}(\.\d{1,2})*))$/);
const caseOrSearch = arg.optional(arg.token(/^(\d{1,15}|search)$/));

/**
 * The administrator's triage (features/admin-triage.ts, keyboards/admin.ts, assist.ts): without an argument
 * a press opens the choice, with one it makes it; what an index points to is checked against the case.
 */
export const adminCallbacks = callbackCodec('adm', {
  menu: arg.none,
  imp: index,
  topic: arg.optional(arg.token(/^(\d{1,3}|typed)$/)),
  loc: arg.optional(arg.token(/^(\d{1,3}|typed)$/)),
  dep: arg.optional(selection),
  assign: selection,
  rej: index,
  nc: index,
  ncok: arg.token(/^(\d{1,3}|none)$/),
  rep: caseOrSearch,
  ban: index,
  banok: arg.token(/^\d{1,3}\.\d{1,5}$/),
  urg: arg.none,
  rea: index,
  note: arg.optional(selection),
  join: caseOrSearch,
});
