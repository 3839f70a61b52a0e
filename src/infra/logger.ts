import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * pino logger that never prints a token: known secrets are replaced wherever they appear in a
 * message or a serialized error (grammY puts the token in request URLs), and the usual secret
 * fields are redacted.
 */
export function createLogger(level: string, secrets: string[] = [], destination?: NodeJS.WritableStream): Logger {
  const scrub = makeScrubber(secrets);
  return pino(
    {
      level,
      redact: { paths: ['token', '*.token', 'access_token', '*.access_token', 'headers.authorization'], censor: '[redacted]' },
      hooks: {
        streamWrite: (line) => scrub(line),
      },
    },
    destination as pino.DestinationStream | undefined,
  );
}

export function makeScrubber(secrets: string[]): (text: string) => string {
  const list = [...new Set(secrets.filter((s) => s.length >= 8))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (t) => t;
  const pattern = new RegExp(list.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return (text) => text.replace(pattern, '[redacted]');
}
