// Starts the release server on a free port with a fresh database, and Debian Chromium headless.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const screenshotDir = join(here, 'screenshots');

const bin = process.env.BREACHDESK_BIN;
const siteRoot = process.env.LEPTOS_SITE_ROOT;
if (!bin || !siteRoot) {
  throw new Error('BREACHDESK_BIN and LEPTOS_SITE_ROOT must be set (run through `make test` or `make e2e`)');
}

/** A running server: its URL, the first admin's password, and a way to run the CLI on the same database. */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'breachdesk-e2e-'));
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite://${join(dir, 'breachdesk.db')}`,
    BREACHDESK_DATA_DIR: dir,
    LEPTOS_SITE_ROOT: siteRoot,
    RUST_LOG: 'warn',
  };
  const child = spawn(bin, ['serve', '--demo', '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stderr.on('data', (chunk) => { errors += chunk; });
  const { url, adminPassword } = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}\n${errors}`)), 30_000);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}\n${errors}`)));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const serving = output.match(/serving on (http:\/\/\S+)/);
      const password = output.match(/password:\s+(\S+)/);
      if (serving && password) {
        clearTimeout(timer);
        resolve({ url: serving[1], adminPassword: password[1] });
      }
    });
  });
  return {
    url,
    admin: { email: 'admin@breachdesk.local', password: adminPassword },
    /** Runs `breachdesk ARGS` against this server's database, with `input` on stdin. */
    cli(args, input = '') {
      return execFileSync(bin, args, { env, input, encoding: 'utf8' });
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startBrowser() {
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** Waits until the wasm bundle has hydrated the page (the app sets data-hydrated on <html>). */
export async function hydrated(page) {
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 20_000 });
}

export async function signIn(page, url, { email, password }) {
  await page.goto(`${url}/login`);
  await hydrated(page);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/auth')), page.click('form[action="/auth/login"] button[type=submit]')]);
}

export async function navLabels(page) {
  return page.locator('[data-testid=main-nav] a').allInnerTexts();
}
