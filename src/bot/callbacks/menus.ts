import { arg, callbackCodec } from '../../kernel/callback-data.js';

/** Paged lists (features/views.ts): `<page>`, for a search `<page>.<ref>`. */
export const viewCallbacks = callbackCodec('vw', { q: arg.int, o: arg.int, f: arg.token(/^\d{1,4}\.[A-Za-z0-9_-]{1,32}$/) });

/** A month of the summary, `YYYY-MM` (features/reports.ts). */
export const reportCallbacks = callbackCodec('rep', { m: arg.token(/^\d{4}-\d{2}$/) });

/** The roles the guide has a section for. */
export const HELP_ROLES = ['administrator', 'coordinator', 'head', 'department_head', 'executor'] as const;
/** A role's section of the guide (features/help.ts). */
export const helpCallbacks = callbackCodec('help', { guide: arg.oneOf(...HELP_ROLES) });

/** A storm's lists (features/storm.ts): the case id range is `<first>` (the case) and `<last>[.<page>]`. */
export const stormCallbacks = callbackCodec('stm', { l: arg.token(/^\d{1,15}(\.\d{1,4})?$/), g: arg.token(/^\d{1,15}(\.\d{1,4})?$/) });

/** Registering a pasted message by hand: confirm or drop, by the pasted message's id (features/manual.ts). */
export const manualCallbacks = callbackCodec('man', { ok: arg.int, no: arg.int });

/** Moving one's workspace to the other messenger after the confirmation (features/messenger.ts). */
export const messengerCallbacks = callbackCodec('msg', { sw: arg.none });
