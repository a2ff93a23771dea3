#!/usr/bin/env node
// Real-browser test of pages whose file names hold `#`, `?`, `%`, a space
// and `é` (issue 12, point 4): from the home page, the sidebar link and the
// search result lead to the page itself, and from inside a folder with such
// a name the sidebar leads back; on the built site served over HTTP, from
// `file://`, and from `playbook serve`.
//
//   node tests/browser/names.test.mjs SITE_DIR SERVE_URL PAGE_NAME FOLDER_NAME [SCREENSHOT_DIR]
//
// PAGE_NAME is the page's file name without `.md` (its title is "Odd name
// page", its text has the word "zephyrquux"); FOLDER_NAME/inner.md is titled
// "Inner page".
//
// Exit status: 0 when every check passed, 1 when any failed, 2 on bad usage.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

import { expect, startServer, stepper } from './harness.mjs';

const [siteArg, serveArg, pageName, folderName, shotArg, ...extra] = process.argv.slice(2);
if (!siteArg || !serveArg || !pageName || !folderName || extra.length) {
  console.error('usage: node names.test.mjs SITE_DIR SERVE_URL PAGE_NAME FOLDER_NAME [SCREENSHOT_DIR]');
  process.exit(2);
}
const siteDir = path.resolve(siteArg);
const shotDir = path.resolve(shotArg || fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-names-shots-')));
fs.mkdirSync(shotDir, { recursive: true });
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const { chromium } = await import('playwright-core').catch((e) => {
  console.error(`names.test.mjs: cannot load playwright-core (${e.message}); run \`npm ci --prefix tests/browser\``);
  process.exit(2);
});

const { step, results } = stepper(shotDir);
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-chromium-'));
let context;
let server;

/** The decoded path of the page the browser shows. */
const shownPath = (page) => decodeURIComponent(new URL(page.url()).pathname);

async function landsOn(page, file, title) {
  await page.waitForFunction((t) => document.querySelector('main h1')?.textContent.includes(t), title, { timeout: 10000 });
  const shown = shownPath(page);
  expect(shown.endsWith('/' + file), `landed on ${page.url()} (${shown}), expected …/${file}`);
}

try {
  server = await startServer(siteDir);
  const bases = [
    ['static HTTP', `http://127.0.0.1:${server.address().port}/`],
    ['file://', pathToFileURL(siteDir).href + '/'],
    ['playbook serve', serveArg.endsWith('/') ? serveArg : serveArg + '/'],
  ];
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(10000);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));

  for (const [how, base] of bases) {
    await step(`${how}: the sidebar link to "${pageName}.md" lands on it`, page, async () => {
      await page.goto(base + 'index.html');
      const link = page.locator('nav.sidebar a', { hasText: 'Odd name page' });
      expect((await link.count()) === 1, 'the sidebar has no single link titled "Odd name page"');
      const href = await link.getAttribute('href');
      expect(!/^[a-z][a-z0-9+.-]*:/i.test(href), `the href ${href} reads as a scheme`);
      await link.click();
      await landsOn(page, `${pageName}.html`, 'Odd name page');
    });

    await step(`${how}: from inside "${folderName}/" the sidebar leads to the page and back`, page, async () => {
      const inner = page.locator('nav.sidebar a', { hasText: 'Inner page' });
      await inner.click();
      await landsOn(page, `${folderName}/inner.html`, 'Inner page');
      await page.locator('nav.sidebar a', { hasText: 'Odd name page' }).click();
      await landsOn(page, `${pageName}.html`, 'Odd name page');
    });

    if (how !== 'file://') {
      await step(`${how}: the search result for the page lands on it`, page, async () => {
        await page.goto(base + `${encodeURIComponent(folderName)}/inner.html`);
        await page.fill('#search-input', 'zephyrquux');
        const hit = page.locator('#search-results a').first();
        await hit.waitFor({ state: 'visible' });
        await hit.click();
        await landsOn(page, `${pageName}.html`, 'Odd name page');
      });
    }
  }
  await step('no script error on any page', page, async () => {
    expect(errors.length === 0, errors.join('\n'));
  });
} catch (e) {
  results.push({ name: 'run', ok: false, detail: (e && e.stack) || String(e) });
  console.log(`  FAIL run\n       ${(e && e.stack) || e}`);
} finally {
  await context?.close().catch(() => {});
  server?.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok);
console.log(`names browser test: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
