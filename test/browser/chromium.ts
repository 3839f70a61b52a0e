import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Headless Chromium (Debian's package, driven by playwright-core) with the sandbox page open and ready. */
export async function openSandboxPage(executablePath: string, profileDir: string, url: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(path.join(profileDir, 'profile'), {
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]');
  return { context, page };
}
