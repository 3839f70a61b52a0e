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

// --- typed actions ---------------------------------------------------------------------------

/** How one action's argument is written into callback data and read back; `undefined` from `read`: malformed. */
export interface ArgCodec<T> {
  write(value: T): string | null;
  read(raw: string | null): T | undefined;
}

const INT = /^(0|[1-9]\d{0,14})$/;
const readInt = (raw: string): number | undefined => (INT.test(raw) ? Number(raw) : undefined);

/** The argument codecs the features' actions are built from. */
export const arg = {
  /** No argument. */
  none: { write: () => null, read: (raw) => (raw === null ? null : undefined) } as ArgCodec<null>,
  /** A non-negative integer (an index, an id, a sequence number). */
  int: { write: (v) => String(v), read: (raw) => (raw === null ? undefined : readInt(raw)) } as ArgCodec<number>,
  /** `n` non-negative integers joined by dots (`<seq>.<staffId>`). */
  ints(n: number): ArgCodec<number[]> {
    return {
      write: (v) => v.join('.'),
      read: (raw) => {
        const parts = raw?.split('.').map(readInt);
        return parts?.length === n && parts.every((p) => p !== undefined) ? (parts as number[]) : undefined;
      },
    };
  },
  /** One of a fixed set of words. */
  oneOf<T extends string>(...values: readonly T[]): ArgCodec<T> {
    return { write: (v) => v, read: (raw) => (values.includes(raw as T) ? (raw as T) : undefined) };
  },
  /** A token of a shape of its own (e.g. `2025-03` for a month); checked by `shape` as well as by the data format. */
  token(shape: RegExp): ArgCodec<string> {
    return { write: (v) => v, read: (raw) => (raw !== null && shape.test(raw) ? raw : undefined) };
  },
  /** The argument may be absent (null). */
  optional<T>(inner: ArgCodec<T>): ArgCodec<T | null> {
    return { write: (v) => (v === null ? null : inner.write(v)), read: (raw) => (raw === null ? null : inner.read(raw)) };
  },
};

type ArgOf<C> = C extends ArgCodec<infer T> ? T : never;
export type ActionArgs = Record<string, ArgCodec<never> | ArgCodec<unknown>>;

/** A press decoded by a feature's codec: which of its actions, on which case, with the argument typed. */
export type Press<P extends string, A extends ActionArgs> = { [K in keyof A & string]: { action: `${P}.${K}`; name: K; caseId: number; arg: ArgOf<A[K]> } }[keyof A & string];

export interface CallbackCodec<P extends string, A extends ActionArgs> {
  prefix: P;
  /** The full action names (`ap.ok`…), for the tests and the registry. */
  actions: readonly `${P}.${keyof A & string}`[];
  /** The callback data of one button; throws on an argument the action does not take (a bug, not input). */
  encode<K extends keyof A & string>(name: K, caseId: number, ...value: null extends ArgOf<A[K]> ? [ArgOf<A[K]>?] : [ArgOf<A[K]>]): string;
  /** The press, or null for anything this feature did not encode (another feature's action, forged data). */
  decode(data: string | undefined): Press<P, A> | null;
  /** Whether the data names this feature's prefix (then a press it cannot decode is forged or stale: refused, not passed on). */
  claims(data: string | undefined): boolean;
}

/**
 * Declares a feature's callback actions once: `<prefix>.<name>` with its argument's codec. Encoding and
 * decoding go through it, so a button and the handler of its press cannot disagree on the format.
 */
export function callbackCodec<P extends string, A extends ActionArgs>(prefix: P, args: A): CallbackCodec<P, A> {
  const names = Object.keys(args) as (keyof A & string)[];
  return {
    prefix,
    actions: names.map((n) => `${prefix}.${n}` as const),
    encode(name, caseId, ...value) {
      const codec = args[name] as ArgCodec<unknown>;
      const raw = codec.write(value[0] ?? null);
      // What is written must read back as the same value: an argument the action does not take is a bug here, not input.
      if (JSON.stringify(codec.read(raw)) !== JSON.stringify(value[0] ?? null)) throw new Error(`bad callback arg for ${prefix}.${name}: ${String(value[0])}`);
      return encodeCallback(`${prefix}.${name}`, caseId, raw);
    },
    decode(data) {
      const cb = decodeCallback(data);
      if (!cb || !cb.action.startsWith(`${prefix}.`)) return null;
      const name = cb.action.slice(prefix.length + 1);
      if (!Object.hasOwn(args, name)) return null;
      const value = (args[name] as ArgCodec<unknown>).read(cb.arg);
      if (value === undefined) return null;
      return { action: cb.action, name, caseId: cb.caseId, arg: value } as Press<P, A>;
    },
    claims: (data) => !!data?.startsWith(`${prefix}.`),
  };
}
