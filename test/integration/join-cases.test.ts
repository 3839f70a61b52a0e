import { describe, expect, it } from 'vitest';
import { type ChatMessage } from '../../src/sandbox/emulators/telegram.js';
import { people } from '../support/service.js';
import { CITIZEN, serviceHarness, vkCase } from '../support/harness.js';
import { expectNothingFor, waitFor } from '../../src/sandbox/emulators/wait.js';
import { readDb, waitForEdit } from './bot-admin-helpers.js';

/**
 * Joining cases (К17 · А7.11) through the running service (Ахты): three citizens comment about the
 * same pothole under three posts. The administrator joins the second to the first with the card's
 * suggestion «💡 Присоединить к № …» and the third by hand («Присоединить к…», typing the number).
 * The joined cases close with the audit naming who joined them, their deadlines cancelled; the first
 * case's answer, once published, goes under each of the three comments exactly once.
 */

type User = { id: number; first_name: string };
const { tg, vk, service } = serviceHarness({
  regulation: 'akhty-2021',
  env: { OTKLIK_FAKE_NOW: '2025-03-03T10:00:00' },
  vkUsers: [CITIZEN, { id: 502, first_name: 'Руслан', last_name: 'Алиев' }, { id: 503, first_name: 'Анна', last_name: 'Кузнецова' }],
});
const { admin, roadsExecutor: executor, roadsHead: deptHead } = people;
const ADMIN_NAME = 'Иванова А.П.'; // the administrator in the organization file (test/support/service.ts)

const q = <T>(sql: string, ...args: unknown[]) => readDb<T>(service.dbPath, sql, ...args);
const status = (id: number) => q<{ status: string }>('SELECT status FROM cases WHERE id = ?', id)[0]!.status;
const vkIdle = () => q<{ n: number }>("SELECT count(*) AS n FROM outbox WHERE channel = 'vk' AND status IN ('pending', 'sending')")[0]!.n === 0;
const btn = (prefix: string, id: number) => new RegExp(`^${prefix.replace(/\./g, '\\.')}:${id}(?::|$)`);

/** Presses the newest button of `user` whose callback data matches (what a person sees last). */
async function press(user: User, data: RegExp): Promise<void> {
  let found: { message: ChatMessage; data: string } | null = null;
  await waitFor(
    () => {
      for (const m of [...tg.messagesTo(user.id)].reverse()) {
        const b = tg.buttonsOf(m).find((x) => x.callback_data && data.test(x.callback_data));
        if (b) return (found = { message: m, data: b.callback_data! });
      }
      return false;
    },
    { timeoutMs: 10_000, message: `a button ${data} for ${user.first_name}` },
  );
  tg.userPressesButton(user, found!.message, found!.data);
}

/** A citizen's comment under a new post; the case id and number and the administrator's card. */
const citizen = (from: number, text: string) => vkCase({ tg, vk, service }, text, { from });

