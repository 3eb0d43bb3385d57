// The audit trail in Debian Chromium: a search and a sign-in appear, filtered by action, in both languages.
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

test('an admin finds their own search in the trail, filtered by action, with no search term recorded', async () => {
  const page = await browser.newPage();
  const cspViolations = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await signIn(page, server.url, server.admin);
  await page.goto(`${server.url}/customers?q=${encodeURIComponent('山田')}`);
  await page.waitForSelector('[data-testid=customers-total]');

  await page.goto(`${server.url}/audit`);
  await hydrated(page);
  const table = await page.locator('[data-testid=audit-table]').innerText();
  assert.match(table, /顧客検索/);
  assert.match(table, /サインイン/);
  assert.doesNotMatch(table, /山田/, 'the search term is never recorded');

  await page.selectOption('[data-testid=audit-filters] select[name=action]', 'searched_customers');
  await Promise.all([
    page.waitForURL(/action=searched_customers/),
    page.click('[data-testid=audit-filters] button[type=submit]'),
  ]);
  await page.waitForSelector('[data-testid=audit-table]');
  const rows = await page.locator('[data-testid=audit-table] tbody tr').allInnerTexts();
  assert.ok(rows.length >= 1);
  for (const row of rows) assert.match(row, /顧客検索/);
  assert.match(rows[0], /name total=/);
  await page.screenshot({ path: join(screenshotDir, 'audit-filtered.png'), fullPage: true });
  assert.deepEqual(cspViolations, [], 'the page runs under its Content-Security-Policy');
  await page.close();
});

test('an agent does not see the audit trail in the navigation and is refused the page', async () => {
  const page = await browser.newPage();
  server.cli(['user', 'add', '--email', 'agent-audit@example.jp', '--role', 'agent'], 'agent-password-long-enough\n');
  await signIn(page, server.url, { email: 'agent-audit@example.jp', password: 'agent-password-long-enough' });
  const nav = await page.locator('[data-testid=main-nav]').innerText();
  assert.doesNotMatch(nav, /監査ログ/);
  const response = await page.goto(`${server.url}/audit`);
  assert.equal(response.status(), 403);
  await page.close();
});
