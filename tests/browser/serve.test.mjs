#!/usr/bin/env node
// Real-browser test of `playbook serve` live reload, against a server the
// caller started on tests/fixtures/browser-site (a scratch copy: this test
// edits its content).
//
//   node tests/browser/serve.test.mjs URL CONTENT_DIR [SCREENSHOT_DIR]
//
// Open pages show an edit to a Markdown page without a manual reload,
// keeping their scroll position; an edit to a checklist reaches the page
// that embeds it, the role page and the print view; a broken page shows the
// error overlay over the last good page (dismissable), and the next good
// save clears it.
//
// Environment: CHROMIUM (default /usr/bin/chromium), PLAYBOOK_BROWSER_TIMEOUT_MS
// (whole-run watchdog, default 120000).
//
// Exit status: 0 when every check passed, 1 when any failed, 2 on bad usage.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

import { expect, stepper, watcher } from './harness.mjs';

function usage(msg) {
  if (msg) console.error(`serve.test.mjs: ${msg}`);
  console.error('usage: node serve.test.mjs URL CONTENT_DIR [SCREENSHOT_DIR]');
  process.exit(2);
}

const [urlArg, contentArg, shotArg, ...extra] = process.argv.slice(2);
if (!urlArg || !contentArg || extra.length) usage('expected URL CONTENT_DIR [SCREENSHOT_DIR]');
const BASE = urlArg.endsWith('/') ? urlArg : urlArg + '/';
const ORIGIN = new URL(BASE).origin;
const contentDir = path.resolve(contentArg);
const PAGE_SOURCE = path.join(contentDir, 'getting-started.md');
const CHECKLIST_SOURCE = path.join(contentDir, 'checklists/deploy.yaml');
for (const f of [PAGE_SOURCE, CHECKLIST_SOURCE]) {
  if (!fs.existsSync(f)) usage(`${f} does not exist; is CONTENT_DIR a copy of tests/fixtures/browser-site/content?`);
}
const shotDir = path.resolve(shotArg || fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-serve-shots-')));
fs.mkdirSync(shotDir, { recursive: true });
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WATCHDOG_MS = Number(process.env.PLAYBOOK_BROWSER_TIMEOUT_MS || 120000);
/** How long an edit may take to show; generous for a debug build on a busy machine. */
const SHOW_MS = 15000;

const { chromium } = await import('playwright-core').catch((e) => {
  console.error(`serve.test.mjs: cannot load playwright-core (${e.message}); run \`npm ci --prefix tests/browser\``);
  process.exit(2);
});

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-chromium-'));
const { step, results, state } = stepper(shotDir);
const { watch, take } = watcher(ORIGIN);
let context;

const watchdog = setTimeout(async () => {
  console.error(`FAIL: serve browser test still running after ${WATCHDOG_MS} ms (step: ${state.current}); giving up`);
  try {
    await context?.close();
  } catch {}
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

/** Rewrite a source file with `edit` applied to its text, as an editor saves it. */
function editFile(file, edit) {
  const before = fs.readFileSync(file, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`the edit changed nothing in ${file}`);
  fs.writeFileSync(file, after);
}

/**
 * Problems the watcher saw, less what a live reload causes by design: the
 * event stream is cut when the page reloads, and the page that shows a
 * build error before the first good build answers 503.
 */
function problems() {
  return take().filter((p) => !(p.includes('/__playbook/events') && /ERR_ABORTED|request failed/.test(p)));
}

function noProblems(what) {
  const p = problems();
  expect(p.length === 0, `problems ${what}:\n${p.join('\n')}`);
}

/** Open `url` in `page` and wait until its live-reload stream is connected. */
async function open(page, url) {
  const connected = page.waitForResponse((r) => r.url() === ORIGIN + '/__playbook/events', { timeout: 10000 });
  const resp = await page.goto(BASE + url, { waitUntil: 'load' });
  expect(resp?.ok(), `GET ${url} answered ${resp?.status()}`);
  await connected;
}

function textShown(page, text, timeout = SHOW_MS) {
  return page.waitForFunction((t) => document.body && document.body.innerText.includes(t), text, { timeout });
}

const overlay = (page) => page.locator('#playbook-serve-error');

try {
  console.log(`serve browser test: ${BASE}, content ${contentDir}, Chromium ${CHROMIUM}`);
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 700 },
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(10000);
  context.setDefaultNavigationTimeout(15000);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);

  await step('a served page carries the live-reload script', page, async () => {
    await open(page, 'getting-started.html');
    const src = await page.locator('script[src="/__playbook/livereload.js"]').count();
    expect(src === 1, `getting-started.html has ${src} live-reload scripts, expected 1`);
    noProblems('opening getting-started.html');
  });

  await step('an edit to the Markdown shows without a manual reload, at the same scroll position', page, async () => {
    await page.evaluate(() => {
      window.scrollTo(0, 300);
      window.__playbookBeforeEdit = true;
    });
    const scrolled = await page.evaluate(() => window.scrollY);
    expect(scrolled > 100, `the page did not scroll (scrollY ${scrolled}); is it too short?`);
    const started = Date.now();
    editFile(PAGE_SOURCE, (t) => t.replace('Install the command-line tools', 'Install the LIVE-EDIT-ONE tools'));
    await textShown(page, 'LIVE-EDIT-ONE');
    console.log(`       edit visible after ${Date.now() - started} ms`);
    const reloaded = await page.evaluate(() => window.__playbookBeforeEdit !== true);
    expect(reloaded, 'the text changed but the page was not reloaded (?)');
    await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 40, scrolled, { timeout: 5000 }).catch(async () => {
      throw new Error(`after the reload scrollY is ${await page.evaluate(() => window.scrollY)}, was ${scrolled}`);
    });
    await page.screenshot({ path: path.join(shotDir, 'serve-after-edit.png') });
    noProblems('after the edit');
  });

  await step('a checklist edit reaches the embedding page, the role page and the print view', page, async () => {
    const tabs = [];
    for (const url of ['release/deploy-day.html', 'roles/sre.html', 'print/sre.html']) {
      const tab = url === 'release/deploy-day.html' ? page : await context.newPage();
      if (tab !== page) watch(tab);
      await open(tab, url);
      expect(await tab.evaluate(() => document.body.innerText.includes('Backup or snapshot created')), `${url} does not show the checklist item to edit`);
      tabs.push([url, tab]);
    }
    editFile(CHECKLIST_SOURCE, (t) => t.replace('Backup or snapshot created', 'Backup or snapshot LIVE-CHECKLIST-EDIT'));
    for (const [url, tab] of tabs) {
      await textShown(tab, 'LIVE-CHECKLIST-EDIT').catch(() => {
        throw new Error(`${url} never showed the edited checklist item`);
      });
    }
    for (const [, tab] of tabs) if (tab !== page) await tab.close();
    noProblems('after the checklist edit');
  });

  await step('a broken page shows the error overlay over the last good page', page, async () => {
    await open(page, 'getting-started.html');
    editFile(PAGE_SOURCE, (t) => t.replace(/^title: .*$/m, 'title: [Getting <b>started</b>'));
    await overlay(page).waitFor({ state: 'visible', timeout: SHOW_MS });
    const text = await overlay(page).locator('pre').innerText();
    expect(text.includes('getting-started.md:2:'), `the overlay does not name getting-started.md:2: ${text}`);
    expect(text.includes('<b>started</b>'), `the overlay does not show the source line as text: ${text}`);
    expect((await overlay(page).locator('pre b').count()) === 0, 'the diagnostic was put in the page as HTML');
    const font = await overlay(page).locator('pre').evaluate((e) => getComputedStyle(e).fontFamily);
    expect(/mono|Menlo|Consolas/i.test(font), `the diagnostic is not in a monospace font: ${font}`);
    expect(await page.evaluate(() => document.body.innerText.includes('LIVE-EDIT-ONE')), 'the last good page is no longer shown under the overlay');
    await page.screenshot({ path: path.join(shotDir, 'serve-error-overlay.png') });
    await overlay(page).getByRole('button', { name: /dismiss/i }).click();
    await overlay(page).waitFor({ state: 'detached', timeout: 2000 });
    noProblems('while the page is broken');
  });

  await step('a page opened during the error shows it, and the next good save clears it', page, async () => {
    await open(page, 'deploy/rollback.html');
    await overlay(page).waitFor({ state: 'visible', timeout: SHOW_MS });
    await page.keyboard.press('Escape');
    await overlay(page).waitFor({ state: 'detached', timeout: 2000 });
    await open(page, 'getting-started.html');
    await overlay(page).waitFor({ state: 'visible', timeout: SHOW_MS });
    editFile(PAGE_SOURCE, (t) => t.replace(/^title: .*$/m, 'title: Getting started').replace('LIVE-EDIT-ONE', 'LIVE-EDIT-FIXED'));
    await textShown(page, 'LIVE-EDIT-FIXED');
    expect((await overlay(page).count()) === 0, 'the overlay is still shown after the fix');
    noProblems('after the fix');
  });

  const late = problems();
  if (late.length) results.push({ name: 'no late console errors or failed requests', ok: false, detail: late.join('\n') });
} catch (e) {
  results.push({ name: `setup (${state.current || 'launch'})`, ok: false, detail: (e && e.stack) || String(e) });
  console.log(`  FAIL ${state.current || 'launch'}: ${(e && e.stack) || e}`);
} finally {
  clearTimeout(watchdog);
  try {
    await context?.close();
  } catch {}
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok);
const passed = results.length - failed.length;
console.log(`screenshots: ${shotDir}`);
if (failed.length) {
  console.log('\nfailures:');
  for (const f of failed) console.log(`- ${f.name}\n    ${f.detail.replace(/\n/g, '\n    ')}`);
}
console.log(`serve browser: ${passed} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
