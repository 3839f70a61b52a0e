import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { Bot, Keyboard } from '@maxhub/max-bot-api';
import { Sandbox } from '../../src/sandbox/launcher.js';
import { executablePath, openSandboxPage, requireBrowser, skipBrowser } from './chromium.js';

/**
 * The sandbox page with MAX on, in headless Chromium: «Чаты в MAX» lists the citizens' and the staff's
 * dialogs of the fake MAX platform; a citizen writes to the administration's MAX bot from the wall's
 * compose box; a callback button of a bot message in a staff member's MAX dialog is pressed for real.
 */

describe.skipIf(skipBrowser('test/browser/sandbox-max.test.ts'))('sandbox page with MAX in Chromium', () => {
  let dir: string;
  let sandbox: Sandbox;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    requireBrowser();
    dir = mkdtempSync(path.join(tmpdir(), 'otklik-sandbox-max-page-'));
    sandbox = await new Sandbox({ port: 0, dataDir: path.join(dir, 'data'), max: true }).start();
    ({ context, page } = await openSandboxPage(executablePath, dir, sandbox.url));
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a citizen writes to the MAX bot; a staff member presses a button of the bot in MAX', async () => {
    await page.locator('#max').waitFor({ state: 'visible' });
    await page.fill('#citizen', 'Пётр Васильев');
    await page.fill('#comment-text', 'Не вывозят мусор');
    await page.click('#max-citizen-send');
    await page.locator('#max-tabs .max-tab', { hasText: 'Пётр Васильев' }).waitFor();
    await page.locator('#max-chat .msg.user', { hasText: 'Не вывозят мусор' }).waitFor();

    const staffMember = { user_id: 4_200_001, name: 'Иванова Мария' };
    sandbox.maxStaff!.addUser(staffMember);
    const api = new Bot(sandbox.maxStaff!.token, { clientOptions: { baseUrl: sandbox.maxStaff!.url } }).api;
    await api.sendMessageToUser(staffMember.user_id, '<b>Обращение №3</b>', { format: 'html', attachments: [Keyboard.inlineKeyboard([[Keyboard.button.callback('Взять', 'take:3')]])] });
    await page.click(`.max-tab[data-max="staff:${staffMember.user_id}"]`);
    await page.locator('#max-chat .msg.bot b', { hasText: 'Обращение №3' }).waitFor();
    const pressed = page.waitForResponse((r) => r.url().endsWith('/api/max/press'));
    await page.click('#max-chat .max-btn:has-text("Взять")');
    expect((await pressed).status()).toBe(200);
  });
});
