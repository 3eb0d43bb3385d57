// Templates: a manager edits, previews and saves the demo's apology email and letter, in Debian Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, startBrowser, hydrated, signIn, screenshotDir } from './harness.js';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
  server.cli(['user', 'add', '--email', 'suzuki.manager@example.jp', '--role', 'manager', '--name', '鈴木 一郎'],
    'manager-password-2018\n');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const manager = { email: 'suzuki.manager@example.jp', password: 'manager-password-2018' };

test('a manager previews the email live, is refused an unknown placeholder, saves version 2 and sends a test to herself', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await signIn(page, server.url, manager);
  await hydrated(page);
  await page.click('[data-testid=main-nav] a[href="/templates"]');
  await page.waitForSelector('[data-testid=editor-apology-email]');
  await hydrated(page);

  await page.fill('[data-testid=preview-date]', '2017-12-22');
  const subject = page.locator('[data-testid=email-subject]');
  await subject.waitFor();
  assert.match(await subject.innerText(), /^【常磐興産株式会社】.*（受付番号 [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}）$/);
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=email-text]')?.innerText.includes('平成30年1月2日（火）より 10:00～17:00'));

  const body = page.locator('[data-testid=template-body]');
  const original = await body.inputValue();
  await body.fill(`${original}\n{{card_number}}`);
  const previewError = page.locator('[data-testid=preview-error]');
  await previewError.waitFor();
  assert.match(await previewError.innerText(), /本文の \{\{card_number\}\} は使えない差し込み項目です。/);
  await page.click('[data-testid=template-save]');
  const refused = page.locator('[data-testid=save-result] [role=alert]');
  await refused.waitFor();
  assert.match(await refused.innerText(), /\{\{card_number\}\}/);
  assert.equal(await body.inputValue(), `${original}\n{{card_number}}`, 'what was typed stays to be corrected');

  await body.fill(`${original}\n\n（このメールは{{family_name}}様専用です）`);
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=email-text]')?.innerText.includes('様専用です'));
  await page.screenshot({ path: join(screenshotDir, 'templates-email.png'), fullPage: true });
  await page.click('[data-testid=template-save]');
  await page.waitForSelector('[data-testid=template-saved]');
  assert.equal(await page.locator('[data-testid=template-saved]').innerText(), '第2版として保存しました。');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=template-history] tbody tr').length === 2);
  assert.match(await body.inputValue(), /様専用です/);

  await page.click('[data-testid=template-test-send]');
  await page.waitForSelector('[data-testid=test-sent]');
  assert.equal(await page.locator('[data-testid=test-sent]').innerText(),
    'suzuki.manager@example.jp 宛てにテストメールを送信しました。');
  await context.close();
});

test('a manager edits the letter title and date style and sees the letter preview follow before saving', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await signIn(page, server.url, manager);
  await page.goto(`${server.url}/templates?name=apology-letter`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=editor-apology-letter]');
  await page.fill('[data-testid=preview-date]', '2017-12-22');
  const letter = page.locator('[data-testid=letter-preview]');
  await letter.waitFor();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=letter-preview] .letter-date')?.innerText === '平成29年12月22日');
  const preview = await letter.innerText();
  assert.match(preview, /謹啓/);
  assert.match(preview, /謹白/);
  assert.match(preview, /様/);
  assert.match(preview, /0120-034-294/);
  await page.screenshot({ path: join(screenshotDir, 'templates-letter.png'), fullPage: true });

  await page.fill('[data-testid=template-subject]', 'クレジットカード情報流出に関するお詫びとお願い（再送）');
  await page.selectOption('[data-testid=template-date-style]', 'western');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=letter-preview] .letter-date')?.innerText === '2017年12月22日');
  assert.equal(await page.locator('[data-testid=letter-preview] .letter-title').innerText(),
    'クレジットカード情報流出に関するお詫びとお願い（再送）');

  await page.click('[data-testid=template-save]');
  await page.waitForSelector('[data-testid=template-saved]');
  assert.equal(await page.locator('[data-testid=template-saved]').innerText(), '第2版として保存しました。');
  await page.waitForSelector('[data-testid=template-row-apology-letter]');
  assert.match(await page.locator('[data-testid=template-row-apology-letter]').innerText(), /（再送）/);
  await context.close();
});
