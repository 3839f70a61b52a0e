import { describe, expect, it } from 'vitest';
import { people } from '../support/service.js';
import { assign, designate, escaped, newCase, press, q, setup, status, waitFor } from './bot-work-helpers.js';

/**
 * А6.3 through the running service: an executor holding a case in work goes away (/away); his
 * department head is told which open cases he leaves, with a button opening each case's card.
 */
describe('an absence offers the open work for reassignment (А6.3)', () => {
  const h = setup('kanash-2020');
  const { executor, deptHead } = people;

  it('the department head is told the absent executor’s open cases and opens the card from the notice', async () => {
    const id = await newCase(h, 'Не вывозят мусор с ул. Мира, 7');
    await assign(h, id, '0-0');
    await designate(h, deptHead, id, /Петров/);
    await press(h.tg, executor, escaped(`ex.acc:${id}:`));
    await waitFor(() => status(h.service, id) === 'in_work', 10_000);
    const number = q<{ number: number }>(h.service, 'SELECT number FROM cases WHERE id = ?', id).number;

    h.tg.userSendsText(executor, '/away');
    const ask = await h.tg.waitForMessage(executor.id, /На сколько дней вы отсутствуете/, 10_000);
    h.tg.userPressesButton(executor, ask, '3');
    await press(h.tg, executor, /^stf\.aws:0:\d+\.3\.0$/);

    const notice = await h.tg.waitForMessage(deptHead.id, /отсутствует, за ним остаются открытые обращения/, 10_000);
    expect(notice.text).toContain(`№ ${number}`);
    const open = h.tg.buttonsOf(notice).find((b) => b.callback_data === `case.open:${id}`);
    expect(open?.text).toBe(`№ ${number}`);
    const before = h.tg.messagesTo(deptHead.id).length;
    h.tg.userPressesButton(deptHead, notice, open!.callback_data!);
    await waitFor(
      () =>
        h.tg
          .messagesTo(deptHead.id)
          .slice(before)
          .some((m) => (m.text ?? '').includes('Не вывозят мусор')),
      10_000,
    );
    // The executor himself is not told about his own absence's offer.
    expect(h.tg.messagesTo(executor.id).some((m) => /за ним остаются открытые обращения/.test(m.text ?? ''))).toBe(false);
  }, 60_000);
});
