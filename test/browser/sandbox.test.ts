import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { Sandbox } from '../../src/sandbox/launcher.js';
import { executablePath, openSandboxPage, requireBrowser, skipBrowser } from './chromium.js';
import { waitFor } from '../../src/sandbox/emulators/wait.js';

/** A 64×48 PNG, as a phone photo would arrive. */
function smallPng(): Buffer {
  const png = new PNG({ width: 64, height: 48 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([40 + (i % 200), 120, 60, 255], i);
  return PNG.sync.write(png);
}

/**
 * The sandbox in a real headless Chromium (Debian's package, driven by playwright-core): a citizen
 * comments on the VK wall of the page → the administrator's tab shows the card → assign → the department
 * head designates → the executor accepts and types a draft → approvals → the answer appears under the
 * comment on the wall; then the clock buttons produce a reminder. Everything goes through the page, the
 * launcher, the emulators and the real service process.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = path.join(root, 'test-results');

// Канаш preset staff (otklik.example.yaml).
const ADMIN = 100001;
const EXECUTOR = 100002;
const DEPT_HEAD = 100003;
const COORDINATOR = 100005;

describe.skipIf(skipBrowser('test/browser/sandbox.test.ts'))('sandbox page in Chromium', () => {
  let dir: string;
  let sandbox: Sandbox;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    requireBrowser();
    dir = mkdtempSync(path.join(tmpdir(), 'otklik-sandbox-'));
    // Monday 10:00 in Moscow: working time, so «+1 рабочий час» moves within the day.
    sandbox = await new Sandbox({ port: 0, dataDir: path.join(dir, 'data'), startAt: '2025-03-03T10:00:00+03:00' }).start();
    ({ context, page } = await openSandboxPage(executablePath, dir, sandbox.url));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const openTab = (chat: number) => page.click(`.tab[data-chat="${chat}"]`);
  /** Presses the newest inline button matching `text` in `chat`'s tab, waiting for it to appear. */
  async function press(chat: number, text: RegExp | string): Promise<void> {
    await openTab(chat);
    const button = page.locator('#chat .msg .kb button', { hasText: text }).last();
    await button.waitFor({ timeout: 15_000 });
    await button.click();
  }
  /** Presses a button on the card of case `number` in `chat`'s tab. */
  async function pressOnCard(chat: number, number: number, text: RegExp | string): Promise<void> {
    await openTab(chat);
    const button = page
      .locator('#chat .msg', { hasText: `Обращение № ${number} ·` })
      .last()
      .locator('.kb button', { hasText: text });
    await button.waitFor({ timeout: 15_000 }).catch(async (err: Error) => {
      throw new Error(`${err.message}\nchat ${chat} (notice: ${await page.locator('#notice').innerText()}):\n${(await page.locator('#chat .msg').allInnerTexts()).join('\n---\n')}`);
    });
    await button.click();
  }
  async function type(chat: number, text: string): Promise<void> {
    await openTab(chat);
    await page.fill('#chat-input', text);
    await page.click('#chat-send');
  }
  const waitInChat = async (chat: number, text: RegExp | string, timeout = 15_000) => {
    await openTab(chat);
    await page
      .locator('#chat .msg', { hasText: text })
      .last()
      .waitFor({ timeout })
      .catch(async (err: Error) => {
        throw new Error(`${err.message}\nchat ${chat}:\n${(await page.locator('#chat .msg').allInnerTexts()).join('\n---\n')}`);
      });
  };

  it('one case from a comment on the wall to the published answer, then a reminder from the clock', async () => {
    const comment = 'Во дворе дома 5 по улице Мира неделю не вывозят мусор';
    await page.fill('#citizen', 'Ольга Смирнова');
    await page.selectOption('#post', '2');
    await page.fill('#comment-text', comment);
    await page.click('#comment-send');
    await page.locator('.post[data-post="2"] .comment', { hasText: comment }).waitFor();
    const citizenComment = await page.locator('.post[data-post="2"] .comment', { hasText: comment }).first().getAttribute('data-comment');

    // The administrator's card (К6: distribution) with its buttons.
    await waitInChat(ADMIN, comment);
    expect(await page.locator('#chat .msg', { hasText: comment }).last().innerText()).toMatch(/Обращение № \d+/);
    await press(ADMIN, 'Направить в подразделения');
    await press(ADMIN, /^Отдел ЖКХ$/);
    await press(ADMIN, /Направить \(1/);

    await press(DEPT_HEAD, 'Назначить: Петров');
    await press(EXECUTOR, 'Принять');
    await press(EXECUTOR, 'Написать ответ');
    await waitInChat(EXECUTOR, 'Проект ответа');
    const answer = 'Контейнеры во дворе домов 5 и 7 вывезены, график восстановлен.';
    await type(EXECUTOR, answer);
    await waitInChat(EXECUTOR, 'Добавлено в проект');
    // A photo to the draft through the page's upload (a real PNG file from disk).
    const added = () => page.locator('#chat .msg', { hasText: 'Добавлено в проект' }).count();
    const drafts = await added();
    await page.setInputFiles('#photo', { name: 'yard.png', mimeType: 'image/png', buffer: smallPng() });
    await waitFor(async () => ((await added()) > drafts ? true : undefined), { timeoutMs: 15_000, message: 'a second «Добавлено в проект» after the photo' });
    await press(EXECUTOR, /^.{0,3}Отправить/);
    await press(DEPT_HEAD, 'Согласовать');
    await press(ADMIN, 'Утвердить');
    // К14: the executor publishes the approved answer.
    await press(EXECUTOR, 'Опубликовать');

    const published = page.locator('.post[data-post="2"] .comment.community', { hasText: answer });
    await published.waitFor({ timeout: 20_000 });
    expect(await published.locator('.mark-answer').count()).toBe(1);
    expect(await published.locator('.attachments').first().innerText()).toBe('📎 1'); // the photo of the draft
    // Under the citizen's comment (in its thread), as the community.
    expect(await page.locator(`.post[data-post="2"] .comment[data-comment="${citizenComment}"] > .thread > .comment.community`, { hasText: answer }).count()).toBe(1);

    // The citizen answers the community in the thread (the «Ответить» link under the answer): the reply
    // goes to VK as a reply to that comment and the page shows it in the same thread.
    await published.locator('button.reply').click();
    await page.fill('#comment-text', 'Спасибо, вывезли!');
    await page.click('#comment-send');
    const thanks = page.locator(`.post[data-post="2"] .comment[data-comment="${citizenComment}"] > .thread > .comment`, { hasText: 'Спасибо, вывезли!' });
    await thanks.waitFor();
    expect(await thanks.locator('.to').innerText()).toBe('→ Администрация города Канаш');

    // A second comment nobody distributes: moving the clock by working hours brings its reminder (or,
    // where the regulation sets no reminder before the term, the breach notice К10 / А7).
    const second = 'Не горит фонарь на остановке «Больница»';
    await page.fill('#comment-text', second);
    await page.click('#comment-send');
    await waitInChat(ADMIN, second);
    const before = await page.locator('#chat .msg', { hasText: /⏰|⏳|❗/ }).count();
    // A term is breached once a working minute has passed after it, so one step more than the term's hours.
    for (let i = 0; i < 10 && (await page.locator('#chat .msg', { hasText: /⏰|⏳|❗/ }).count()) === before; i++) {
      await page.click('button[data-step="work-hour"]');
      await page.waitForFunction("document.getElementById('clock-result').textContent !== ''", undefined, { timeout: 30_000 });
      await page.evaluate("document.getElementById('clock-result').textContent = ''");
      await page.waitForTimeout(1500);
      await openTab(ADMIN);
    }
    await page
      .locator('#chat .msg', { hasText: /^(⏰|⏳|❗)[^\n]*№ 2\b/ })
      .last()
      .waitFor({ timeout: 15_000 })
      .catch(async (err: Error) => {
        throw new Error(`${err.message}\nadministrator's chat:\n${(await page.locator('#chat .msg').allInnerTexts()).join('\n---\n')}\nclock: ${await page.locator('#clock-now').innerText()}`);
      });

    // The 1st of next month: the monthly summary reaches the coordinator as a message, an XLSX and a PNG that open.
    await page.click('button[data-step="next-month"]');
    await openTab(COORDINATOR);
    const xlsx = page.locator('#chat .msg a.doc', { hasText: /\.xlsx$/ }).last();
    await xlsx.waitFor({ timeout: 60_000 });
    const workbook = await page.request.get(new URL((await xlsx.getAttribute('href'))!, sandbox.url).href);
    expect(workbook.ok()).toBe(true);
    expect((await workbook.body()).subarray(0, 2).toString()).toBe('PK');
    const chart = page.locator('#chat .msg img').last();
    await chart.waitFor({ timeout: 30_000 });
    expect(await chart.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(100);

    mkdirSync(outDir, { recursive: true });
    await page.screenshot({ path: path.join(outDir, 'sandbox.png'), fullPage: true });
    expect(existsSync(path.join(outDir, 'sandbox.png'))).toBe(true);
  }, 180_000);
  it('presets: Ахты has its own staff and database, a training item becomes a card there, «Сбросить» starts it anew; English is one click away', async () => {
    // A case in Канаш first, to see later that its database outlives a switch.
    await page.click('#training button[data-training="lamp"]');
    await waitInChat(ADMIN, /Обращение № \d+ ·[\s\S]*не горит фонарь/);
    const lampCard = await page
      .locator('#chat .msg', { hasText: /не горит фонарь/ })
      .last()
      .innerText();
    const kanashCases = Number(/Обращение № (\d+)/.exec(lampCard)![1]);

    await page.selectOption('#preset', 'akhty');
    await page.locator('.tab', { hasText: 'Даниялова С.Д.' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('.tab', { hasText: 'Иванова А.П.' }).count()).toBe(0);
    await page.click('#training button[data-training="pothole"]');
    await page.locator('.post[data-post="1"] .comment', { hasText: 'огромная яма' }).waitFor();
    await waitInChat(200001, /Обращение № 1 ·[\s\S]*огромная яма/);

    page.once('dialog', (d) => void d.accept());
    await page.click('#reset');
    await page.locator('.tab[data-chat="200001"]').waitFor({ timeout: 60_000 });
    await page.waitForFunction("!document.body.classList.contains('busy')", undefined, { timeout: 60_000 });
    expect(await page.locator('.post .comment').count()).toBe(0);
    await page.click('#training button[data-training="rubbish"]');
    // A fresh database: numbering starts again at 1.
    await waitInChat(200001, /Обращение № 1 ·[\s\S]*Контейнерную площадку/);

    // The whole training set as a burst: ten more cards (a private message among them).
    await page.click('#burst');
    await waitInChat(200001, /Обращение № 11 ·/, 30_000);
    expect(await page.locator('#dialogs .dialog').count()).toBe(1);

    // Канаш kept its own database: the next comment there continues its numbering.
    await page.selectOption('#preset', 'kanash');
    await page.locator('.tab[data-chat="100001"]').waitFor({ timeout: 60_000 });
    await page.click('#training button[data-training="heating"]');
    await waitInChat(ADMIN, new RegExp(`Обращение № ${kanashCases + 1} ·[\\s\\S]*батареи`));

    await page.goto(`${sandbox.url}/?lang=en`);
    await page.waitForSelector('body[data-ready="1"]');
    expect(await page.locator('#tg h2').innerText()).toBe('Staff chats in Telegram');
    expect(await page.locator('button[data-step="next-work-day"]').innerText()).toBe('Next working day');
  }, 180_000);
  it('a force-reply prompt: the executor returns a case and the reason typed in the box goes as the reply', async () => {
    await page.goto(sandbox.url);
    await page.waitForSelector('body[data-ready="1"]');
    const text = 'Во дворе дома 9 по улице Садовой сломана лавочка';
    await page.fill('#citizen', 'Игорь Васильев');
    await page.fill('#comment-text', text);
    await page.click('#comment-send');
    await waitInChat(ADMIN, text);
    const cardText = await page.locator('#chat .msg', { hasText: text }).last().innerText();
    const number = Number(/Обращение № (\d+)/.exec(cardText)![1]);
    // After a preset switch the new emulators' ids do not collide with the ones the database knows:
    // the author is the one who wrote, and the buttons below still work.
    expect(cardText).toContain('Автор: Игорь Васильев');
    await pressOnCard(ADMIN, number, 'Направить в подразделения');
    await pressOnCard(ADMIN, number, /^Отдел ЖКХ$/);
    await pressOnCard(ADMIN, number, /Направить \(1/);
    await pressOnCard(DEPT_HEAD, number, 'Назначить: Петров');
    await pressOnCard(EXECUTOR, number, 'Вернуть');
    await page.locator('#force-reply:not([hidden])').waitFor({ timeout: 15_000 });
    const prompt = (await page.locator('#chat .msg.bot .body').last().innerText()).split('\n')[0]!;
    expect(prompt).toMatch(/причин/i);
    await page.fill('#chat-input', 'Лавочки во дворах обслуживает управляющая компания');
    await page.click('#chat-send');
    // Sent as a reply to the prompt (quoted above it, as Telegram shows a reply) and understood by the bot.
    const reply = page.locator('#chat .msg.user', { hasText: 'управляющая компания' }).last();
    await reply.waitFor();
    expect((await reply.locator('.quote').innerText()).trim()).toBe(prompt.slice(0, 90).trim());
    await waitInChat(EXECUTOR, `Обращение № ${number} возвращено`);
    await waitInChat(ADMIN, `Обращение № ${number} возвращено исполнителем`);
  }, 120_000);
});
