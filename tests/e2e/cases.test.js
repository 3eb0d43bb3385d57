// Card reissue and refund tracking in Debian Chromium: walk a demo customer through both tracks,
// dry-run and apply a bulk file, and read the dashboard and the APPI report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** Opens customers 1, 2, … until one whose tracks are in the given states; returns its id and reference code. */
async function findCustomer(page, reissue, refund, skip = []) {
  for (let id = 1; id <= 200; id += 1) {
    if (skip.includes(id)) continue;
    await page.goto(`${server.url}/customers/${id}`);
    await page.waitForSelector('[data-testid=case-panel]');
    const states = [
      await page.getAttribute('[data-testid=case-state-reissue]', 'data-state'),
      await page.getAttribute('[data-testid=case-state-refund]', 'data-state'),
    ];
    if (states[0] === reissue && states[1] === refund) {
      return { id, reference: (await page.locator('[data-testid=customer-reference]').innerText()).trim() };
    }
  }
  throw new Error(`no demo customer in ${reissue} / ${refund}`);
}

/** Chooses the next state on one track's form, fills the fields, and waits for the panel to show it. */
async function step(page, kind, to, fields = {}) {
  await page.selectOption(`[data-testid=case-to-${kind}]`, to);
  for (const [name, value] of Object.entries(fields)) {
    await page.fill(`[data-testid=case-${name}-${kind}]`, value);
  }
  await page.click(`[data-testid=case-submit-${kind}]`);
  await page.waitForSelector(`[data-testid=case-state-${kind}][data-state=${to}]`);
}

// First, while every change is the demo's own (dated 2017): later tests record changes dated today.
test('the dashboard shows the demo programme and the APPI report renders with its deadlines', async () => {
  const page = await browser.newPage();
  await signIn(page, server.url, server.admin);
  await page.goto(`${server.url}/dashboard`);
  await page.waitForSelector('[data-testid=figure-affected]');
  assert.equal(await page.locator('[data-testid=figure-affected]').innerText(), '6860');
  assert.ok(await page.locator('svg[role=img]').count() >= 2, 'at least the reissue and refund charts');
  await page.screenshot({ path: join(screenshotDir, 'case-dashboard.png'), fullPage: true });

  await page.goto(`${server.url}/reports`);
  await page.waitForSelector('[data-testid=report-items]');
  assert.equal(await page.locator('[data-testid=report-items] > li').count(), 9);
  assert.match(await page.locator('[data-testid=deadline-final]').innerText(), /2017年7月24日/);
  assert.match(await page.locator('[data-testid=report-item-person_count] textarea').inputValue(), /^6860名/);
  await page.screenshot({ path: join(screenshotDir, 'case-appi-report.png'), fullPage: true });
  await page.close();
});

test('a manager walks a demo customer from not started to reissued and from a claim to a refund paid', async () => {
  const page = await browser.newPage();
  await signIn(page, server.url, server.admin);
  const customer = await findCustomer(page, 'not_started', 'awaiting_claim');
  await page.goto(`${server.url}/customers/${customer.id}`);
  await hydrated(page);
  assert.match(await page.locator('[data-testid=customer-details]').innerText(), /\*{4}\d{4}/);

  await step(page, 'reissue', 'requested');
  await step(page, 'reissue', 'processing');
  await step(page, 'reissue', 'reissued');
  assert.equal(await page.locator('[data-testid=case-state-reissue]').innerText(), '再発行済');

  await step(page, 'refund', 'investigating');
  await step(page, 'refund', 'refund_in_progress', { amount: '１２，０００円' });
  await step(page, 'refund', 'refunded');
  assert.equal(await page.locator('[data-testid=case-refund-amount]').innerText(), '12,000円');
  assert.equal(await page.locator('[data-testid=case-history] tbody tr').count(), 6);
  await page.screenshot({ path: join(screenshotDir, 'case-customer-walked.png'), fullPage: true });
  await page.close();
});

test('a bulk file with a bad row is refused whole, and the corrected file applies every row', async () => {
  const page = await browser.newPage();
  await signIn(page, server.url, server.admin);
  const first = await findCustomer(page, 'not_started', 'awaiting_claim');
  const second = await findCustomer(page, 'not_started', 'awaiting_claim', [first.id]);
  const dir = mkdtempSync(join(tmpdir(), 'breachdesk-bulk-'));
  const good = `受付番号,状況,日付,備考\n${first.reference},調査中,2017/10/02,\n${second.reference},依頼受付,2017/10/02,\n`;
  writeFileSync(join(dir, 'bad.csv'), `${good}${first.reference},わからない,,\n`);
  writeFileSync(join(dir, 'good.csv'), good);

  await page.goto(`${server.url}/case-updates`);
  await hydrated(page);
  await page.setInputFiles('#bulk-file', join(dir, 'bad.csv'));
  await Promise.all([page.waitForURL(/\/case-updates\?preview=/), page.click('[data-testid=bulk-dry-run]')]);
  await page.waitForSelector('[data-testid=bulk-preview]');
  assert.equal(await page.locator('[data-testid=bulk-count-matched]').innerText(), '2');
  assert.equal(await page.locator('[data-testid=bulk-count-invalid-value]').innerText(), '1');
  assert.equal(await page.locator('[data-testid=bulk-confirm]').count(), 0);
  await page.waitForSelector('[data-testid=bulk-cannot-apply]');
  await page.screenshot({ path: join(screenshotDir, 'case-bulk-refused.png'), fullPage: true });

  await page.setInputFiles('#bulk-file', join(dir, 'good.csv'));
  await Promise.all([page.waitForURL(/\/case-updates\?preview=/), page.click('[data-testid=bulk-dry-run]')]);
  await page.waitForSelector('[data-testid=bulk-confirm]');
  await Promise.all([page.waitForURL(/\/case-updates\?done=/), page.click('[data-testid=bulk-confirm]')]);
  await page.waitForSelector('[data-testid=bulk-done]');

  await page.goto(`${server.url}/customers/${second.id}`);
  await page.waitForSelector('[data-testid=case-state-reissue][data-state=requested]');
  assert.match(await page.locator('[data-testid=case-history]').innerText(), /一括更新 #\d+/);
  await page.close();
});
