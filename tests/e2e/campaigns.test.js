// Campaigns in Debian Chromium: a manager starts an email campaign to the demo customers, watches its
// progress, pauses and resumes it, and sees the deliveries; a letter campaign gives its batch PDF
// and, once confirmed as mailed, its delivery records. Emails go to the outbox folder (no SMTP_URL).
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

/** Fills the create form and submits it; resolves on the new campaign's page with its id. */
async function createCampaign(page, { template, channel, audience, rate = '' }) {
  await page.goto(`${server.url}/campaigns`);
  await hydrated(page);
  await page.selectOption('#campaign-template', template);
  await page.selectOption('#campaign-channel', channel);
  await page.selectOption('#campaign-audience', audience);
  if (rate) await page.fill('#campaign-rate_per_second', rate);
  await Promise.all([
    page.waitForURL(/\/campaigns\/\d+$/),
    page.click('[data-testid=campaign-create-submit]'),
  ]);
  await page.waitForSelector('[data-testid=campaign-progress]');
  return Number(new URL(page.url()).pathname.split('/').pop());
}

const count = async (page, state) =>
  Number(await page.locator(`[data-testid=count-${state}] td`).innerText());

test('a manager starts an email campaign, watches it, pauses and resumes it, and sees every delivery', async () => {
  const page = await browser.newPage();
  await signIn(page, server.url, server.admin);
  const id = await createCampaign(page, { template: 'apology-email', channel: 'email', audience: 'with-email', rate: '300' });
  assert.equal(await page.locator('[data-testid=campaign-state]').innerText(), '下書き');

  await page.click('[data-testid=campaign-start]');
  await page.waitForSelector('[data-testid=campaign-pause]');
  // The page polls by itself: the sent count grows without a reload.
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=count-sent] td')?.innerText) > 300);
  await page.screenshot({ path: join(screenshotDir, 'campaign-running.png'), fullPage: true });

  await page.click('[data-testid=campaign-pause]');
  await page.waitForSelector('[data-testid=campaign-resume]');
  assert.equal(await page.locator('[data-testid=campaign-state]').innerText(), '一時停止');
  await page.waitForTimeout(1500);
  const pausedAt = await count(page, 'sent');
  await page.waitForTimeout(2000);
  assert.equal(await count(page, 'sent'), pausedAt, 'nothing sent while paused');
  assert.ok((await count(page, 'queued')) > 0);

  // After a reload the progress is still there and still live.
  await page.reload();
  await hydrated(page);
  await page.click('[data-testid=campaign-resume]');
  await page.waitForFunction(
    () => document.querySelector('[data-testid=campaign-state]')?.innerText === '完了',
    null,
    { timeout: 90_000 },
  );
  const sent = await count(page, 'sent');
  assert.ok(sent > 4000, `${sent} sent`);
  assert.equal(await count(page, 'queued'), 0);
  assert.match(await page.locator('[data-testid=campaign-percent]').innerText(), /100%/);
  assert.equal(await page.locator('[data-testid=campaign-deliveries] [data-testid=delivery]').count(), 100);
  const states = await page.locator('[data-testid=campaign-deliveries] [data-testid=delivery-state]').allInnerTexts();
  assert.ok(states.every((state) => state === '送付済み'), states.join(','));
  await page.screenshot({ path: join(screenshotDir, 'campaign-finished.png'), fullPage: true });

  const status = JSON.parse(server.cli(['campaign', 'status', String(id)]));
  assert.equal(status.state, 'finished');
  assert.equal(status.counts.sent, sent);
  await page.close();
});

test('a letter campaign gives its batch PDF and confirming the mailing records every letter as sent', async () => {
  const page = await browser.newPage();
  await signIn(page, server.url, server.admin);
  await createCampaign(page, { template: 'apology-letter', channel: 'letter', audience: 'without-email' });
  await page.click('[data-testid=campaign-start]');
  await page.waitForSelector('[data-testid=campaign-letters-pdf]');
  const queued = await count(page, 'queued');
  assert.ok(queued > 0);

  const href = await page.getAttribute('[data-testid=campaign-letters-pdf]', 'href');
  const pdf = await page.request.get(`${server.url}${href}`, { timeout: 120_000 });
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 4).toString(), '%PDF');
  await page.screenshot({ path: join(screenshotDir, 'campaign-letters.png'), fullPage: true });

  await page.click('[data-testid=campaign-mailed]');
  await page.waitForFunction(() => document.querySelector('[data-testid=campaign-state]')?.innerText === '完了');
  assert.equal(await count(page, 'sent'), queued);
  await page.close();
});
