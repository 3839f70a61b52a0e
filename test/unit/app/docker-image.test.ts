import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const ignore = readFileSync(path.join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/** The runtime stage: everything after the last FROM. */
const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

describe('Docker image', () => {
  it('keeps secrets, databases and the host packages out of the build context', () => {
    for (const pattern of ['.env', '*.db', '*.db-*', 'data/*', 'node_modules', 'dist', '.git']) expect(ignore).toContain(pattern);
    // Only the shipped calendar comes back in from data/.
    expect(ignore.filter((l) => l.startsWith('!'))).toEqual(['!.env.example', '!data/calendar/']);
  });

  it('never copies the whole context; the runtime stage copies only what runs', () => {
    expect(dockerfile).not.toMatch(/^COPY\s+\.\s/m);
    const fromContext = [...runtime.matchAll(/^COPY (?!--from)(\S+)/gm)].map((m) => m[1]);
    expect(fromContext.sort()).toEqual(['bin', 'data/calendar', 'locales', 'migrations']);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist/);
  });

  it('runs as node on a maintained LTS image, with a health check and its files on the data volume', () => {
    expect(dockerfile).toMatch(/ARG NODE_IMAGE=node:(22|24)-/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/health/m);
    for (const env of ['DATABASE_PATH=/data/otklik.db', 'BACKUP_DIR=/data/backups', 'HTTP_HOST=0.0.0.0']) expect(runtime).toContain(env);
    expect(runtime).toContain('VOLUME ["/data"]');
  });
});
