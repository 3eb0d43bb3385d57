// The call desk in Debian Chromium: an agent finds a demo customer by every kind of key (while
// typing, and with a plain form without JavaScript), checks their identity, logs a call with a
// callback across the 2017-12-29 → 2018-01-02 change of hours and sees it in the queue; a manager
// sees the escalation on the dashboard and resolves it, and reads the desk report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, startBrowser, hydrated, signIn, screenshotDir } from './harness.js';

let server;
let browser;
/** The demo customer the first test finds; the plain-form test searches for it again. */
let customer;
const agent = { email: 'sato.agent@example.jp', password: 'agent-password-2017' };

before(async () => {
  server = await startServer();
  browser = await startBrowser();
  server.cli(['user', 'add', '--email', agent.email, '--role', 'agent', '--name', '佐藤 一郎'], `${agent.password}\n`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A demo customer with a phone number and a kana reading, read from the admin's customer page. */
async function demoCustomer(page) {
  for (let id = 1; id <= 50; id += 1) {
    await page.goto(`${server.url}/customers/${id}`);
    await page.waitForSelector('[data-testid=customer-details]');
    const values = await page.locator('[data-testid=customer-details] dd').allInnerTexts();
    const kana = (await page.locator('[data-testid=customer-details] dd').nth(1).locator('.muted').allInnerTexts())[0];
    const phone = values[4].trim();
    if (!kana || !phone) continue;
    const name = values[1].replace(kana, '').trim();
    return {
      id,
      reference: values[0].trim(),
      name,
      kana,
      last4: values[2].trim().slice(-4),
      postal: values[3].match(/〒(\d{3}-\d{4})/)[1],
      phone,
    };
  }
  throw new Error('no demo customer with phone and kana');
}

function fullWidth(text) {
  return [...text].map((c) => (c === '-' ? '－' : /[0-9A-Za-z]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');
}

test('an agent finds the caller by every kind of key, checks identity and logs a call with a callback due in January', async () => {
  const admin = await browser.newPage();
  await signIn(admin, server.url, server.admin);
  customer = await demoCustomer(admin);
  await admin.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server.url, agent);
  await page.goto(`${server.url}/calls`);
  await hydrated(page);
  const row = `[data-testid=caller-results] a[href="/calls?customer=${customer.id}"]`;
  const compactName = customer.name.replace(/\s/g, '');
  const keys = [
    customer.reference.toLowerCase(),
    fullWidth(customer.reference),
    customer.reference.replace(/-/g, ''),
    customer.phone,
    customer.phone.replace(/-/g, ''),
    compactName.slice(1),
    customer.kana.replace(/\s/g, '').slice(1),
    customer.postal,
    customer.last4,
  ];
  for (const key of keys) {
    await page.fill('[data-testid=call-search]', key);
    await page.waitForSelector(row, { timeout: 5_000 }).catch(() => {
      throw new Error(`typing ${key} did not find customer ${customer.id}`);
    });
    const shown = await page.locator('[data-testid=caller-results]').innerText();
    assert.ok(!shown.includes(customer.reference), 'results show the reference code masked');
    assert.ok(!shown.includes(customer.phone), 'results show the phone masked');
    await page.fill('[data-testid=call-search]', '');
    await page.waitForSelector(row, { state: 'detached' });
  }
  await page.screenshot({ path: join(screenshotDir, 'calls-search.png'), fullPage: true });

  // Keyboard only: type the reference code, Tab to the match, Enter to open it.
  await page.focus('[data-testid=call-search]');
  await page.keyboard.type(customer.reference);
  await page.waitForSelector(row);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), `/calls?customer=${customer.id}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=identity-form]');
  await hydrated(page);

  // One fact is not enough; two are.
  await page.fill('[data-testid=identity-card_last4]', customer.last4);
  await page.click('[data-testid=identity-submit]');
  await page.waitForSelector('[data-testid=identity-failed]');
  await page.fill('[data-testid=identity-card_last4]', customer.last4);
  await page.fill('[data-testid=identity-postal_code]', customer.postal);
  await page.click('[data-testid=identity-submit]');
  await page.waitForSelector('[data-testid=identity-verified]');

  await page.fill('[data-testid=call-received]', '2017-12-29T18:00');
  await page.fill('[data-testid=call-phone]', customer.phone);
  await page.fill('[data-testid=call-notes]', '再発行の時期の問い合わせ。カード 4111 1111 1111 1234 を読み上げられた');
  await page.selectOption('[data-testid=call-outcome]', 'callback_needed');
  await page.fill('[data-testid=call-talk]', '6');
  await page.click('[data-testid=call-submit]');
  await page.waitForSelector('[data-testid=call-logged]');
  assert.equal(await page.getAttribute('[data-testid=call-in-hours]', 'data-in-hours'), 'true');
  assert.ok(await page.locator('[data-testid=call-masked]').count() === 1, 'the agent is told the card number was masked');
  assert.equal(await page.locator('[data-testid=call-callback-due]').innerText(), '2018-01-02 13:30');
  await page.screenshot({ path: join(screenshotDir, 'calls-logged.png'), fullPage: true });

  await page.goto(`${server.url}/callbacks`);
  await page.waitForSelector('[data-testid=callback-row]');
  assert.equal(await page.locator('[data-testid=callback-due]').first().innerText(), '2018-01-02 13:30');
  assert.equal(await page.getAttribute('[data-testid=callback-row]', 'data-overdue'), 'true');
  const reason = await page.locator('[data-testid=callback-row]').first().innerText();
  assert.ok(reason.includes('****1234') && !reason.includes('4111 1111'), 'the callback reason is masked too');
  await page.screenshot({ path: join(screenshotDir, 'calls-callbacks.png'), fullPage: true });

  // The customer page now shows the agent the details and the timeline.
  await page.goto(`${server.url}/customers/${customer.id}`);
  await page.waitForSelector('[data-testid=timeline]');
  assert.ok(await page.locator('[data-testid=timeline] tr[data-kind=call]').count() >= 1);
  assert.ok(await page.locator('[data-testid=timeline] tr[data-kind=identity_check]').count() >= 2);
  await page.screenshot({ path: join(screenshotDir, 'calls-customer-timeline.png'), fullPage: true });
  await context.close();
});

test('without JavaScript the search is a plain form and an unchecked customer stays hidden from an agent', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.fill('#email', agent.email);
  await page.fill('#password', agent.password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/auth') && !u.pathname.startsWith('/login')),
    page.click('form[action="/auth/login"] button[type=submit]')]);
  await page.goto(`${server.url}/calls`);
  await page.fill('[data-testid=call-search]', customer.last4);
  await Promise.all([page.waitForURL(/\/calls\?q=\d{4}/), page.press('[data-testid=call-search]', 'Enter')]);
  assert.equal(await page.locator(`[data-testid=caller-results] a[href="/calls?customer=${customer.id}"]`).count(), 1,
    'the card last 4 finds the customer without JavaScript');
  await page.goto(`${server.url}/customers/${customer.id + 1}`);
  assert.equal(await page.locator('[data-testid=identity-required]').count(), 1);
  assert.equal(await page.locator('[data-testid=customer-details]').count(), 0);
  await context.close();
});

test('an escalated call reaches the manager, who acknowledges and resolves it, and the report draws its charts', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server.url, agent);
  await page.goto(`${server.url}/calls`);
  await hydrated(page);
  await page.fill('[data-testid=call-phone]', '03-1234-5678');
  await page.fill('[data-testid=call-notes]', '報道機関から取材の申し込み。広報の回答が必要');
  await page.selectOption('[data-testid=call-outcome]', 'escalated');
  await page.click('[data-testid=call-submit]');
  await page.waitForSelector('[data-testid=call-escalated]');
  await context.close();

  const manager = await browser.newPage();
  await signIn(manager, server.url, server.admin);
  await manager.goto(`${server.url}/dashboard`);
  await manager.waitForSelector('[data-testid=open-escalations]');
  assert.match(await manager.locator('[data-testid=open-escalations]').innerText(), /1件/);
  await manager.click('[data-testid=open-escalations] a');
  await manager.waitForSelector('[data-testid=escalation][data-state=open]');
  await hydrated(manager);
  assert.match(await manager.locator('[data-testid=escalation-reason]').innerText(), /報道機関/);
  await manager.click('[data-testid=escalation-acknowledge]');
  await manager.waitForSelector('[data-testid=escalation][data-state=acknowledged]');
  await manager.fill('[data-testid=escalation-resolution]', '事故対策委員会で回答方針を決め、広報から折り返した');
  await manager.click('[data-testid=escalation-resolve]');
  await manager.waitForSelector('[data-testid=escalation][data-state=resolved]');
  await manager.screenshot({ path: join(screenshotDir, 'calls-escalations.png'), fullPage: true });

  await manager.goto(`${server.url}/calls/report?from=2017-12-29&until=2017-12-29`);
  await manager.waitForSelector('[data-testid=report-total]');
  assert.equal(await manager.locator('[data-testid=report-total]').innerText(), '1');
  assert.equal(await manager.locator('svg[role=img]').count(), 4);
  await manager.screenshot({ path: join(screenshotDir, 'calls-report.png'), fullPage: true });
  await manager.close();
});
