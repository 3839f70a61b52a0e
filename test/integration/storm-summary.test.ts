import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { people } from '../support/service.js';
import { serviceHarness } from '../support/harness.js';

// A storm of comments: more new cases than a private chat can show (Telegram: about 1 message/s) get
// one live summary message in the administrator's chat instead of a card each; its buttons open the
// paged list of those cases and the groups of similar ones; cards resume when the flow calms.
describe('a storm of comments becomes one live summary in the administrator chat', () => {
  const admin = people.admin;
  const N = 60;

  const { tg, vk, service } = serviceHarness({ telegram: { rateLimit: true } });

  const casesIn = () => {
    const db = new Database(service.dbPath, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  const isSummary = (text: string | undefined) => /Новых обращений: \d+|Поток схлынул/.test(text ?? '');
  const cardsTo = () => tg.messagesTo(admin.id).filter((m) => /Жалоба \d+:/.test(m.text ?? ''));

  it('summarizes the storm with a count and the largest group, lists every case, and resumes cards when calm', async () => {
    const post = vk.addPost({ text: 'Авария' });
    const comment = (i: number) =>
      vk.commentArrives({ post_id: post.id, from_id: 700 + i, text: `Жалоба ${i + 1}: прорыв трубы, ${i % 4 === 0 ? 'мкр. Восточный' : 'ул. Ленина'}, вода течёт по двору` });
    // Two waves: the second arrives after the summary is in the chat, so it must be edited in place.
    for (let i = 0; i < 40; i++) comment(i);
    const first = await tg.waitForMessage(admin.id, (m) => isSummary(m.text), 30_000);
    for (let i = 40; i < N; i++) comment(i);
    // Every comment became a case; the summary counts all those that got no card: together, all of them.
    const until = Date.now() + 40_000;
    let summary = tg.messagesTo(admin.id).find((m) => isSummary(m.text));
    while (Date.now() < until) {
      summary = tg.messagesTo(admin.id).find((m) => isSummary(m.text));
      const counted = Number(/Новых обращений: (\d+)/.exec(summary?.text ?? '')?.[1] ?? -1);
      if (casesIn() === N && counted >= 0 && counted + cardsTo().length === N) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(summary, 'a summary message').toBeDefined();
    const counted = Number(/Новых обращений: (\d+)/.exec(summary!.text ?? '')![1]);
    expect(cardsTo().length).toBeLessThan(20);
    expect(counted + cardsTo().length).toBe(N);
    // One summary message, edited in place; the largest group is named with its size.
    expect(tg.messagesTo(admin.id).filter((m) => isSummary(m.text))).toHaveLength(1);
    expect(summary!.message_id).toBe(first.message_id);
    expect(tg.calls('editMessageText').some((c) => Number(c.params.chat_id) === admin.id && c.params.message_id === summary!.message_id)).toBe(true);
    const eastern = Array.from({ length: N }, (_, i) => i).filter((i) => i % 4 === 0 && !cardsTo().some((m) => (m.text ?? '').includes(`Жалоба ${i + 1}:`))).length;
    expect(summary!.text).toContain(`ул. Ленина — ${counted - eastern}`);
    expect(summary!.text).toContain(`мкр. Восточный — ${eastern}`);

    // The list button: a paged list of exactly the cases without a card.
    const listBtn = tg.buttonsOf(summary!).find((b) => b.callback_data?.startsWith('stm.l:'))!;
    tg.userPressesButton(admin, summary!, listBtn.callback_data!);
    const list = await tg.waitForMessage(admin.id, /Новые обращения без карточки в этом чате/, 10_000);
    expect(list.text).toContain(`: ${counted}`);
    const pages: string[] = [list.text ?? ''];
    let page = list;
    for (let p = 0; p < 10; p++) {
      const next = tg.buttonsOf(page).find((b) => b.text.includes('Дальше'));
      if (!next) break;
      const before = page.text;
      tg.userPressesButton(admin, page, next.callback_data!);
      page = await tg.waitForMessage(admin.id, (m) => m.message_id === list.message_id && m.text !== before, 10_000);
      pages.push(page.text ?? '');
    }
    const listed = new Set(pages.flatMap((t) => [...t.matchAll(/\/case_(\d+)/g)].map((m) => Number(m[1]))));
    expect(listed.size).toBe(counted);

    // The groups button names both places with their sizes.
    const groupsBtn = tg.buttonsOf(summary!).find((b) => b.callback_data?.startsWith('stm.g:'))!;
    tg.userPressesButton(admin, summary!, groupsBtn.callback_data!);
    const groups = await tg.waitForMessage(admin.id, /Группы похожих среди/, 10_000);
    expect(groups.text).toMatch(new RegExp(`мкр\\. Восточный</?b?>? — ${eastern}|мкр\\. Восточный — ${eastern}`));

    // A case from the list opens as its card, and leaves the list.
    const one = [...listed][0]!;
    tg.userSendsText(admin, `/case_${one}`);
    await tg.waitForMessage(admin.id, (m) => new RegExp(`№\\s*${one}\\b`).test(m.text ?? '') && !isSummary(m.text) && !/\/case_/.test(m.text ?? ''), 15_000);

    // The flow calms (two quiet windows): the next comment comes as a card, and the summary says the storm ended.
    await new Promise((r) => setTimeout(r, 21_000));
    vk.commentArrives({ post_id: post.id, from_id: 900, text: 'Жалоба после бури: не горит фонарь' });
    await tg.waitForMessage(admin.id, /Жалоба после бури/, 20_000);
    await tg.waitForMessage(admin.id, /Поток схлынул\. Обращений за \d+ мин, ещё не открытых: \d+/, 20_000);
    expect(tg.rateLimitHits).toBe(0);
  }, 120_000);
});
