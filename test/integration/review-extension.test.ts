import { describe, expect, it } from 'vitest';
import { people } from '../support/service.js';
import { assign, designate, escaped, newCase, press, q, setup, status, waitFor, type Harness } from './bot-work-helpers.js';

/**
 * The extension of a term (А7.9) through the running service: the review flow with a request in place
 * of a draft. The executor asks with a typed reason, every administrator gets the request with the
 * terms to choose, one extends (or declines) and the executor is told.
 */
const { admin, executor, deptHead } = people;

async function accepted(h: Harness, text: string): Promise<number> {
  const id = await newCase(h, text);
  await assign(h, id, '0-0');
  await designate(h, deptHead, id, /Петров/);
  await press(h.tg, executor, escaped(`ex.acc:${id}:`));
  await waitFor(() => status(h.service, id) === 'in_work', 10_000);
  return id;
}

const answerDue = (h: Harness, id: number) =>
  q<{ due_at: number } | undefined>(h.service, "SELECT due_at FROM deadlines WHERE case_id = ? AND kind = 'answer' AND status IN ('open', 'paused') ORDER BY seq DESC", id)?.due_at;

async function request(h: Harness, id: number, reason: string): Promise<void> {
  await press(h.tg, executor, escaped(`ext.req:${id}`));
  await h.tg.waitForMessage(executor.id, (m) => (m.text ?? '').includes(`№ `) && /почему нужно продлить срок/.test(m.text ?? ''), 10_000);
  h.tg.userSendsText(executor, reason);
  await h.tg.waitForMessage(executor.id, /Просьба о продлении срока .* отправлена/, 10_000);
  await h.tg.waitForMessage(admin.id, (m) => /просьба продлить срок/.test(m.text ?? '') && (m.text ?? '').includes(reason), 10_000);
}

describe('extension of a term through the review flow (А7.9, akhty-2021)', () => {
  const h = setup('akhty-2021');

  it('the executor asks with a reason, the administrator extends by 7 days: the answer term moves', async () => {
    const id = await accepted(h, 'Когда отремонтируют крышу дома 5?');
    const before = answerDue(h, id)!;
    expect(before).toBeGreaterThan(0);
    await request(h, id, 'Нужна смета подрядчика');
    await press(h.tg, admin, escaped(`ext.ok:${id}:7`));
    await h.tg.waitForMessage(admin.id, /продлён до/, 10_000);
    await waitFor(() => (answerDue(h, id) ?? 0) > before, 10_000);
    expect(q<{ n: number }>(h.service, "SELECT count(*) AS n FROM audit_events WHERE case_id = ? AND type = 'extended'", id).n).toBe(1);
  }, 90_000);

  it('declined: the executor is told and the term stays', async () => {
    const id = await accepted(h, 'Почему не убран снег у школы 3?');
    const before = answerDue(h, id)!;
    await request(h, id, 'Ждём технику');
    await press(h.tg, admin, escaped(`ext.no:${id}`));
    await h.tg.waitForMessage(executor.id, /В продлении срока .* отказано/, 10_000);
    expect(answerDue(h, id)).toBe(before);
  }, 90_000);
});
