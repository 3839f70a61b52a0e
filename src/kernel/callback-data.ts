/**
 * Callback data of inline buttons: `<action>:<caseId>[:<arg>]`, at most 64 bytes (Telegram's limit).
 * The data comes from the client and can be forged, so decoding is strict and every press is then
 * re-authorized against the database and the case's current state.
 */
export interface CallbackData {
  /** Lower-case action name, e.g. `tri.imp` (triage: importance), `acc` (accept). */
  action: string;
  /** The case the button is about; 0 for buttons not about a case (menus). */
  caseId: number;
  /** Optional argument: an index into a list, an id, a flag. */
  arg: string | null;
}

const ACTION = /^[a-z][a-z0-9_.]{0,23}$/;
const ARG = /^[A-Za-z0-9_.\-=]{1,40}$/;
export const CALLBACK_DATA_LIMIT = 64;

export function encodeCallback(action: string, caseId: number, arg?: string | number | null): string {
  if (!ACTION.test(action)) throw new Error(`bad callback action: ${action}`);
  if (!Number.isSafeInteger(caseId) || caseId < 0) throw new Error(`bad case id: ${caseId}`);
  const a = arg === undefined || arg === null ? null : String(arg);
  if (a !== null && !ARG.test(a)) throw new Error(`bad callback arg: ${a}`);
  const data = a === null ? `${action}:${caseId}` : `${action}:${caseId}:${a}`;
  if (Buffer.byteLength(data) > CALLBACK_DATA_LIMIT) throw new Error(`callback data too long: ${data}`);
  return data;
}

/** Returns null for anything that is not exactly what encodeCallback produces. */
export function decodeCallback(data: string | undefined): CallbackData | null {
  if (!data || Buffer.byteLength(data) > CALLBACK_DATA_LIMIT) return null;
  const parts = data.split(':');
  if (parts.length < 2 || parts.length > 3) return null;
  const [action, id, arg] = parts as [string, string, string | undefined];
  if (!ACTION.test(action) || !/^(0|[1-9]\d{0,14})$/.test(id)) return null;
  if (arg !== undefined && !ARG.test(arg)) return null;
  return { action, caseId: Number(id), arg: arg ?? null };
}
