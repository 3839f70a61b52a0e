import { arg, callbackCodec } from '../../kernel/callback-data.js';

/** The administrator's decision on a draft, and his «Опубликовать» when he publishes (А7.7): `ap.*` (features/approval.ts). */
export const approvalCallbacks = callbackCodec('ap', { ok: arg.none, rw: arg.none, pub: arg.none });

/** The department head: designate `<assignmentSeq>.<executorId>` (К7), agree or return the draft (К11): `dh.*` (features/department-head.ts). */
export const departmentHeadCallbacks = callbackCodec('dh', { des: arg.ints(2), ok: arg.none, ret: arg.none });

/** The extension of a term (А7.9): request, grant by `<days>`, decline: `ext.*` (features/extension.ts). */
export const extensionCallbacks = callbackCodec('ext', { req: arg.none, ok: arg.int, no: arg.none });
