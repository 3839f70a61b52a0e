import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (or CHROMIUM_PATH). */
export const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveBrowser = existsSync(executablePath);
/** CI installs Chromium (.ci/run) and must run the browser tests; only a developer's machine without it skips them. */
export const mustRun = Boolean(process.env.CI || process.env.OTKLIK_REQUIRE_BROWSER);
/** Whether a browser test file is skipped (it says so once when it is). */
export function skipBrowser(file: string): boolean {
  if (!haveBrowser && !mustRun) console.warn(`${file} skipped: no Chromium at ${executablePath} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  return !haveBrowser && !mustRun;
}

/** Fails the run where Chromium is required but missing. */
export function requireBrowser(): void {
  if (!haveBrowser) throw new Error(`Chromium is required here but ${executablePath} does not exist: apt-get install -y chromium`);
}

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
