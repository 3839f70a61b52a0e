import Database from 'better-sqlite3';
import type { ChatMessage, FakeTelegram } from '../../src/sandbox/emulators/telegram.js';
import { CITIZEN, serviceHarness, vkCase, type Harness } from '../support/harness.js';
import { ServiceProcess, organizationYaml, people } from '../support/service.js';
import { waitFor as waitForProbe } from '../../src/sandbox/emulators/wait.js';

/**
 * Driving a case through the running service as the people would (the administrator's triage
 * buttons, the department head, the executor, the approval), shared by the bot's work-flow tests.
 */
export const waitFor = <T>(probe: () => T | undefined | null | false, timeoutMs = 5_000) => waitForProbe(probe, { timeoutMs });

export type User = { id: number; first_name: string };
export type { Harness };

/** One service per describe block: fake Telegram and VK, the real process, a given preset. */
export function setup(
  regulation: 'kanash-2020' | 'akhty-2021',
  env: Record<string, string> = { OTKLIK_FAKE_NOW: '2025-03-03T10:00:00', LOG_LEVEL: 'info' },
  orgYaml: string = organizationYaml({ regulation }),
): Harness {
  return serviceHarness({ orgYaml, env, vkUsers: [CITIZEN] });
}

export function q<T>(service: ServiceProcess, sql: string, ...args: unknown[]): T {
  const d = new Database(service.dbPath, { readonly: true, fileMustExist: true });
  try {
    return d.prepare(sql).get(...args) as T;
  } finally {
    d.close();
  }
}

export const status = (service: ServiceProcess, caseId: number) => q<{ status: string }>(service, 'SELECT status FROM cases WHERE id = ?', caseId).status;

/** Waits for a bot message to `user` carrying a button whose callback data matches, and presses it. */
export async function press(tg: FakeTelegram, user: User, data: RegExp, timeoutMs = 10_000): Promise<{ message: ChatMessage; data: string }> {
  let found: { message: ChatMessage; data: string } | null = null;
  await waitFor(() => {
    for (const m of [...tg.messagesTo(user.id)].reverse()) {
      const b = tg.buttonsOf(m).find((x) => x.callback_data && data.test(x.callback_data));
      if (b) {
        found = { message: m, data: b.callback_data! };
        return true;
      }
    }
    return false;
  }, timeoutMs);
  const f = found!;
  tg.userPressesButton(user, f.message, f.data);
  return f;
}

/** A citizen's comment arrives in VK; returns the case id from the administrator's card. */
export async function newCase(h: Harness, text: string): Promise<number> {
  return (await vkCase(h, text)).id;
}

/** The administrator's card of a case (the last message with its buttons). */
export function adminCard(tg: FakeTelegram, caseId: number): ChatMessage {
  return [...tg.messagesTo(people.admin.id)].reverse().find((m) => tg.buttonsOf(m).some((b) => b.callback_data?.startsWith(`adm.`) && b.callback_data.split(':')[1] === String(caseId)))!;
}

/** The administrator assigns (departments by index in the organization file; the first is responsible). */
export async function assign(h: { tg: FakeTelegram; service: ServiceProcess }, caseId: number, depts: string): Promise<void> {
  h.tg.userSendsCallback(people.admin, `adm.assign:${caseId}:${depts}`, adminCard(h.tg, caseId).message_id, people.admin.id);
  await waitFor(() => status(h.service, caseId) === 'assigned', 10_000);
}

export async function designate(h: { tg: FakeTelegram }, head: User, caseId: number, executorName: RegExp): Promise<void> {
  await waitFor(() => h.tg.messagesTo(head.id).some((m) => h.tg.buttonsOf(m).some((b) => b.callback_data?.startsWith(`dh.des:${caseId}:`) && executorName.test(b.text))), 10_000);
  const m = [...h.tg.messagesTo(head.id)].reverse().find((x) => h.tg.buttonsOf(x).some((b) => b.callback_data?.startsWith(`dh.des:${caseId}:`) && executorName.test(b.text)))!;
  const b = h.tg.buttonsOf(m).find((x) => x.callback_data?.startsWith(`dh.des:${caseId}:`) && executorName.test(x.text))!;
  h.tg.userPressesButton(head, m, b.callback_data!);
}

export const escaped = (s: string) => new RegExp('^' + s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/** A case in Петров's hands (Канаш/Ахты test organization): assigned to ЖКХ, designated, accepted; the draft opened. */
export async function inWork(h: Harness, text: string): Promise<number> {
  const { executor, deptHead } = people;
  const id = await newCase(h, text);
  await assign(h, id, '0-0');
  await designate(h, deptHead, id, /Петров/);
  await press(h.tg, executor, escaped(`ex.acc:${id}:`));
  await waitFor(() => status(h.service, id) === 'in_work', 10_000);
  await press(h.tg, executor, escaped(`ex.draft:${id}`));
  await h.tg.waitForMessage(executor.id, (m) => (m.text ?? '').includes(text) && /Проект ответа/.test(m.text ?? ''), 10_000);
  return id;
}