describe('several citizens about the same pothole: joined to one case, each gets the answer once', () => {
  it('joins by the suggestion and by hand; the answer goes under all three comments exactly once', async () => {
    const first = await citizen(CITIZEN.id, 'На ул. Ленина у дома 7 огромная яма на дороге, машины бьют колёса');
    tg.userSendsCallback(admin, `adm.assign:${first.id}:1-1`, first.card.message_id, admin.id);
    await waitFor(() => status(first.id) === 'assigned', { timeoutMs: 10_000 });

    // The second citizen: the card suggests joining (never done by itself).
    const second = await citizen(502, 'Опять огромная яма на дороге на ул. Ленина у дома 7, машины бьют колёса');
    const suggestion = tg.buttonsOf(second.card).find((b) => b.text === `💡 Присоединить к № ${first.number}`);
    expect(suggestion?.callback_data).toBe(`adm.join:${second.id}:${first.id}`);
    await expectNothingFor(() => status(second.id) !== 'new', 300);
    tg.userPressesButton(admin, second.card, suggestion!.callback_data!);
    await waitFor(() => status(second.id) === 'closed', { timeoutMs: 10_000, message: 'the second case closed as joined' });

    // The third citizen, joined by hand: «Присоединить к…», then the number typed.
    const third = await citizen(503, 'Когда заделают выбоину возле дома 7 по Ленина? Колесо пробила');
    tg.userPressesButton(admin, third.card, `adm.join:${third.id}`);
    await press(admin, new RegExp(`^adm\\.join:${third.id}:search$`));
    await tg.waitForMessage(admin.id, /Напишите номер обращения, к которому присоединить/, 10_000);
    tg.userSendsText(admin, String(first.number));
    await press(admin, new RegExp(`^adm\\.join:${third.id}:${first.id}$`));
    await waitFor(() => status(third.id) === 'closed', { timeoutMs: 10_000, message: 'the third case closed as joined' });

    // The cards say so: the joined case names the case that will answer; that case lists whom its answer reaches.
    await waitForEdit(tg, second.card, new RegExp(`Присоединено к обращению № ${first.number}`));
    await waitForEdit(tg, first.card, new RegExp(`Присоединены: № ${second.number}, № ${third.number}`));

    // Indexed for /find as they were stored (nobody has searched yet), the joined messages under the first case.
    const indexed = q<{ id: number; stems: string }>('SELECT rowid AS id, stems FROM case_search ORDER BY rowid');
    expect(indexed.map((r) => r.id)).toEqual([first.id, second.id, third.id]);
    expect(indexed[0]!.stems).toContain('выбоин');

    // Recorded: who and when; the joined cases' deadlines cancelled; their messages part of the first case.
    for (const c of [second, third]) {
      const audit = q<{ type: string; actor_name: string; at: number; clause: string; to_status: string }>(
        "SELECT type, actor_name, at, clause, to_status FROM audit_events WHERE case_id = ? AND type = 'joined_into'",
        c.id,
      );
      expect(audit).toEqual([{ type: 'joined_into', actor_name: ADMIN_NAME, at: expect.any(Number), clause: 'К17 · А7.11', to_status: 'closed' }]);
      expect(q<{ n: number }>("SELECT count(*) AS n FROM deadlines WHERE case_id = ? AND status IN ('open', 'paused')", c.id)[0]!.n).toBe(0);
      expect(q<{ repeat_of: number }>('SELECT repeat_of FROM cases WHERE id = ?', c.id)[0]!.repeat_of).toBe(first.id);
    }
    expect(q<{ type: string; actor_name: string }>("SELECT type, actor_name FROM audit_events WHERE case_id = ? AND type = 'case_joined' ORDER BY version", first.id)).toEqual([
      { type: 'case_joined', actor_name: ADMIN_NAME },
      { type: 'case_joined', actor_name: ADMIN_NAME },
    ]);
    expect(q<{ n: number }>('SELECT count(*) AS n FROM case_messages WHERE case_id = ?', first.id)[0]!.n).toBe(3);
    // The second citizen writes again under his own comment: it follows up the case his was joined into
    // (the holders are told), not a new case and not the closed joined one.
    const cases = () => q<{ n: number }>('SELECT count(*) AS n FROM cases')[0]!.n;
    vk.commentArrives({ post_id: second.postId, from_id: 502, text: 'Уточняю: яма напротив подъезда 2', reply_to_comment: second.commentId });
    await waitFor(() => q<{ n: number }>('SELECT count(*) AS n FROM case_messages WHERE case_id = ?', first.id)[0]!.n === 4, { timeoutMs: 10_000, message: 'the reply joined the first case' });
    const followUp = new RegExp(`Автор дополнил обращение № ${first.number}:\\s+Уточняю: яма напротив подъезда 2`);
    await waitFor(() => [admin, deptHead].some((p) => tg.messagesTo(p.id).some((m) => followUp.test(m.text ?? ''))), { timeoutMs: 10_000, message: 'the holders told' });
    expect(cases()).toBe(3);
    expect(q<{ n: number }>('SELECT count(*) AS n FROM case_messages WHERE case_id = ?', second.id)[0]!.n).toBe(1);
    // A joined case cannot be joined again (it is closed): the press is refused and changes nothing.
    const version = q<{ version: number }>('SELECT version FROM cases WHERE id = ?', second.id)[0]!.version;
    tg.userSendsCallback(admin, `adm.join:${second.id}:${first.id}`, second.card.message_id, admin.id);
    await expectNothingFor(() => q<{ version: number }>('SELECT version FROM cases WHERE id = ?', second.id)[0]!.version !== version, 500);

    // The first case is answered as usual: designate, accept, draft, send, approve, publish.
    await press(deptHead, new RegExp(`^dh\\.des:${first.id}:`));
    await press(executor, btn('ex.acc', first.id));
    await waitFor(() => status(first.id) === 'in_work', { timeoutMs: 10_000 });
    await press(executor, btn('ex.draft', first.id));
    await tg.waitForMessage(executor.id, /Проект ответа/, 10_000);
    const body = 'Яма на ул. Ленина у дома 7 будет заделана до 14 марта.';
    const answer = `Здравствуйте, Ольга! ${body}`;
    tg.userSendsText(executor, answer);
    await tg.waitForMessage(executor.id, /Добавлено в/, 10_000);
    await press(executor, btn('ex.send', first.id));
    await waitFor(() => status(first.id) === 'on_approval', { timeoutMs: 10_000 });
    await press(admin, btn('ap.ok', first.id));
    await waitFor(() => status(first.id) === 'approved', { timeoutMs: 10_000 });
    await press(admin, btn('ap.pub', first.id));
    await waitFor(() => status(first.id) === 'published', { timeoutMs: 20_000, message: 'the first case published' });
    await waitFor(vkIdle, { timeoutMs: 20_000, message: 'every answer sent' });

    const answered = (c: { postId: number; commentId: number }) => vk.communityComments(c.postId).filter((x) => x.reply_to_comment === c.commentId && x.text.includes(body));
    expect(answered(first).map((x) => x.text)).toEqual([answer]);
    const toSecond = answered(second);
    expect(toSecond).toHaveLength(1);
    expect(toSecond[0]!.text).toContain('Здравствуйте, Руслан!');
    expect(toSecond[0]!.text).toContain(`вместе с обращением № ${first.number}`);
    expect(toSecond[0]!.text).not.toContain('Ольга'); // the first author's greeting is not copied
    const toThird = answered(third);
    expect(toThird).toHaveLength(1);
    expect(toThird[0]!.text).toContain('Здравствуйте, Анна!');
    // Each with its own idempotency key; one publication recorded on the first case, none on the joined ones.
    const guids = [answered(first)[0]!.guid, toSecond[0]!.guid, toThird[0]!.guid];
    expect(new Set(guids).size).toBe(3);
    expect(q<{ n: number }>('SELECT count(*) AS n FROM publications WHERE case_id = ?', first.id)[0]!.n).toBe(1);
    expect(q<{ n: number }>('SELECT count(*) AS n FROM publications WHERE case_id IN (?, ?)', second.id, third.id)[0]!.n).toBe(0);
    // Exactly once: nothing more arrives later.
    await expectNothingFor(() => answered(first).length + answered(second).length + answered(third).length > 3, 1_000);
  }, 120_000);
});
