import http from 'node:http';
import type https from 'node:https';
import { API } from 'vk-io';
import type { Env } from '../../config/env.js';

/**
 * vk-io API clients: the community token at up to 20 requests/s (VK's limit for community tokens;
 * vk-io's default is 3/s) and the administrator's user token at 3/s. vk-io's own retries are kept
 * short (error 6 it retries itself after a pause); the outbox decides the rest (errors.ts).
 */
export interface VkApis {
  group: API;
  /** null without VK_USER_TOKEN: moderation, photo upload, catch-up and external pages are off. */
  user: API | null;
}

export interface VkApiOptions {
  timeoutMs?: number;
  retryLimit?: number;
}

export function createVkApis(env: Pick<Env, 'VK_GROUP_TOKEN' | 'VK_USER_TOKEN' | 'VK_API_BASE_URL'>, opts: VkApiOptions = {}): VkApis {
  const base = env.VK_API_BASE_URL.replace(/\/+$/, '');
  // vk-io uses node-fetch with https.globalAgent by default, which refuses an http:// URL.
  const agent = base.startsWith('http://') ? (new http.Agent({ keepAlive: true }) as unknown as https.Agent) : undefined;
  const common = {
    apiBaseUrl: base,
    apiVersion: '5.199',
    apiTimeout: opts.timeoutMs ?? 10_000,
    apiRetryLimit: opts.retryLimit ?? 1,
    apiWait: 1_000,
    apiMode: 'sequential' as const,
    apiRequestMode: 'burst' as const,
    ...(agent ? { agent } : {}),
  };
  return {
    group: new API({ ...common, token: env.VK_GROUP_TOKEN!, apiLimit: 20 }),
    user: env.VK_USER_TOKEN ? new API({ ...common, token: env.VK_USER_TOKEN, apiLimit: 3 }) : null,
  };
}

export function httpAgentFor(url: string): http.Agent | undefined {
  return url.startsWith('http://') ? new http.Agent({ keepAlive: true }) : undefined;
}
