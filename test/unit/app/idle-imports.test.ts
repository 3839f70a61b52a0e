import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// A resolve hook records every module the service's import graph reaches, in a fresh process (vitest's own
// module graph would hide what Node itself loads).
const hook = `import { appendFileSync } from 'node:fs';
export async function resolve(spec, ctx, next) { const r = await next(spec, ctx); appendFileSync(process.env.SEEN, r.url + '\\n'); return r; }`;

describe('the service module at start', () => {
  it('does not load vk-io, the MAX library or prom-client: imported when VK or MAX is configured, at the first scrape of /metrics', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'otklik-imports-'));
    const seen = path.join(dir, 'seen.txt');
    const script = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
const { register: tsx } = await import('tsx/esm/api');
tsx();
await import(${JSON.stringify(path.join(root, 'src/app/service.ts'))});`;
    try {
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env: { ...process.env, SEEN: seen }, stdio: 'pipe' });
      const urls = readFileSync(seen, 'utf8');
      // The hook saw the graph: grammY and the service's own modules are there.
      expect(urls).toContain('/node_modules/grammy/');
      expect(urls).toContain('/src/sources/vk/channel.ts');
      expect(urls).not.toContain('/node_modules/vk-io/');
      expect(urls).not.toContain('/node_modules/@maxhub/max-bot-api/');
      expect(urls).not.toContain('/node_modules/prom-client/');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
