// Settings: the hotline hours editor (validation, saving, the home page following) and the incident form, in Debian Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, startBrowser, hydrated, signIn, screenshotDir } from './harness.js';

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

const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];

test('the admin edits the hotline hours, is told about a bad range, saves a good change and sees it on the home page', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, server.url, server.admin);
  await hydrated(page);
  await page.click('[data-testid=main-nav] a[href="/settings"]');
  await page.waitForSelector('[data-testid=schedule-form]');
  assert.equal(await page.inputValue('[data-testid=period-0-monday]'), '9:30-18:30');
  assert.equal(await page.inputValue('[data-testid=period-1-friday]'), '10:00-17:00');
  assert.equal(await page.inputValue('[data-testid=period-2-monday]'), '', 'a blank row for a new period');
  await page.screenshot({ path: join(screenshotDir, 'settings-schedule.png'), fullPage: true });

  await page.fill('[data-testid=period-1-monday]', '17:00-10:00');
  await page.click('[data-testid=schedule-save]');
  const alert = page.locator('[data-testid=schedule-result] [role=alert]');
  await alert.waitFor();
  assert.equal(await alert.innerText(),
    '期間2（2018-01-02から）の月曜日：終了時刻が開始時刻より後になっていません（17:00～10:00）。');
  assert.match(await page.locator('[data-testid=period-1] .field-error').innerText(), /月曜日/);
  assert.equal(await page.inputValue('[data-testid=period-1-monday]'), '17:00-10:00', 'the entry stays to be corrected');
  await page.screenshot({ path: join(screenshotDir, 'settings-schedule-refused.png'), fullPage: true });

  for (const day of weekdays) {
    await page.fill(`[data-testid=period-1-${day}]`, '9:00-18:00');
  }
  await page.click('[data-testid=schedule-save]');
  await page.waitForSelector('[data-testid=schedule-saved]');
  assert.equal(await page.locator('[data-testid=period-1] .field-error').count(), 0);
  assert.equal(await page.inputValue('[data-testid=period-1-monday]'), '9:00-18:00');
  await page.screenshot({ path: join(screenshotDir, 'settings-schedule-saved.png'), fullPage: true });

  await page.click('[data-testid=main-nav] a[href="/"]');
  await page.waitForSelector('[data-testid=hotline-now]');
  assert.equal(await page.locator('[data-testid=hotline-hours]').innerText(), '受付時間 9:00～18:00（土日祝日除く）');
  assert.match(await page.locator('[data-testid=hotline-state]').innerText(), /^(受付中|受付時間外)/);
  await page.screenshot({ path: join(screenshotDir, 'home-hotline.png'), fullPage: true });

  const api = await (await page.request.get(`${server.url}/api/hotline?at=2018-01-09T09:30:00%2B09:00`)).json();
  assert.equal(api.open, true, 'the public API follows the saved change at once');
  await context.close();
});

test('a manager without JavaScript adds a closure through the plain form and sees no incident form', async () => {
  server.cli(['user', 'add', '--email', 'sato.manager@example.jp', '--role', 'manager', '--name', '佐藤 次郎'],
    'manager-password-2018\n');
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.fill('#email', 'sato.manager@example.jp');
  await page.fill('#password', 'manager-password-2018');
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.click('form[action="/auth/login"] button[type=submit]')]);
  await page.goto(`${server.url}/settings`);
  assert.equal(await page.locator('[data-testid=incident-form]').count(), 0, 'the incident form is for admins');
  await page.fill('input[name="form[closures][0][name]"]', '年末年始休業');
  await page.fill('input[name="form[closures][0][first_day]"]', '2018-01-03');
  await page.fill('input[name="form[closures][0][last_day]"]', '2017-12-28');
  await Promise.all([page.waitForURL(/\/settings\?/), page.click('[data-testid=schedule-save]')]);
  assert.equal(await page.locator('[data-testid=schedule-result] [role=alert]').innerText(),
    '臨時休業「年末年始休業」の最終日（2017-12-28）が初日（2018-01-03）より前です。');
  await page.screenshot({ path: join(screenshotDir, 'settings-no-js-refused.png'), fullPage: true });

  await page.fill('input[name="form[closures][0][name]"]', '年末年始休業');
  await page.fill('input[name="form[closures][0][first_day]"]', '2017-12-28');
  await page.fill('input[name="form[closures][0][last_day]"]', '2018-01-03');
  await Promise.all([page.waitForURL(/\/settings/), page.click('[data-testid=schedule-save]')]);
  assert.equal(await page.inputValue('input[name="form[closures][0][name]"]'), '年末年始休業');
  await page.screenshot({ path: join(screenshotDir, 'settings-no-js-closure.png'), fullPage: true });
  const api = await (await page.request.get(`${server.url}/api/hotline?at=2017-12-28T12:00:00%2B09:00`)).json();
  assert.equal(api.closed_reason, 'closure');
  assert.equal(api.closed_reason_name, '年末年始休業');
  await context.close();
});

test('the admin changes the free-dial number in the incident form and the public API answers it', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server.url, server.admin);
  await page.goto(`${server.url}/settings`);
  await hydrated(page);
  await page.fill('#incident-hotline_number', '0120-000-111');
  await page.click('[data-testid=incident-form] button[type=submit]');
  await page.waitForSelector('[data-testid=incident-saved]');
  await page.fill('#incident-company_name', '');
  await page.click('[data-testid=incident-form] button[type=submit]');
  await page.waitForSelector('text=会社名を入力してください。');
  await page.screenshot({ path: join(screenshotDir, 'settings-incident.png'), fullPage: true });
  const api = await (await page.request.get(`${server.url}/api/hotline`)).json();
  assert.equal(api.hotline_number, '0120-000-111');
  await context.close();
});
