// First load of a page in headless Chromium with an empty cache: which scripts, wasm and styles it
// fetched, how many bytes came over the wire (the server sends precompressed files) and how long
// until the page was hydrated (or loaded, for a page that is not hydrated). Prints one JSON object per page for bench/run.py.
//
//   BREACHDESK_BIN=… LEPTOS_SITE_ROOT=… node bench/page_load.mjs /calls /status
import { startServer, startBrowser, hydrated, signIn } from '../tests/e2e/harness.js';

const pages = process.argv.slice(2);
const server = await startServer();
const browser = await startBrowser();
try {
  const signedIn = await browser.newContext();
  await signIn(await signedIn.newPage(), server.url, server.admin);
  const cookies = await signedIn.cookies();
  for (const path of pages) {
    // A new context has an empty cache: everything the page needs is fetched.
    const context = await browser.newContext();
    await context.addCookies(cookies);
    const page = await context.newPage();
    const assets = [];
    const transfers = [];
    page.on('requestfinished', (request) => {
      const url = new URL(request.url());
      if (/\.(wasm|js|css)$/.test(url.pathname)) {
        assets.push(url.pathname);
        transfers.push(request.sizes().then((sizes) => sizes.responseBodySize));
      }
    });
    const started = Date.now();
    await page.goto(`${server.url}${path}`);
    // A page served without the hydration script (the public status page) is ready once loaded.
    const hydrates = (await page.locator('link[rel=modulepreload]').count()) > 0;
    if (hydrates) await hydrated(page);
    const readyMs = Date.now() - started;
    const transferredBytes = (await Promise.all(transfers)).reduce((sum, bytes) => sum + bytes, 0);
    console.log(JSON.stringify({ path, hydrates, readyMs, assets, transferredBytes }));
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
