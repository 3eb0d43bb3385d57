// Staff sign-in, role-aware navigation, language switch and sign-out, in Debian Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, startBrowser, hydrated, signIn, navLabels, screenshotDir } from './harness.js';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a wrong password shows the generic message and no hint about the account', async () => {
  const page = await browser.newPage();
  await signIn(page, server.url, { email: server.admin.email, password: 'not-the-password' });
  const message = await page.locator('[data-testid=sign-in-error]').innerText();
  assert.equal(message, 'メールアドレスまたはパスワードが正しくありません。');
  assert.match(page.url(), /\/login\?error=1/);
  await page.screenshot({ path: join(screenshotDir, 'sign-in-error.png'), fullPage: true });
  await page.close();
});

test('a page opened without signing in leads to the sign-in page', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/staff`);
  assert.match(page.url(), /\/login\?next=\/staff$/);
  await page.close();
});

test('the admin creates an agent, who signs in elsewhere, sees the agent pages in Japanese and switches to English', async () => {
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, server.url, server.admin);
  await hydrated(admin);
  assert.deepEqual(await navLabels(admin), ['概要', '顧客', '電話受付', '折り返し', 'ダッシュボード', 'エスカレーション', '取り込み', 'テンプレート', '書状', '一斉送信', '一括更新', '報告書', '状況照会',
    '監査ログ', 'スタッフ', '設定', 'アカウント']);
  assert.equal(await admin.locator('[data-testid=staff-role]').innerText(), '管理者');
  assert.match(await admin.locator('[data-testid=incident-title]').innerText(), /不正アクセス/);
  await admin.screenshot({ path: join(screenshotDir, 'admin-home.png'), fullPage: true });

  await admin.click('[data-testid=main-nav] a[href="/staff"]');
  await admin.waitForSelector('[data-testid=staff-table]');
  await admin.fill('#new-email', 'tanaka.agent@example.jp');
  await admin.fill('#new-name', '田中 一郎');
  await admin.selectOption('#new-role', 'agent');
  await admin.click('form.form-grid button[type=submit]');
  const password = (await admin.locator('[data-testid=initial-password]').innerText()).trim();
  assert.ok(password.length >= 12, 'a generated initial password is shown once');
  await admin.waitForSelector('tr[data-email="tanaka.agent@example.jp"]');
  await admin.screenshot({ path: join(screenshotDir, 'admin-staff.png'), fullPage: true });

  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await signIn(agent, server.url, { email: 'tanaka.agent@example.jp', password });
  await hydrated(agent);
  assert.deepEqual(await navLabels(agent), ['概要', '顧客', '電話受付', '折り返し', '一斉送信', 'アカウント']);
  assert.equal(await agent.locator('[data-testid=staff-role]').innerText(), 'オペレーター');
  assert.equal(await agent.locator('html').getAttribute('lang'), 'ja');
  await agent.screenshot({ path: join(screenshotDir, 'agent-home-ja.png'), fullPage: true });

  await agent.click('[data-testid=switch-language]');
  await agent.waitForSelector('html[lang=en]');
  await hydrated(agent);
  assert.deepEqual(await navLabels(agent), ['Overview', 'Customers', 'Calls', 'Callbacks', 'Campaigns', 'Account']);
  assert.equal(await agent.locator('h1').first().innerText(), 'Incident overview');
  await agent.screenshot({ path: join(screenshotDir, 'agent-home-en.png'), fullPage: true });

  // The agent cannot open the staff page even by typing its address.
  const response = await agent.goto(`${server.url}/staff`);
  assert.equal(response.status(), 403);

  await agent.goto(server.url);
  await hydrated(agent);
  await agent.click('[data-testid=sign-out]');
  await agent.waitForURL(/\/login\?signed_out=1/);
  const afterSignOut = await agent.goto(`${server.url}/`);
  assert.match(agent.url(), /\/login$/);
  assert.equal(afterSignOut.status(), 200);

  await adminContext.close();
  await agentContext.close();
});

test('a manager created on the command line sees the manager navigation', async () => {
  server.cli(['user', 'add', '--email', 'suzuki.manager@example.jp', '--role', 'manager', '--name', '鈴木 花子'],
    'manager-password-2017\n');
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server.url, { email: 'suzuki.manager@example.jp', password: 'manager-password-2017' });
  await hydrated(page);
  assert.equal(await page.locator('[data-testid=staff-role]').innerText(), 'マネージャー');
  assert.deepEqual(await navLabels(page), ['概要', '顧客', '電話受付', '折り返し', 'ダッシュボード', 'エスカレーション', '取り込み', 'テンプレート', '書状', '一斉送信', '一括更新', '報告書', '状況照会',
    '監査ログ', '設定', 'アカウント']);
  await context.close();
});
