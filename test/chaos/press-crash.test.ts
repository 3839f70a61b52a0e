import { appendFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { FakeTelegram } from '../../src/sandbox/emulators/telegram.js';
import { FakeVk } from '../../src/sandbox/emulators/vk.js';
import { ServiceProcess, people } from '../support/service.js';
import { dbValue, randomBotToken, randomVkToken } from '../support/chaos.js';

const rounds = Number(process.env.CHAOS_PRESSES ?? 12);

/**
 * No press lost on a crash: the service is SIGKILLed while a press is being handled (its handler has
 * changed the case and waits for Telegram to take the answer to the press). Telegram must deliver the
 * press again after the restart — the update was never confirmed — and the service handles it once
 * more: the change is not doubled (the update dedupe, the workflow's own re-check) and the person gets
 * an answer. A runner that confirms updates before handling them loses every one of these presses.
 */
it(`${rounds} presses killed mid-handling are delivered again after the restart, none doubled`, async () => {
  const tg = await new FakeTelegram({ token: randomBotToken() }).start();
  const vk = await new FakeVk({ groupToken: randomVkToken('group') }).start();
  const service = new ServiceProcess({ telegram: tg, vk, env: { LOG_LEVEL: 'info', OTKLIK_FAKE_NOW: '2025-03-03T10:00:00' } });
  let redelivered = 0;
  const lost: number[] = [];
  try {
    await service.start(30_000);
    await vk.waitForPoller(15_000);
    const post = vk.addPost({ text: 'Новости' });
    for (let i = 1; i <= rounds; i++) {
      vk.commentArrives({ post_id: post.id, from_id: 800_000 + i, text: `Нажатие ${i}: нет воды` });
      const card = await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes(`Нажатие ${i}:`), 20_000);
      const caseId = Number(
        tg
          .buttonsOf(card)
          .find((b) => b.callback_data?.startsWith('adm.'))!
          .callback_data!.split(':')[1],
      );
      // The answer to the press is held by "Telegram": the handler is mid-way when the process dies.
      tg.failNext('answerCallbackQuery', { kind: 'timeout', holdMs: 20_000 });
      const query = tg.userSendsCallback(people.admin, `adm.topic:${caseId}:${i % 3}`, card.message_id, people.admin.id);
      await tg.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === query, 20_000);
      await service.kill();
      const killedAt = Date.now();
      await service.start(30_000);
      try {
        await tg.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === query && c.at > killedAt, 20_000);
        redelivered++;
      } catch {
        lost.push(caseId);
      }
      // The topic was set once: one triage event, whatever the redelivery did.
      expect(dbValue<number>(service.dbPath, "SELECT count(*) FROM audit_events WHERE case_id = ? AND type = 'triaged'", caseId)).toBe(1);
    }
    const summary = `press-crash: ${rounds} presses killed mid-handling, ${redelivered} delivered again and answered, ${lost.length} lost`;
    console.log(summary);
    if (process.env.CHAOS_SUMMARY_FILE) appendFileSync(process.env.CHAOS_SUMMARY_FILE, `${new Date().toISOString()} ${summary}\n`);
    expect(lost).toEqual([]);
    expect(redelivered).toBe(rounds);
  } finally {
    await service.dispose().catch(() => undefined);
    await vk.stop();
    await tg.stop();
  }
}, 600_000);
