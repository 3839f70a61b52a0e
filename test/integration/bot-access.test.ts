import { describe, expect, it } from 'vitest';
import { people } from '../support/service.js';
import { serviceHarness } from '../support/harness.js';
import { waitFor } from '../../src/sandbox/emulators/wait.js';
import { press, readDb } from './bot-admin-helpers.js';

/** People and access through the fake Bot API against the real service process. */
for (const preset of ['kanash-2020', 'akhty-2021'] as const) {
  describe(`people and access (${preset})`, () => {
    const admin = people.admin;
    const newcomer = { id: 700001, first_name: 'Ольга', last_name: 'Новикова' };
    const latecomer = { id: 700002, first_name: 'Игорь' };

    const { tg, service } = serviceHarness({ vk: false, telegram: { bot: { username: 'otklik_test_bot' } }, regulation: preset, env: { OTKLIK_FAKE_NOW: '2026-12-07T10:00' } });

    it('registers command menus per role with chat scopes', async () => {
      // Telegram sets a chat-scoped menu only for a chat the person has started: they write first.
      tg.userSendsText(admin, '/start');
      tg.userSendsText(people.executor, '/start');
      await waitFor(() => tg.commands({ type: 'chat', chat_id: admin.id }), { timeoutMs: 15_000, message: () => 'admin commands' });
      const adminCmds = (tg.commands({ type: 'chat', chat_id: admin.id }) as { command: string }[]).map((c) => c.command);
      expect(adminCmds).toEqual(expect.arrayContaining(['queue', 'staff', 'invite', 'case', 'find']));
      await waitFor(() => tg.commands({ type: 'chat', chat_id: people.executor.id }), { timeoutMs: 15_000, message: () => 'executor commands' });
      const execCmds = (tg.commands({ type: 'chat', chat_id: people.executor.id }) as { command: string }[]).map((c) => c.command);
      expect(execCmds).toContain('queue');
      expect(execCmds).not.toContain('invite');
    }, 30_000);

    it('invites a person with a one-time deep link for a role and a department', async () => {
      tg.userSendsText(admin, '/invite');
      const menu = await tg.waitForMessage(admin.id, /Для какой роли/, 10_000);
      await press(tg, admin, menu, 'исполнитель');
      await press(tg, admin, menu, 'Отдел ЖКХ');
      const invite = await tg.waitForMessage(admin.id, (m) => m.message_id === menu.message_id && /t\.me\/otklik_test_bot\?start=/.test(m.text ?? ''), 10_000);
      const token = /start=([A-Za-z0-9_-]+)/.exec(invite.text ?? '')![1]!;

      // Before joining: a stranger.
      tg.userSendsText(newcomer, '/queue');
      await tg.waitForMessage(newcomer.id, /Ваш Telegram ID: 700001/, 10_000);

      tg.userSendsText(newcomer, `/start ${token}`);
      await tg.waitForMessage(newcomer.id, /Добро пожаловать, Ольга Новикова! Вы подключены как: исполнитель/, 10_000);
      const [row] = readDb<{ roles: string; department_id: string; origin: string; active: number }>(
        service.dbPath,
        'SELECT roles, department_id, origin, active FROM staff WHERE telegram_id = ?',
        newcomer.id,
      );
      expect(row).toEqual({ roles: '["executor"]', department_id: 'zhkh', origin: 'invite', active: 1 });
      tg.userSendsText(newcomer, '/queue');
      await tg.waitForMessage(newcomer.id, /Сейчас ничего не ждёт/, 10_000);
      await waitFor(() => tg.commands({ type: 'chat', chat_id: newcomer.id }), { timeoutMs: 15_000, message: () => 'newcomer commands' });

      // One time only.
      tg.userSendsText(latecomer, `/start ${token}`);
      await tg.waitForMessage(latecomer.id, /недействительна/, 10_000);
      expect(readDb(service.dbPath, 'SELECT id FROM staff WHERE telegram_id = ?', latecomer.id)).toHaveLength(0);
      // A made-up token.
      tg.userSendsText(latecomer, '/start forgedtoken123');
      await tg.waitForMessage(latecomer.id, (m) => /недействительна/.test(m.text ?? '') && tg.messagesTo(latecomer.id).length === 2, 10_000);
    }, 40_000);

    it('lets the administrator deactivate a person: access is lost at once', async () => {
      tg.userSendsText(admin, '/staff');
      const list = await tg.waitForMessage(admin.id, /Сотрудники \(активных/, 10_000);
      expect(list.text).toContain('Петров П.П.');
      await press(tg, admin, list, 'Петров П.П.');
      await press(tg, admin, list, 'Отключить доступ');
      await press(tg, admin, list, 'Да, отключить');
      await tg.waitForMessage(admin.id, (m) => m.message_id === list.message_id && /отключён/.test(m.text ?? ''), 10_000);
      const [row] = readDb<{ active: number }>(service.dbPath, 'SELECT active FROM staff WHERE telegram_id = ?', people.executor.id);
      expect(row!.active).toBe(0);

      const before = tg.messagesTo(people.executor.id).length;
      tg.userSendsText(people.executor, '/queue');
      const refusal = await tg.waitForMessage(people.executor.id, (m) => tg.messagesTo(people.executor.id).length > before && /Ваш Telegram ID/.test(m.text ?? ''), 10_000);
      expect(refusal.reply_markup).toBeUndefined();
      // His command menu is removed.
      await tg.waitForCall('deleteMyCommands', (c) => (c.params.scope as { chat_id?: number } | undefined)?.chat_id === people.executor.id, 15_000);
    }, 30_000);

    it('lets anyone set his own absence with a substitute (/away), and refuses to manage others', async () => {
      tg.userSendsText(people.roadsExecutor, '/away');
      const m = await tg.waitForMessage(people.roadsExecutor.id, /На сколько дней/, 10_000);
      await press(tg, people.roadsExecutor, m, '3');
      await press(tg, people.roadsExecutor, m, 'Николаева');
      await tg.waitForMessage(people.roadsExecutor.id, /Васильев Д\.А\. отсутствует до [\s\S]*Замещает: Николаева Е\.В\./, 10_000);
      const rows = readDb<{ substitute_id: number }>(service.dbPath, 'SELECT substitute_id FROM absences a JOIN staff s ON s.id = a.staff_id WHERE s.telegram_id = ?', people.roadsExecutor.id);
      expect(rows).toHaveLength(1);

      // A non-administrator forging a role change of someone else: alert, nothing changes.
      const [target] = readDb<{ id: number; roles: string }>(service.dbPath, 'SELECT id, roles FROM staff WHERE telegram_id = ?', people.roadsHead.id);
      const q = tg.userSendsCallback(people.roadsExecutor, `stf.role:0:${target!.id}.0`);
      const answer = await waitFor(() => tg.callbackAnswers().find((a) => a.callback_query_id === q), { timeoutMs: 10_000 });
      expect(answer.show_alert).toBe(true);
      const [after] = readDb<{ roles: string }>(service.dbPath, 'SELECT roles FROM staff WHERE id = ?', target!.id);
      expect(after!.roles).toBe(target!.roles);
    }, 30_000);
  });
}
