// Importing affected customers in Debian Chromium: upload, read the dry run, confirm, find the customer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, startBrowser, hydrated, signIn, screenshotDir } from './harness.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'import');

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

test('a manager checks a Shift_JIS file, reads the counts, confirms, and finds the new customer', async () => {
  const page = await browser.newPage();
  await signIn(page, server.url, server.admin);
  await page.goto(`${server.url}/import`);
  await hydrated(page);

  await page.setInputFiles('#import-file', join(fixtures, 'shift_jis_japanese_headers.csv'));
  await Promise.all([page.waitForURL(/\/import\?preview=/), page.click('[data-testid=import-dry-run]')]);
  await page.waitForSelector('[data-testid=import-preview]');
  assert.equal(await page.locator('[data-testid=count-new]').innerText(), '3');
  assert.equal(await page.locator('[data-testid=count-rejected]').innerText(), '0');
  await page.screenshot({ path: join(screenshotDir, 'import-dry-run.png'), fullPage: true });

  await Promise.all([page.waitForURL(/\/import\?done=/), page.click('[data-testid=import-confirm-button]')]);
  await page.waitForSelector('[data-testid=import-done]');
  assert.match(await page.locator('[data-testid=import-history]').innerText(), /shift_jis/);

  await page.goto(`${server.url}/customers?q=${encodeURIComponent('やまだ たろう')}`);
  await page.waitForSelector('[data-testid=customers-table]');
  const table = await page.locator('[data-testid=customers-table]').innerText();
  assert.match(table, /VISA \*\*\*\*1111/);
  assert.match(table, /福島県いわき市平字梅本21 ハイツ梅本 201/);
  await page.screenshot({ path: join(screenshotDir, 'customers-search.png'), fullPage: true });
  await page.close();
});

test('every rejected row is listed with its row, column and reason, and nothing is imported without the box', async () => {
  const page = await browser.newPage();
  await signIn(page, server.url, server.admin);
  await page.goto(`${server.url}/import`);
  await hydrated(page);
  await page.setInputFiles('#import-file', join(fixtures, 'bad_rows.csv'));
  await Promise.all([page.waitForURL(/\/import\?preview=/), page.click('[data-testid=import-dry-run]')]);
  assert.equal(await page.locator('[data-testid=count-rejected]').innerText(), '15');
  assert.equal(await page.locator('[data-testid=import-problems] tbody tr').count(), 20);
  await page.screenshot({ path: join(screenshotDir, 'import-rejected-rows.png'), fullPage: true });

  await Promise.all([page.waitForURL(/error=rejected/), page.click('[data-testid=import-confirm-button]')]);
  assert.match(await page.locator('[data-testid=import-error]').innerText(), /チェック/);
  await page.close();
});
