#!/usr/bin/env node
// Real-browser test of release runs under `playbook serve`: on a run page,
// tick an item (with a name); the run file records it, the page shows it by
// itself and after a reload; the export gives the task list `playbook run
// import` reads; an item is skipped with a reason, reopened, and marked not
// applicable with a note; `?role=` shows one role's items; axe-core finds no
// violations on the runs index and the run page.
//
//   node tests/browser/runs.test.mjs SERVE_URL RUN_FILE [SCREENSHOT_DIR]
//
// RUN_FILE is the served project's content/runs/2.4.0.yaml, whose open
// required item `release/tests-pass` ("All tests pass", owned by qa) this
// test ticks; `release/backup` is owned by sre.
//
// Exit status: 0 when every check passed, 1 when any failed, 2 on bad usage.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { expect, stepper, watcher } from './harness.mjs';

const [urlArg, runArg, shotArg, ...extra] = process.argv.slice(2);
if (!urlArg || !runArg || extra.length) {
  console.error('usage: node runs.test.mjs SERVE_URL RUN_FILE [SCREENSHOT_DIR]');
  process.exit(2);
}
const BASE = urlArg.endsWith('/') ? urlArg : urlArg + '/';
const ORIGIN = new URL(BASE).origin;
const RUN_FILE = path.resolve(runArg);
const shotDir = path.resolve(shotArg || fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-runs-shots-')));
fs.mkdirSync(shotDir, { recursive: true });
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const HERE = path.dirname(fileURLToPath(import.meta.url));
const AXE = path.join(HERE, 'node_modules/axe-core/axe.min.js');
const ITEM = 'li.run-item[data-item="release/tests-pass"]';

const { chromium } = await import('playwright-core').catch((e) => {
  console.error(`runs.test.mjs: cannot load playwright-core (${e.message}); run \`npm ci --prefix tests/browser\``);
  process.exit(2);
});

const { step, results } = stepper(shotDir);
const { watch, take } = watcher(ORIGIN);
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-chromium-'));
let context;

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations);
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
}

