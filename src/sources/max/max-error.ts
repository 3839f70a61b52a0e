import type { MaxError } from '@maxhub/max-bot-api';

/**
 * `err instanceof MaxError` (the official library's error for any answer but 200) without importing the
 * library: the modules that check it load with the service even when MAX is off, and the library is then
 * never needed. The class keeps its name in the library's build (dist/core/network/api/error.js).
 */
export function isMaxError(err: unknown): err is MaxError {
  return err instanceof Error && err.constructor.name === 'MaxError' && typeof (err as { status?: unknown }).status === 'number';
}
