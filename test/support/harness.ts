/**
 * One running service per describe block (or file), shared by its tests.
 *
 * ```ts
 * import { serviceHarness, vkCase } from '../support/harness.js';
 *
 * describe('something through the service', () => {
 *   const { tg, vk, service } = serviceHarness({ regulation: 'akhty-2021', env: { OTKLIK_FAKE_NOW: '2025-03-03T10:00:00' } });
 *
 *   it('…', async () => {
 *     const { card, id, number } = await vkCase({ tg, vk, service }, 'Яма на ул. Ленина'); // a fresh post and comment
 *     // … drive it as people would: tg.userPressesButton(people.admin, card, …)
 *   });
 * });
 * ```
 *
 * - The fake Telegram and VK servers and the service process are created at once (so they can be
 *   destructured at the top of the block) and started in `beforeAll`: fakes, then the service (waits
 *   for its «otklik: ready» line), then for the service's VK long poll (or, without VK, its first
 *   getUpdates). `afterAll` stops the service, removes its folder, and stops the fakes.
 * - Options: `regulation` and `extra` (organization file through `organizationYaml`) or a whole
 *   `orgYaml`; `env` for the service; `vk: false` for a service without VK; `vkUserToken: true` passes
 *   the fake's administrator token as VK_USER_TOKEN; `vkUsers` are the names `users.get` answers;
 *   `telegram` options of FakeTelegram (a random BotFather-shaped token by default; `rateLimit: true`
 *   keeps Telegram's real pacing in the service, see TEST_CHAT_SPACING_MS in service.ts);
 *   `before(h)` runs after the fakes start and before the service does (add chats, posts).
 * - Tests share the service: each makes its own cases (`vkCase` comments under a new post each time)
 *   and finds them by its own texts, so it does not depend on what another test left. A test that
 *   needs an empty database, another organization file or another mode has its own block.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll } from 'vitest';
import { FakeTelegram, type ChatMessage } from '../../src/sandbox/emulators/telegram.js';
import { FakeVk } from '../../src/sandbox/emulators/vk.js';
import { waitFor } from '../../src/sandbox/emulators/wait.js';
import { ServiceProcess, organizationYaml, people } from './service.js';

type Regulation = 'kanash-2020' | 'akhty-2021';
type VkUser = { id: number; first_name: string; last_name: string };

export interface HarnessOptions {
  regulation?: Regulation;
  /** Appended to the organization file (`organizationYaml({ regulation, extra })`). */
  extra?: string;
  /** The whole organization file instead. */
  orgYaml?: string;
  env?: Record<string, string>;
  /** Options of the fake Telegram server; a random token unless given. */
  telegram?: ConstructorParameters<typeof FakeTelegram>[0];
  /** Options of the fake VK server, or false for a service without VK. */
  vk?: ConstructorParameters<typeof FakeVk>[0] | false;
  /** Pass the fake VK's administrator (user) token to the service. */
  vkUserToken?: boolean;
  /** Citizens whose names `users.get` answers. */
  vkUsers?: VkUser[];
  /** Runs after the fakes started, before the service starts. */
  before?: (h: Harness) => void | Promise<void>;
  /** Start-up timeout of the hook (default 30 s). */
  timeoutMs?: number;
}

export interface Harness {
  tg: FakeTelegram;
  vk: FakeVk;
  service: ServiceProcess;
}

/** The citizen of the default test community: `vkCase` comments as her unless told otherwise. */
export const CITIZEN: VkUser = { id: 501, first_name: 'Ольга', last_name: 'Смирнова' };

const START_TIMEOUT_MS = 30_000;
const POLLER_TIMEOUT_MS = 10_000;

/** Services of blocks a filter (`-t`) skipped are created but never started: their folders go at exit. */
const undisposed = new Set<ServiceProcess>();
process.once('exit', () => undisposed.forEach((service) => rmSync(service.dir, { recursive: true, force: true })));

export const randomTelegramToken = () => `123456:${randomBytes(18).toString('hex')}`;

/** Registers the start and the stop of fakes + service in the current block; see the top of the file. */
export function serviceHarness(opts: HarnessOptions = {}): Harness {
  const tg = new FakeTelegram({ token: randomTelegramToken(), ...opts.telegram });
  const withVk = opts.vk !== false;
  const vk = new FakeVk(opts.vk || undefined);
  const env = { ...(withVk && opts.vkUserToken ? { VK_USER_TOKEN: vk.userToken } : {}), ...opts.env };
  const service = new ServiceProcess({
    telegram: tg,
    vk: withVk ? vk : undefined,
    orgYaml: opts.orgYaml ?? organizationYaml({ regulation: opts.regulation, extra: opts.extra }),
    env,
  });
  undisposed.add(service);
  const h: Harness = { tg, vk, service };
  beforeAll(async () => {
    await Promise.all([tg.start(), withVk ? vk.start() : undefined]);
    for (const user of opts.vkUsers ?? []) vk.addUser(user);
    await opts.before?.(h);
    await service.start();
    if (withVk) await vk.waitForPoller(POLLER_TIMEOUT_MS);
    else await tg.waitForCall('getUpdates', undefined, POLLER_TIMEOUT_MS);
  }, opts.timeoutMs ?? START_TIMEOUT_MS);
  afterAll(async () => {
    await service.dispose();
    undisposed.delete(service);
    if (withVk) await vk.stop();
    await tg.stop();
  });
  return h;
}

/**
 * A citizen comments under a new post in VK; resolves when the administrator's card (with its
 * buttons) arrives, with the case's id (from the buttons) and number (from the database).
 */
export async function vkCase(
  h: Harness,
  text: string,
  opts: { from?: number; timeoutMs?: number } = {},
): Promise<{ card: ChatMessage; id: number; number: number; postId: number; commentId: number }> {
  const post = h.vk.addPost({ text: 'Новости города' });
  const { comment } = h.vk.commentArrives({ post_id: post.id, from_id: opts.from ?? CITIZEN.id, text });
  const card = await h.tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes(text) && h.tg.buttonsOf(m).some((b) => b.callback_data?.startsWith('adm.')), opts.timeoutMs ?? 15_000);
  const id = Number(
    h.tg
      .buttonsOf(card)
      .find((b) => b.callback_data?.startsWith('adm.'))!
      .callback_data!.split(':')[1],
  );
  const number = await waitFor(() => caseNumber(h.service, id), { timeoutMs: 5_000, message: () => `case ${id} in the database` });
  return { card, id, number, postId: post.id, commentId: comment.id };
}

function caseNumber(service: ServiceProcess, id: number): number | undefined {
  const db = new Database(service.dbPath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT number FROM cases WHERE id = ?').get(id) as { number: number } | undefined)?.number;
  } finally {
    db.close();
  }
}
