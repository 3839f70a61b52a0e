/**
 * Polling waits for integration tests. Everything the fakes and the service do is
 * asynchronous; tests wait for an observable condition instead of sleeping.
 */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface WaitOptions {
  /** Give up after this many milliseconds (default 5000). */
  timeoutMs?: number;
  /** Poll interval in milliseconds (default 10). */
  intervalMs?: number;
  /** Describes what was awaited; used in the timeout error. */
  message?: string | (() => string);
}

/**
 * Calls `probe` until it returns something other than `undefined`, `null` or `false`
 * and resolves with that value. A probe that throws is retried (its last error is
 * reported on timeout). Rejects with a descriptive error after `timeoutMs`.
 */
export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const what = typeof options.message === 'function' ? options.message() : (options.message ?? 'condition');
      const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(intervalMs);
  }
}

/** Resolves once `probe` has stayed truthy-free (returns falsy) for the whole `ms` window; throws otherwise. */
export async function expectNothingFor(probe: () => unknown, ms: number, message = 'nothing to happen'): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== undefined && value !== null && value !== false) {
      throw new Error(`Expected ${message} for ${ms} ms, but got ${safeJson(value)}`);
    }
    await sleep(10);
  }
}

export function safeJson(value: unknown): string {
  try {
    const s = JSON.stringify(value);
    return s.length > 500 ? `${s.slice(0, 500)}…` : s;
  } catch {
    return String(value);
  }
}
