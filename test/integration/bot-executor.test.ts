import { describe, expect, it } from 'vitest';
import { people } from '../support/service.js';
import { assign, designate, escaped, inWork, newCase, press, q, setup, status, waitFor } from './bot-work-helpers.js';

/**
 * The executor / department head / approval half of the workspace, through the running service and the fake
 * Bot API, for both presets: the administrator assigns (his triage buttons), the department head
 * designates, the executor returns or accepts, drafts with a photo across a restart, the reviewer
 * sends it to rework, then it is approved and published by whom the regulation names.
 */

for (const regulation of ['kanash-2020', 'akhty-2021'] as const) {
  describe(`executor and approval in the bot (${regulation})`, () => {
    const h = setup(regulation);
    const { admin, executor, deptHead, roadsExecutor, roadsHead } = people;

    it('the executor returns with a reason; a wrong-role press changes nothing', async () => {
      const id = await newCase(h, 'Не горит фонарь у дома 3');
      await assign(h, id, '0-0');
      await designate(h, deptHead, id, /Петров/);
      await press(h.tg, executor, escaped(`ex.acc:${id}:`));
      await waitFor(() => status(h.service, id) === 'in_work', 10_000);
      // The executor of another department presses (forges) the same button: an alert, no change.
      const before = q<{ version: number }>(h.service, 'SELECT version FROM cases WHERE id = ?', id).version;
      h.tg.userSendsCallback(roadsExecutor, `ex.ret:${id}:1`);
      await waitFor(() => h.tg.callbackAnswers().some((a) => a.userId === roadsExecutor.id && a.show_alert === true), 5_000);
      h.tg.userSendsCallback(roadsExecutor, `ex.acc:${id}:1`);
      await waitFor(() => h.tg.callbackAnswers().filter((a) => a.userId === roadsExecutor.id && a.show_alert === true).length >= 2, 5_000);
      expect(q<{ version: number }>(h.service, 'SELECT version FROM cases WHERE id = ?', id).version).toBe(before);

      await waitFor(() => status(h.service, id) === 'in_work', 10_000);
      await press(h.tg, executor, escaped(`ex.ret:${id}:`));
      await h.tg.waitForMessage(executor.id, /причину/, 10_000);
      h.tg.userSendsText(executor, 'Это вопрос дорожного отдела');
      await waitFor(() => status(h.service, id) === 'returned', 10_000);
      const a = q<{ return_reason: string }>(h.service, 'SELECT return_reason FROM assignments WHERE case_id = ? AND seq = 1', id);
      expect(a.return_reason).toBe('Это вопрос дорожного отдела');
    }, 60_000);

    it('draft with a photo survives a restart, goes to rework, then is approved and published', async () => {
      const text = 'Яма на ул. Ленина, 5 — когда отремонтируют?';
      const id = await inWork(h, text);

      const photo = h.tg.userSendsPhoto(executor, {});
      await h.tg.waitForMessage(executor.id, /Добавлено в проект/, 10_000);
      // Restart in the middle of writing: the photo stays in the draft.
      await h.service.restart();
      h.tg.userSendsText(executor, 'Ремонт ямы запланирован на эту неделю.');
      await waitFor(() => h.tg.messagesTo(executor.id).filter((m) => /Добавлено в проект/.test(m.text ?? '')).length >= 2, 15_000);
      await press(h.tg, executor, escaped(`ex.send:${id}`));

      if (regulation === 'kanash-2020') {
        // К11: the department head agrees the draft first; he sees it as it will be published.
        await waitFor(() => status(h.service, id) === 'dept_review', 10_000);
        await h.tg.waitForMessage(deptHead.id, /Ремонт ямы запланирован/, 10_000);
        expect(h.tg.calls('sendPhoto').some((c) => c.params.chat_id === deptHead.id)).toBe(true);
        await press(h.tg, deptHead, escaped(`dh.ok:${id}`));
      }
      await waitFor(() => status(h.service, id) === 'on_approval', 10_000);
      // The administrator sees the draft exactly as it will be published: the photo by file_id, then the text.
      await h.tg.waitForMessage(admin.id, /Ремонт ямы запланирован/, 10_000);
      const sent = h.tg.calls('sendPhoto').find((c) => c.params.chat_id === admin.id);
      expect(sent?.params.photo).toBe(photo.file!.file_id);

      await press(h.tg, admin, escaped(`ap.rw:${id}`));
      await h.tg.waitForMessage(admin.id, /замечание/, 10_000);
      h.tg.userSendsText(admin, 'Укажите точную дату');
      await waitFor(() => status(h.service, id) === 'rework', 10_000);
      // The executor sees the comment with the earlier version.
      await h.tg.waitForMessage(executor.id, (m) => /Укажите точную дату/.test(m.text ?? '') && /Ремонт ямы запланирован/.test(m.text ?? ''), 10_000);

      await press(h.tg, executor, escaped(`ex.draft:${id}`));
      await h.tg.waitForMessage(executor.id, (m) => /Прежний вариант/.test(m.text ?? '') && /Проект ответа/.test(m.text ?? ''), 10_000);
      h.tg.userSendsText(executor, 'Ремонт ямы будет выполнен до 7 марта.');
      await waitFor(() => h.tg.messagesTo(executor.id).filter((m) => /Добавлено в проект/.test(m.text ?? '')).length >= 3, 10_000);
      await press(h.tg, executor, escaped(`ex.send:${id}`));
      await waitFor(() => status(h.service, id) === 'on_approval', 10_000);
      await waitFor(() => h.tg.messagesTo(admin.id).some((m) => /до 7 марта/.test(m.text ?? '')), 10_000);
      await press(h.tg, admin, escaped(`ap.ok:${id}`));
      await waitFor(() => status(h.service, id) === 'approved', 10_000);

      // Who publishes follows the regulation: the executor in Канаш (К14), the administrator in Ахты (А7.7).
      if (regulation === 'kanash-2020') {
        expect(h.tg.messagesTo(admin.id).some((m) => h.tg.buttonsOf(m).some((b) => b.callback_data === `ap.pub:${id}`))).toBe(false);
        await press(h.tg, executor, escaped(`ex.pub:${id}`));
      } else {
        h.tg.userSendsCallback(executor, `ex.pub:${id}`);
        await waitFor(() => h.tg.callbackAnswers().some((a) => a.userId === executor.id && a.data === `ex.pub:${id}` && a.show_alert === true), 5_000);
        await press(h.tg, admin, escaped(`ap.pub:${id}`));
      }
      await waitFor(() => q<{ n: number }>(h.service, `SELECT count(*) AS n FROM audit_events WHERE case_id = ? AND type = 'publish_requested'`, id).n === 1, 10_000);
      const row = q<{ payload: string } | undefined>(h.service, `SELECT payload FROM outbox WHERE channel = 'vk' AND action = 'publish' AND case_id = ? AND payload LIKE '%"answer"%'`, id);
      expect(row?.payload).toContain('до 7 марта');
      expect(row?.payload).toContain(`tg:${photo.file!.file_id}`);
    }, 90_000);

    it('several departments: the co-executor sends a part, the responsible executor sees it; an intermediate answer with a promised date', async () => {
      const id = await newCase(h, 'Во дворе яма и не вывозят мусор');
      await assign(h, id, '0-0.1');
      await designate(h, deptHead, id, /Петров/);
      await designate(h, roadsHead, id, /Васильев/);
      await press(h.tg, executor, escaped(`ex.acc:${id}:`));
      await press(h.tg, roadsExecutor, escaped(`ex.acc:${id}:`));
      await press(h.tg, roadsExecutor, escaped(`ex.part:${id}:`));
      await h.tg.waitForMessage(roadsExecutor.id, /Ваша часть/, 10_000);
      h.tg.userSendsText(roadsExecutor, 'Яму заделаем в четверг.');
      await h.tg.waitForMessage(roadsExecutor.id, /Добавлено в вашу часть/, 10_000);
      await press(h.tg, roadsExecutor, escaped(`ex.send:${id}`));
      await h.tg.waitForMessage(executor.id, /Яму заделаем в четверг/, 10_000);

      await press(h.tg, executor, escaped(`ex.draft:${id}`));
      await h.tg.waitForMessage(executor.id, (m) => /Части соисполнителей/.test(m.text ?? '') && /Яму заделаем в четверг/.test(m.text ?? ''), 10_000);
      h.tg.userSendsText(executor, 'Мусор вывезен, яму заделаем до 10.03.2025.');
      await h.tg.waitForMessage(executor.id, /Добавлено в проект/, 10_000);
      await press(h.tg, executor, escaped(`ex.kind:${id}:intermediate`));
      await h.tg.waitForMessage(executor.id, /дату окончательного ответа|срок окончательного ответа/, 10_000);
      h.tg.userSendsText(executor, '07.03.2025');
      await h.tg.waitForMessage(executor.id, /Срок окончательного ответа/, 10_000);
      await press(h.tg, executor, escaped(`ex.send:${id}`));
      await waitFor(() => ['dept_review', 'on_approval'].includes(status(h.service, id)), 10_000);
      const d = q<{ kind: string; promised_by: number }>(h.service, 'SELECT kind, promised_by FROM drafts WHERE case_id = ? ORDER BY seq DESC', id);
      expect(d.kind).toBe('intermediate');
      expect(new Date(d.promised_by).toISOString().slice(0, 10)).toBe('2025-03-07');
    }, 90_000);

    it('a clarification request with an album goes for approval with its kind', async () => {
      const id = await newCase(h, 'Когда будет свет?');
      await assign(h, id, '0-0');
      await designate(h, deptHead, id, /Петров/);
      await press(h.tg, executor, escaped(`ex.acc:${id}:`));
      await press(h.tg, executor, escaped(`ex.draft:${id}`));
      await press(h.tg, executor, escaped(`ex.kind:${id}:clarification`));
      h.tg.userSendsText(executor, 'Уточните, пожалуйста, адрес.');
      await h.tg.waitForMessage(executor.id, /Добавлено в проект.*Запрос уточнения/s, 10_000);
      // An album: its photos become one draft, acknowledged once.
      const acks = () => h.tg.messagesTo(executor.id).filter((m) => /Добавлено в проект/.test(m.text ?? '')).length;
      const n = acks();
      const album = [1, 2, 3].map(() => h.tg.userSendsPhoto(executor, { mediaGroupId: `album-${id}` }));
      await waitFor(() => acks() === n + 1, 10_000);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(acks()).toBe(n + 1);
      await press(h.tg, executor, escaped(`ex.send:${id}`));
      await waitFor(() => ['dept_review', 'on_approval'].includes(status(h.service, id)), 10_000);
      expect(q<{ kind: string }>(h.service, 'SELECT kind FROM drafts WHERE case_id = ?', id).kind).toBe('clarification');
      const v = q<{ attachments: string }>(h.service, 'SELECT attachments FROM draft_versions WHERE case_id = ?', id);
      expect(JSON.parse(v.attachments).map((a: { ref: string }) => a.ref)).toEqual(album.map((p) => `tg:${p.file!.file_id}`));
      if (regulation === 'akhty-2021') {
        // The administrator sees the album as it will be published.
        await waitFor(() => h.tg.calls('sendMediaGroup').some((c) => c.params.chat_id === admin.id && (c.params.media as unknown[]).length === 3), 10_000);
      }
    }, 60_000);
  });
}