async function until(what, check, ms = 15000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(10000);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);

  await step('axe: no violations on the runs index', page, async () => {
    await page.goto(BASE + 'runs/');
    expect((await page.locator('.runs-table tbody tr').count()) === 2, 'the index does not list both runs');
    const violations = await axe(page);
    expect(violations.length === 0, violations.join('\n'));
  });

  await step('axe: no violations on the run page with its tick controls', page, async () => {
    await page.goto(BASE + 'runs/2.4.0/');
    await page.locator('#run-by').waitFor({ state: 'visible' });
    expect(await page.locator(`${ITEM} input[type=checkbox]`).isEnabled(), 'the open item is not tickable under serve');
    const violations = await axe(page);
    expect(violations.length === 0, violations.join('\n'));
  });

  await step('a tick without a name is refused in the page, and writes nothing', page, async () => {
    const before = fs.readFileSync(RUN_FILE, 'utf8');
    await page.locator(`${ITEM} input[type=checkbox]`).click();
    await page.locator('.run-write-status', { hasText: 'Type your name first' }).waitFor();
    expect(!(await page.locator(`${ITEM} input[type=checkbox]`).isChecked()), 'the box stayed ticked');
    expect(fs.readFileSync(RUN_FILE, 'utf8') === before, 'the run file changed');
  });

  await step('a tick with a name writes the run file, and the page updates by itself', page, async () => {
    await page.fill('#run-by', 'Sre Browser');
    await page.locator(`${ITEM} input[type=checkbox]`).click();
    await until('the run file to record the tick', () =>
      /- \{id: release\/tests-pass, .*state: done, by: Sre Browser, at: /.test(fs.readFileSync(RUN_FILE, 'utf8')));
    // Live reload brings the rebuilt page: the item now sits under Done.
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-state') === 'done', ITEM, { timeout: 15000 });
    expect((await page.locator('#open-required').textContent()).includes('(0)'), 'the item is still listed as open');
  });

  await step('after a reload the tick is there, and the name is remembered', page, async () => {
    await page.reload();
    await page.locator('#run-by').waitFor({ state: 'visible' });
    expect(await page.locator(`${ITEM} input[type=checkbox]`).isChecked(), 'the item is not ticked after a reload');
    expect((await page.locator(`${ITEM} .run-item-by`).textContent()) === 'Sre Browser', 'the page does not say who ticked it');
    expect((await page.inputValue('#run-by')) === 'Sre Browser', 'the name was not remembered');
  });

  await step('the export is a task list run import reads', page, async () => {
    await page.locator('button.export-run').click();
    const text = await page.inputValue('#run-export-text');
    expect(text.includes('- [x] All tests pass <!-- id: release/tests-pass -->'), text);
    expect(text.includes('- [ ] Backup taken <!-- id: release/backup -->'), text);
  });

  await step('skipping an item with a reason writes it, and the page shows the reason', page, async () => {
    const backup = 'li.run-item[data-item="release/backup"]';
    await page.locator(`${backup} button.run-skip`).click();
    await page.fill(`${backup} .run-skip-form input`, 'no schema change');
    await page.locator(`${backup} .run-skip-form button[type=submit]`).click();
    await until('the run file to record the skip', () =>
      /- \{id: release\/backup, .*state: skipped, reason: no schema change, by: Sre Browser, at: /.test(fs.readFileSync(RUN_FILE, 'utf8')));
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-state') === 'skipped', backup, { timeout: 15000 });
    expect((await page.locator(`${backup} .run-item-reason`).textContent()) === 'Reason: no schema change', 'the reason is not shown');
  });

  await step('reopening the skipped item writes it open, its reason gone', page, async () => {
    const backup = 'li.run-item[data-item="release/backup"]';
    await page.locator(`${backup} button.run-reopen`).click();
    await until('the run file to record the reopening', () =>
      /- \{id: release\/backup, [^}]*optional: true, state: open, text: /.test(fs.readFileSync(RUN_FILE, 'utf8')));
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-state') === 'open', backup, { timeout: 15000 });
    expect((await page.locator(`${backup} .run-item-reason`).count()) === 0, 'the old reason is still shown');
  });

  await step('not applicable, with a note, from the same form', page, async () => {
    const backup = 'li.run-item[data-item="release/backup"]';
    await page.locator(`${backup} button.run-skip`).click();
    await page.fill(`${backup} .run-skip-form input`, 'no database in this release');
    await page.locator(`${backup} button.run-not-applicable`).click();
    await until('the run file to record not applicable', () =>
      /- \{id: release\/backup, .*state: not-applicable, by: Sre Browser, at: [^,]+, note: no database in this release, /.test(fs.readFileSync(RUN_FILE, 'utf8')));
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-state') === 'not-applicable', backup, { timeout: 15000 });
    expect((await page.locator(`${backup} .run-item-note`).textContent()) === 'Note: no database in this release', 'the note is not shown');
    expect(await page.locator(`${backup} button.run-reopen`).isVisible(), 'a not-applicable item cannot be reopened');
    const violations = await axe(page);
    expect(violations.length === 0, violations.join('\n'));
  });

  await step('?role=sre shows the SRE items only', page, async () => {
    await page.goto(BASE + 'runs/2.4.0/?role=sre');
    await page.locator('.run-role-filter').waitFor({ state: 'visible' });
    expect(await page.locator(ITEM).isHidden(), 'a QA item is shown');
    expect(await page.locator('li.run-item[data-item="release/backup"]').isVisible(), 'the SRE item is hidden');
  });

  await step('no script error, failed request or error status on the way', page, async () => {
    const problems = take().filter((p) => !p.includes('__playbook/events'));
    expect(problems.length === 0, problems.join('\n'));
  });
} catch (e) {
  results.push({ name: 'run', ok: false, detail: (e && e.stack) || String(e) });
  console.log(`  FAIL run\n       ${(e && e.stack) || e}`);
} finally {
  await context?.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok);
console.log(`runs browser test: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
