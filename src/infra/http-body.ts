import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Largest request body the service reads (VK Callback events, Telegram webhook updates). */
export const MAX_BODY_BYTES = 1_000_000;

export class BodyTooLarge extends Error {}

/**
 * Reads a request body of at most `limit` bytes. A larger one is refused without being kept in
 * memory: the rest is read and dropped before the caller answers, so the client gets its 413 instead
 * of a connection reset; a body beyond any mistake (64 × the limit) has its connection cut.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  return new Promise((resolve, reject) => {
    if (Number.isFinite(declared) && declared > limit * 64) {
      reject(new BodyTooLarge(`request body of ${declared} bytes`));
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit * 64) {
        reject(new BodyTooLarge(`request body over ${limit * 64} bytes`));
        req.destroy();
        return;
      }
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      }
      if (!tooLarge) chunks.push(c);
    });
    req.on('end', () => (tooLarge ? reject(new BodyTooLarge(`request body over ${limit} bytes`)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/** Compares a received secret with the expected one in constant time (no early exit on the first wrong character). */
export function secretMatches(received: unknown, expected: string | undefined): boolean {
  if (!expected || typeof received !== 'string') return false;
  const a = createHash('sha256').update(received).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
