#!/usr/bin/env node
// Real-browser test of checklists in a site built by `playbook build` from
// tests/fixtures/browser-site (the expectations below are that fixture's):
// interactive ticks and their storage, release version and type, export,
// reset, role pages, the roles index, release-note scaffolds, and the
// printable checklists on paper (PDF, A4 and US Letter).
//
//   node tests/browser/checklist.test.mjs SITE_DIR [SCREENSHOT_DIR]
//
// Environment: CHROMIUM (default /usr/bin/chromium), PLAYBOOK_BROWSER_TIMEOUT_MS
// (whole-run watchdog, default 240000).
//
// PDFs are read with pdfjs-dist, run inside Chromium itself (page count, text
// per page, text extents) and rendered to PNG in SCREENSHOT_DIR.
//
// Exit status: 0 when every check passed, 1 when any failed, 2 on bad usage.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { startServer, expect, stepper, watcher, CheckError } from './harness.mjs';

function usage(msg) {
  if (msg) console.error(`checklist.test.mjs: ${msg}`);
  console.error('usage: node checklist.test.mjs SITE_DIR [SCREENSHOT_DIR]');
  process.exit(2);
}

const [siteArg, shotArg, ...extra] = process.argv.slice(2);
if (!siteArg || extra.length) usage('expected SITE_DIR [SCREENSHOT_DIR]');
let siteDir;
try {
  siteDir = fs.realpathSync(path.resolve(siteArg));
} catch (e) {
  usage(`cannot open site directory ${siteArg}: ${e.message}`);
}
for (const f of ['index.html', 'release/deploy-day.html', 'roles/sre.html', 'print/sre.html']) {
  if (!fs.existsSync(path.join(siteDir, f))) usage(`${siteDir} has no ${f}; is it tests/fixtures/browser-site built?`);
}
const shotDir = path.resolve(shotArg || fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-checklist-shots-')));
fs.mkdirSync(shotDir, { recursive: true });
const shot = (name) => path.join(shotDir, name);

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PDFJS_DIR = path.join(HERE, 'node_modules/pdfjs-dist/build');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WATCHDOG_MS = Number(process.env.PLAYBOOK_BROWSER_TIMEOUT_MS || 240000);

// ---------------------------------------------------------------- the fixture

const PAGE = 'release/deploy-day.html';
const HOTFIX = 'release/hotfix.html';
const ROLE = 'sre';
const ITEMS = {
  'deploy/window-scheduled': 'patch minor major',
  'deploy/backup-snapshot': 'patch minor major',
  'deploy/freeze-branch': 'minor major',
  'deploy/migration-dry-run': 'major',
  'deploy/deploy-canary': 'patch minor major',
  'deploy/smoke-tests': 'patch minor major',
  'deploy/announce': 'minor major',
  'deploy/watch-error-rates': 'patch minor major',
  'deploy/migration-guide': 'major',
  'deploy/close-release-issue': 'patch minor major',
};
const TICKED = ['deploy/window-scheduled', 'deploy/backup-snapshot', 'deploy/smoke-tests'];

const EXPORT_ALL = `## Deploy day — release 2.4.0 (all types)

### Pre-Deployment (T-24 to T-1 hours)
- [x] Deployment window scheduled and communicated to stakeholders — Project Manager
- [x] Backup or snapshot created — SRE/DevOps (optional)
- [ ] Release branch frozen — Release Manager (minor and major only)
- [ ] Database migration rehearsed on a copy of production — SRE/DevOps, QA/Test Engineer (major only)

### Deployment (T-0)
- [ ] Deploy to the canary pool first (see canary releases) — SRE/DevOps
- [x] Run \`smoke-test --env production\` and check the results — QA/Test Engineer
- [ ] Announce the release to customers — Release Manager (minor and major only)

### Post-Deployment (T+1 hour)
- [ ] Watch error rates and latency for an hour — SRE/DevOps
- [ ] Migration guide published — Release Manager, QA/Test Engineer (optional, major only)
- [ ] Release issue closed with a link to the release notes — Release Manager
`;

const EXPORT_PATCH = `## Deploy day — release 2.4.0 (patch)

### Pre-Deployment (T-24 to T-1 hours)
- [x] Deployment window scheduled and communicated to stakeholders — Project Manager
- [x] Backup or snapshot created — SRE/DevOps (optional)

### Deployment (T-0)
- [ ] Deploy to the canary pool first (see canary releases) — SRE/DevOps
- [x] Run \`smoke-test --env production\` and check the results — QA/Test Engineer

### Post-Deployment (T+1 hour)
- [ ] Watch error rates and latency for an hour — SRE/DevOps
- [ ] Release issue closed with a link to the release notes — Release Manager
`;

const EXPORT_ROLE_MAJOR = `## SRE/DevOps checklist — release 2.4.0 (major)

### Pre-Deployment (T-24 to T-1 hours)
- [x] Backup or snapshot created — SRE/DevOps (optional)
- [ ] Database migration rehearsed on a copy of production — SRE/DevOps, QA/Test Engineer (major only)

### Deployment (T-0)
- [ ] Deploy to the canary pool first (see canary releases) — SRE/DevOps

### Post-Deployment (T+1 hour)
- [ ] Watch error rates and latency for an hour — SRE/DevOps
`;

// Paper: CSS px are 1/96 in; the print stylesheet's margins are 15 mm.
const MM = 96 / 25.4;
const PAPER = {
  A4: { width: 210 * MM, height: 297 * MM },
  Letter: { width: 8.5 * 96, height: 11 * 96 },
};
const MARGIN = 15 * MM;

// ---------------------------------------------------------------- browser

const { chromium } = await import('playwright-core').catch((e) => {
  console.error(`checklist.test.mjs: cannot load playwright-core (${e.message}); run \`npm ci --prefix tests/browser\``);
  process.exit(2);
});
if (!fs.existsSync(CHROMIUM)) {
  console.error(`checklist.test.mjs: no Chromium at ${CHROMIUM}`);
  process.exit(2);
}
if (!fs.existsSync(path.join(PDFJS_DIR, 'pdf.min.mjs'))) {
  console.error(`checklist.test.mjs: no pdfjs-dist in ${PDFJS_DIR}; run \`npm ci --prefix tests/browser\``);
  process.exit(2);
}

const server = await startServer(siteDir);
const ORIGIN = `http://127.0.0.1:${server.address().port}`;
const BASE = ORIGIN + '/';
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-chromium-'));
const { step, results, state } = stepper(shotDir);
const { watch, take } = watcher(ORIGIN);
let context;

let watchdogFired = false;
const watchdog = setTimeout(async () => {
  watchdogFired = true;
  console.error(`FAIL: checklist browser test still running after ${WATCHDOG_MS} ms (step: ${state.current}); giving up`);
  try {
    await context?.close();
  } catch {}
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

function noProblems(what) {
  const p = take();
  expect(p.length === 0, `problems ${what}:\n${p.join('\n')}`);
}

/** Waits until checklist.js has set the page up. */
async function ready(page) {
  await page.waitForFunction(() => document.readyState === 'complete' && document.documentElement.classList.contains('checklist-ready'), null, { timeout: 10000 });
}

async function open(page, url) {
  const resp = await page.goto(url.startsWith('file:') ? url : BASE + url, { waitUntil: 'load' });
  if (resp) expect(resp.ok(), `GET ${url} answered ${resp.status()}`);
  await ready(page);
}

/** {data-item: checked} for every interactive checkbox (last one wins for duplicates). */
function ticks(page) {
  return page.evaluate(() => {
    const out = {};
    for (const box of document.querySelectorAll('li.checklist-item > input[type=checkbox]')) {
      out[box.closest('li').dataset.item] = box.checked;
    }
    return out;
  });
}

const progressText = (page) => page.locator('.checklist-progress').innerText();

function checkbox(page, name) {
  return page.getByRole('checkbox', { name, exact: true });
}

async function exportText(page) {
  const button = page.locator('button.export-checklist');
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  const area = page.locator('.checklist-export textarea');
  expect(await area.isVisible(), 'the export panel (.checklist-export textarea) is not visible after clicking Export');
  expect((await area.getAttribute('readonly')) !== null, 'the export textarea is not readonly');
  return area.inputValue();
}

function diff(actual, expected) {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) return `first difference on line ${i + 1}:\n  got      ${JSON.stringify(a[i])}\n  expected ${JSON.stringify(e[i])}\n--- got:\n${actual}`;
  }
  return '';
}

/** Reads a PDF inside Chromium with pdfjs-dist: pages, text, text extents; renders PNGs. */
async function readPdf(bytes, pngPrefix, pngPages = 2) {
  const helper = await context.newPage();
  try {
    await helper.route(`${ORIGIN}/__pdfjs/*`, (route) => {
      const name = path.basename(new URL(route.request().url()).pathname);
      route.fulfill({ path: path.join(PDFJS_DIR, name), contentType: 'text/javascript' });
    });
    await helper.route(`${ORIGIN}/__pdf/doc.pdf`, (route) => route.fulfill({ body: bytes, contentType: 'application/pdf' }));
    await helper.route(`${ORIGIN}/__pdf/view.html`, (route) =>
      route.fulfill({ body: '<!doctype html><html><body style="margin:0;background:#8a8f96"></body></html>', contentType: 'text/html' }),
    );
    await helper.goto(`${ORIGIN}/__pdf/view.html`);
    const info = await helper.evaluate(async (pngPages) => {
      const pdfjs = await import('/__pdfjs/pdf.min.mjs');
      pdfjs.GlobalWorkerOptions.workerSrc = '/__pdfjs/pdf.worker.min.mjs';
      const doc = await pdfjs.getDocument({ url: '/__pdf/doc.pdf' }).promise;
      const pages = [];
      for (let n = 1; n <= doc.numPages; n++) {
        const page = await doc.getPage(n);
        const view = page.getViewport({ scale: 1 });
        const content = await page.getTextContent();
        let text = '';
        let right = 0;
        let left = Infinity;
        for (const item of content.items) {
          text += item.str + (item.hasEOL ? '\n' : ' ');
          if (!item.str.trim()) continue;
          const x = item.transform[4];
          left = Math.min(left, x);
          right = Math.max(right, x + item.width);
        }
        if (n <= pngPages) {
          const scale = 1.5;
          const v = page.getViewport({ scale });
          const canvas = document.createElement('canvas');
          canvas.id = `pdf-page-${n}`;
          canvas.width = Math.ceil(v.width);
          canvas.height = Math.ceil(v.height);
          canvas.style.cssText = 'display:block;margin:0 0 12px;background:#fff';
          document.body.appendChild(canvas);
          await page.render({ canvas, canvasContext: canvas.getContext('2d'), viewport: v }).promise;
        }
        // Lower case: text-transform: uppercase reaches the PDF's text.
        pages.push({ width: view.width, height: view.height, text: text.replace(/[ \t]+/g, ' ').toLowerCase(), left, right });
      }
      return { numPages: doc.numPages, pages };
    }, pngPages);
    for (let n = 1; n <= Math.min(pngPages, info.numPages); n++) {
      await helper.locator(`#pdf-page-${n}`).screenshot({ path: `${pngPrefix}-page${n}.png` });
    }
    return info;
  } finally {
    await helper.close();
  }
}

/** Elements of the print page wider than `width` CSS px (with print media emulated). */
function overflowing(page, width) {
  return page.evaluate((width) => {
    const out = [];
    const sel = '.checklist-item, .checklist-text, .checklist-meta, .print-signoff, .print-fields, .print-header h1, .print-phase h2';
    for (const el of document.querySelectorAll(sel)) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 0.5) {
        out.push(`${el.className || el.tagName} "${el.textContent.trim().slice(0, 40)}" right edge ${r.right.toFixed(1)}px`);
      }
    }
    const sw = document.scrollingElement.scrollWidth;
    if (sw > width + 0.5) out.push(`document scrollWidth ${sw}px`);
    return out;
  }, width);
}

try {
  console.log(`checklist browser test: site ${siteDir}, served at ${BASE}`);
  console.log(`checklist browser test: Chromium ${CHROMIUM}, screenshots in ${shotDir}`);
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    colorScheme: 'light',
    reducedMotion: 'reduce',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(10000);
  context.setDefaultNavigationTimeout(15000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);

  // ------------------------------------------------------------ content page

  await step(`${PAGE}: checklist.js adds the toolbar and enables every item`, page, async () => {
    await open(page, PAGE);
    await page.evaluate(() => localStorage.clear());
    await page.reload({ waitUntil: 'load' });
    await ready(page);
    const info = await page.evaluate(() => {
      const toolbar = document.querySelector('.checklist-toolbar');
      const first = document.querySelector('article .checklist');
      return {
        toolbars: document.querySelectorAll('.checklist-toolbar').length,
        beforeChecklist: !!toolbar && toolbar.nextElementSibling?.classList.contains('checklist-export') && toolbar.nextElementSibling.nextElementSibling === first,
        legend: toolbar?.querySelector('fieldset.release-type-switch > legend')?.textContent.trim(),
        radios: [...document.querySelectorAll('input[type=radio][name=release-type]')].map((r) => r.value + (r.checked ? '*' : '')),
        placeholder: document.getElementById('release-version')?.placeholder,
        buttons: [...(toolbar?.querySelectorAll('button') || [])].map((b) => b.className),
        items: [...document.querySelectorAll('li.checklist-item')].map((li) => ({
          key: li.dataset.item,
          types: li.dataset.types,
          enabled: !!li.querySelector(':scope > input[type=checkbox]:not([disabled])'),
        })),
        groupProgress: [...document.querySelectorAll('.checklist-group-title .group-progress [aria-hidden]')].map((s) => s.textContent),
      };
    });
    expect(info.toolbars === 1, `${info.toolbars} .checklist-toolbar elements, expected 1`);
    expect(info.beforeChecklist, 'the toolbar (then the export panel) is not right before the first .checklist of the article');
    expect(info.legend === 'Release type', `fieldset.release-type-switch legend is ${JSON.stringify(info.legend)}`);
    expect(JSON.stringify(info.radios) === JSON.stringify(['all*', 'patch', 'minor', 'major']), `release-type radios are ${JSON.stringify(info.radios)}, expected all (checked), patch, minor, major`);
    expect(info.placeholder === 'e.g. 2.4.0', `#release-version placeholder is ${JSON.stringify(info.placeholder)}`);
    expect(info.buttons.includes('export-checklist') && info.buttons.includes('reset-checklist'), `toolbar buttons are ${JSON.stringify(info.buttons)}`);
    const keys = info.items.map((i) => i.key);
    expect(JSON.stringify(keys) === JSON.stringify(Object.keys(ITEMS)), `items are ${JSON.stringify(keys)}`);
    for (const i of info.items) {
      expect(i.enabled, `the checkbox of ${i.key} is still disabled`);
      expect(i.types === ITEMS[i.key], `${i.key} has data-types="${i.types}", expected "${ITEMS[i.key]}"`);
    }
    expect((await progressText(page)) === '0 of 10 done', `.checklist-progress reads "${await progressText(page)}", expected "0 of 10 done"`);
    expect(JSON.stringify(info.groupProgress) === '["0/4","0/3","0/3"]', `group progress is ${JSON.stringify(info.groupProgress)}`);
    // Checkboxes are named by their item's text.
    expect((await checkbox(page, 'Backup or snapshot created').count()) === 1, 'no checkbox named "Backup or snapshot created" (aria-labelledby the item text)');
    noProblems(`on ${PAGE}`);
  });

  await step('tick items (box, text, keyboard) for release 2.4.0; progress and storage follow', page, async () => {
    await page.locator('#release-version').fill('2.4.0');
    await checkbox(page, 'Deployment window scheduled and communicated to stakeholders').click();
    // A tap on the item's text ticks it too.
    await page.locator('li[data-item="deploy/backup-snapshot"] .checklist-text').click();
    const smoke = page.locator('li[data-item="deploy/smoke-tests"] > input');
    await smoke.focus();
    await page.keyboard.press('Space');
    const t = await ticks(page);
    const on = Object.keys(t).filter((k) => t[k]);
    expect(JSON.stringify(on) === JSON.stringify(TICKED), `ticked items are ${JSON.stringify(on)}, expected ${JSON.stringify(TICKED)}`);
    expect((await progressText(page)) === '3 of 10 done', `.checklist-progress reads "${await progressText(page)}"`);
    const groups = await page.locator('.checklist-group-title .group-progress [aria-hidden]').allInnerTexts();
    expect(JSON.stringify(groups) === '["2/4","1/3","0/3"]', `group progress is ${JSON.stringify(groups)}`);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('playbook-ticks:2.4.0') || 'null'));
    const expected = Object.fromEntries(TICKED.map((k) => [k, true]));
    expect(JSON.stringify(stored) === JSON.stringify(expected), `localStorage playbook-ticks:2.4.0 is ${JSON.stringify(stored)}`);
    await page.screenshot({ path: shot('checklist-ticked.png'), fullPage: true });
  });

  await step('reload: the version and the ticks are still there', page, async () => {
    await page.reload({ waitUntil: 'load' });
    await ready(page);
    const version = await page.locator('#release-version').inputValue();
    expect(version === '2.4.0', `#release-version is "${version}" after a reload`);
    const t = await ticks(page);
    const on = Object.keys(t).filter((k) => t[k]);
    expect(JSON.stringify(on) === JSON.stringify(TICKED), `after a reload the ticked items are ${JSON.stringify(on)}`);
    expect((await progressText(page)) === '3 of 10 done', `after a reload .checklist-progress reads "${await progressText(page)}"`);
  });

  await step('another release version has its own (empty) ticks; switching back restores them', page, async () => {
    await page.locator('#release-version').fill('2.5.0');
    let t = await ticks(page);
    expect(Object.values(t).every((v) => !v), `release 2.5.0 shows ticks ${JSON.stringify(t)}`);
    expect((await progressText(page)) === '0 of 10 done', `for 2.5.0 .checklist-progress reads "${await progressText(page)}"`);
    await checkbox(page, 'Watch error rates and latency for an hour').click();
    await page.locator('#release-version').fill('2.4.0');
    t = await ticks(page);
    const on = Object.keys(t).filter((k) => t[k]);
    expect(JSON.stringify(on) === JSON.stringify(TICKED), `back on 2.4.0 the ticked items are ${JSON.stringify(on)}`);
    const other = await page.evaluate(() => localStorage.getItem('playbook-ticks:2.5.0'));
    expect(other === '{"deploy/watch-error-rates":true}', `localStorage playbook-ticks:2.5.0 is ${other}`);
  });

  await step('export (all types) is the expected Markdown task list; Copy copies it', page, async () => {
    const text = await exportText(page);
    const d = diff(text, EXPORT_ALL);
    expect(!d, `export text differs: ${d}`);
    await page.locator('button.copy-export').click();
    await page.waitForFunction(() => document.querySelector('button.copy-export')?.textContent === 'Copied', null, { timeout: 3000 }).catch(() => {});
    const label = await page.locator('button.copy-export').innerText();
    expect(label === 'Copied', `after clicking Copy the button reads "${label}", expected "Copied"`);
    const clip = await page.evaluate(() => navigator.clipboard.readText().catch((e) => `(clipboard unreadable: ${e.message})`));
    expect(clip === EXPORT_ALL, `the clipboard holds ${JSON.stringify(clip.slice(0, 120))}…, not the export`);
    await page.screenshot({ path: shot('checklist-export.png'), fullPage: true });
  });

  await step('release type patch hides the items that do not apply, and persists', page, async () => {
    await page.locator('input[name=release-type][value=patch]').check();
    const check = async (when) => {
      const hidden = await page.evaluate(() =>
        Object.fromEntries([...document.querySelectorAll('li.checklist-item')].map((li) => [li.dataset.item, li.hidden && getComputedStyle(li).display === 'none'])),
      );
      for (const [key, types] of Object.entries(ITEMS)) {
        const shouldHide = !types.split(' ').includes('patch');
        expect(hidden[key] === shouldHide, `${when}: ${key} (types ${types}) is ${hidden[key] ? 'hidden' : 'shown'} for a patch release`);
      }
      const rt = await page.evaluate(() => document.documentElement.dataset.releaseType);
      expect(rt === 'patch', `${when}: html[data-release-type] is ${JSON.stringify(rt)}`);
      expect((await progressText(page)) === '3 of 6 done', `${when}: .checklist-progress reads "${await progressText(page)}", expected "3 of 6 done"`);
      const groups = await page.locator('.checklist-group-title .group-progress [aria-hidden]').allInnerTexts();
      expect(JSON.stringify(groups) === '["2/2","1/2","0/2"]', `${when}: group progress is ${JSON.stringify(groups)}`);
    };
    await check('after choosing patch');
    expect((await page.evaluate(() => localStorage.getItem('playbook-release-type'))) === 'patch', 'localStorage playbook-release-type is not "patch"');
    const text = await exportText(page);
    const d = diff(text, EXPORT_PATCH);
    expect(!d, `export for patch differs: ${d}`);
    await page.screenshot({ path: shot('checklist-patch.png'), fullPage: true });
    await page.reload({ waitUntil: 'load' });
    await ready(page);
    expect(await page.locator('input[name=release-type][value=patch]').isChecked(), 'after a reload the patch radio is not checked');
    await check('after a reload');
    // A link to an item the type hides shows every type for this visit.
    await page.goto(BASE + PAGE + '#migration-dry-run');
    await page.waitForFunction(() => !document.getElementById('migration-dry-run').hidden, null, { timeout: 3000 }).catch(() => {});
    expect(!(await page.locator('#migration-dry-run').evaluate((li) => li.hidden)), 'following a link to the major-only item #migration-dry-run leaves it hidden');
    expect(await page.locator('input[name=release-type][value=all]').isChecked(), 'following a link to a hidden item did not switch the view to all types');
    expect((await page.evaluate(() => localStorage.getItem('playbook-release-type'))) === 'patch', 'following a link to a hidden item changed the stored release type');
    await page.goto(BASE + PAGE);
    await ready(page);
    await check('after coming back without the link');
    // A `%` in the hash that is no escape (typed, or cut short) is no anchor, and no error.
    for (const hash of ['#50%-done', '#cut-%E2%8']) {
      await page.goto(BASE + PAGE + hash);
      await ready(page);
      await page.evaluate(() => { window.location.hash = '%zz'; });
      await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
    }
    await page.goto(BASE + PAGE);
    await ready(page);
    await check('after hashes with a malformed % escape');
    noProblems('with a malformed % escape in the hash');
  });

  await step('reset asks first: dismiss keeps the ticks, accept clears them', page, async () => {
    await page.locator('input[name=release-type][value=all]').check();
    const messages = [];
    page.once('dialog', (d) => {
      messages.push(`${d.type()}: ${d.message()}`);
      d.dismiss();
    });
    await page.locator('button.reset-checklist').click();
    expect(messages[0] === 'confirm: Clear every tick for release 2.4.0?', `reset asked ${JSON.stringify(messages[0])}, expected confirm "Clear every tick for release 2.4.0?"`);
    let on = Object.entries(await ticks(page)).filter(([, v]) => v).map(([k]) => k);
    expect(JSON.stringify(on) === JSON.stringify(TICKED), `after dismissing, the ticks are ${JSON.stringify(on)}`);
    page.once('dialog', (d) => d.accept());
    await page.locator('button.reset-checklist').click();
    on = Object.entries(await ticks(page)).filter(([, v]) => v).map(([k]) => k);
    expect(on.length === 0, `after accepting, these are still ticked: ${JSON.stringify(on)}`);
    expect((await progressText(page)) === '0 of 10 done', `after reset .checklist-progress reads "${await progressText(page)}"`);
    const stored = await page.evaluate(() => localStorage.getItem('playbook-ticks:2.4.0'));
    expect(stored === null, `after reset localStorage playbook-ticks:2.4.0 is ${stored}`);
    const other = await page.evaluate(() => localStorage.getItem('playbook-ticks:2.5.0'));
    expect(other !== null, 'reset of 2.4.0 also cleared the ticks of 2.5.0');
    await page.reload({ waitUntil: 'load' });
    await ready(page);
    on = Object.entries(await ticks(page)).filter(([, v]) => v).map(([k]) => k);
    expect(on.length === 0, `after reset and a reload, these are ticked again: ${JSON.stringify(on)}`);
    noProblems('while ticking, exporting and resetting');
  });

  await step(`${HOTFIX}: an item shown twice on a page stays in sync`, page, async () => {
    await open(page, HOTFIX);
    const boxes = page.locator('li[data-item="deploy/smoke-tests"] > input[type=checkbox]');
    expect((await boxes.count()) === 2, `${HOTFIX} shows deploy/smoke-tests ${await boxes.count()} times, expected 2`);
    await boxes.nth(0).check();
    const states = await boxes.evaluateAll((els) => els.map((e) => e.checked));
    expect(states.every(Boolean), `after ticking the first copy the copies are ${JSON.stringify(states)}`);
    // 5 distinct items (reproduce, cherry-pick, smoke-tests, deploy-canary, announce).
    expect((await progressText(page)) === '1 of 5 done', `.checklist-progress reads "${await progressText(page)}", expected "1 of 5 done" (each item once)`);
    const text = await exportText(page);
    expect(text.startsWith('## Hotfix — release 2.4.0 (all types)\n\n### Steps\n- [ ] Bug reproduced on staging — QA/Test Engineer (patch only)\n'), `hotfix export starts ${JSON.stringify(text.slice(0, 160))}`);
    expect(text.includes('\n### Deploy it (T-0)\n'), `hotfix export has no "### Deploy it (T-0)" section:\n${text}`);
    await boxes.nth(1).uncheck();
    const after = await boxes.evaluateAll((els) => els.map((e) => e.checked));
    expect(after.every((v) => !v), `after unticking the second copy the copies are ${JSON.stringify(after)}`);
    await page.screenshot({ path: shot('checklist-hotfix.png'), fullPage: true });
    noProblems(`on ${HOTFIX}`);
  });

  // ------------------------------------------------------------ role pages

  await step('roles/index.html lists every role with aliases and item counts', page, async () => {
    const resp = await page.goto(BASE + 'roles/index.html', { waitUntil: 'load' });
    expect(resp?.ok(), `GET roles/index.html answered ${resp?.status()}`);
    const cards = await page.evaluate(() =>
      [...document.querySelectorAll('.role-cards .card')].map((c) => ({
        name: c.querySelector('.card-title')?.textContent.trim(),
        count: c.querySelector('.role-count')?.textContent.trim(),
        aliases: c.querySelector('.role-aliases')?.textContent.replace(/\s+/g, ' ').trim() ?? '',
        href: c.querySelector('a')?.getAttribute('href'),
      })),
    );
    const names = cards.map((c) => c.name);
    expect(JSON.stringify(names) === JSON.stringify(['Release Manager', 'SRE/DevOps', 'QA/Test Engineer', 'Project Manager', 'Support Lead']), `role cards are ${JSON.stringify(names)}`);
    const sre = cards[1];
    expect(sre.count === '4 checklist items', `SRE/DevOps card says "${sre.count}", expected "4 checklist items"`);
    expect(sre.aliases.includes('SRE, DevOps Engineer'), `SRE/DevOps card aliases read "${sre.aliases}"`);
    expect(cards[4].count === 'No checklist items yet', `Support Lead card says "${cards[4].count}"`);
    await Promise.all([page.waitForURL(/roles\/sre\.html$/), page.locator('.role-cards a', { hasText: 'SRE/DevOps' }).click()]);
    await page.screenshot({ path: shot('role-sre.png'), fullPage: true });
    await page.goto(BASE + 'roles/index.html', { waitUntil: 'load' });
    await page.screenshot({ path: shot('roles-index.png'), fullPage: true });
    const empty = await page.goto(BASE + 'roles/support-lead.html', { waitUntil: 'load' });
    expect(empty?.ok(), 'GET roles/support-lead.html failed');
    const none = await page.locator('main').innerText();
    expect(none.includes('No checklist item names this role as owner yet.'), 'roles/support-lead.html does not say that no item names the role');
    expect((await page.locator('.checklist-toolbar').count()) === 0, 'a role without items still shows a .checklist-toolbar');
    noProblems('on the roles pages');
  });

  await step(`roles/${ROLE}.html: phases, shared ticks, type filter, print link, export`, page, async () => {
    // A tick on the content page shows on the role page (same data-item, same storage).
    await open(page, PAGE);
    await page.locator('#release-version').fill('2.4.0');
    await checkbox(page, 'Backup or snapshot created').check();
    await open(page, `roles/${ROLE}.html`);
    const info = await page.evaluate(() => ({
      h1: document.querySelector('main h1')?.textContent.trim(),
      phases: [...document.querySelectorAll('section.checklist-phase.checklist')].map((s) => ({
        checklist: s.dataset.checklist,
        h2: s.querySelector('h3 .checklist-phase-title')?.textContent.trim(),
        timing: s.querySelector('.checklist-timing')?.textContent.trim(),
        from: s.querySelector('.checklist-phase-source a')?.getAttribute('href'),
        progress: s.querySelector('h3 .group-progress [aria-hidden]')?.textContent,
      })),
      version: document.getElementById('release-version')?.value,
      toolbarFirst: document.querySelector('.checklist-toolbar')?.compareDocumentPosition(document.querySelector('.checklist-phase')) & Node.DOCUMENT_POSITION_FOLLOWING,
    }));
    expect(info.h1 === 'SRE/DevOps', `h1 is ${JSON.stringify(info.h1)}`);
    expect(info.toolbarFirst, 'the .checklist-toolbar is not before the phases');
    const titles = info.phases.map((p) => `${p.h2} [${p.timing}] ${p.progress}`);
    expect(JSON.stringify(titles) === JSON.stringify(['Pre-Deployment [T-24 to T-1 hours] 1/2', 'Deployment [T-0] 0/1', 'Post-Deployment [T+1 hour] 0/1']), `phases are ${JSON.stringify(titles)}`);
    expect(info.phases.every((p) => p.from.startsWith('../release/deploy-day.html#')), `phase source links are ${JSON.stringify(info.phases.map((p) => p.from))}`);
    expect(info.version === '2.4.0', `#release-version on the role page is ${JSON.stringify(info.version)}`);
    expect(await checkbox(page, 'Backup or snapshot created').isChecked(), 'the tick made on the content page is not shown on the role page');
    expect((await progressText(page)) === '1 of 4 done', `role page progress reads "${await progressText(page)}"`);
    const print = page.locator('.checklist-toolbar a.print-checklist');
    expect((await print.count()) === 1, 'no a.print-checklist in the role page toolbar');
    // A tick is on: the printed sheet shows the ticks (ticks=1).
    expect((await print.getAttribute('href')) === '../print/sre.html?release=2.4.0&ticks=1', `print link is ${await print.getAttribute('href')}`);
    await page.locator('input[name=release-type][value=major]').check();
    const href = await print.getAttribute('href');
    expect(href === '../print/sre.html?type=major&release=2.4.0&ticks=1', `with type major the print link is ${href}`);
    const text = await exportText(page);
    const d = diff(text, EXPORT_ROLE_MAJOR);
    expect(!d, `role export differs: ${d}`);
    await page.locator('input[name=release-type][value=patch]').check();
    const shown = await page.locator('section.checklist-phase:not([hidden])').count();
    expect(shown === 3, `for patch ${shown} phases are shown, expected 3`);
    const hiddenItems = await page.locator('li.checklist-item[hidden]').count();
    expect(hiddenItems === 1, `for patch ${hiddenItems} items are hidden, expected 1 (the major-only migration rehearsal)`);
    await page.locator('input[name=release-type][value=all]').check();
    await page.screenshot({ path: shot('role-sre-ticked.png'), fullPage: true });
    noProblems(`on roles/${ROLE}.html`);
  });

  // ------------------------------------------------------------ printing

  await step('printing a content page leaves the toolbar and export panel off the paper', page, async () => {
    await open(page, PAGE);
    await page.locator('button.export-checklist').click();
    const pdf = await page.pdf({ format: 'A4' });
    fs.writeFileSync(shot('deploy-day-A4.pdf'), pdf);
    const info = await readPdf(pdf, shot('deploy-day-A4'), 1);
    const all = info.pages.map((p) => p.text).join('\n');
    for (const word of ['Release version', 'All Patch Minor Major', 'Export', 'Reset', 'of 10 done', 'Markdown task list', 'Search']) {
      expect(!all.includes(word.toLowerCase()), `the printed content page contains "${word}"`);
    }
    expect(all.includes('backup or snapshot created'), 'the printed content page lacks the checklist items');
    await page.locator('button.export-checklist').click();
  });

  for (const [format, paper] of Object.entries(PAPER)) {
    await step(`print/${ROLE}.html on ${format}: phases flow on one page, a sign-off per phase, nothing cut off, no site chrome`, page, async () => {
      await page.emulateMedia({ media: 'screen' });
      await page.setViewportSize({ width: 1280, height: 900 });
      await open(page, `print/${ROLE}.html`);
      const phases = await page.locator('.print-phase h3 .print-phase-title').allInnerTexts();
      expect(JSON.stringify(phases) === '["Pre-Deployment","Deployment","Post-Deployment"]', `print phases are ${JSON.stringify(phases)}`);
      const stages = await page.locator('.print-stage .print-stage-title').allInnerTexts();
      expect(JSON.stringify(stages) === '["Pre-deployment","Deployment","Post-deployment"]', `release phases are ${JSON.stringify(stages)}`);
      expect((await page.locator('.print-stage > .print-signoff').count()) === stages.length, 'not every release phase has one .print-signoff block');
      expect((await page.locator('.print-phase li.checklist-item .print-box').count()) === 4, 'the print page does not show 4 items with a .print-box');
      expect((await page.locator('.print-bar .print-button').isVisible()), 'the on-screen Print button is not visible');

      // Nothing past the printable width, with print media, for this paper.
      const printable = Math.floor(paper.width - 2 * MARGIN);
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: printable, height: 1000 });
      const over = await overflowing(page, printable);
      expect(over.length === 0, `with print media at the ${format} printable width (${printable}px) these cross the right margin:\n${over.join('\n')}`);
      const bar = await page.locator('.print-bar').isVisible();
      expect(!bar, 'the .print-bar is visible with print media');
      // A picture of the first page as the paper has it, at the paper's width.
      await page.setViewportSize({ width: Math.round(paper.width), height: Math.round(paper.height) });
      await page.screenshot({ path: shot(`print-${ROLE}-${format}-emulated.png`), fullPage: false });
      // Back to no media emulation: page.pdf() prints with the emulated media.
      await page.emulateMedia({ media: null });

      const pdf = await page.pdf({ format, printBackground: true });
      fs.writeFileSync(shot(`print-${ROLE}-${format}.pdf`), pdf);
      const info = await readPdf(pdf, shot(`print-${ROLE}-${format}`), 3);
      console.log(`       ${format}: ${info.numPages} pages, ${info.pages[0].width.toFixed(1)}x${info.pages[0].height.toFixed(1)} pt`);
      expect(info.numPages === 1, `the ${format} PDF has ${info.numPages} pages for 4 items:\n${info.pages.map((p, i) => `--- page ${i + 1}\n${p.text.slice(0, 300)}`).join('\n')}`);
      const expectW = (paper.width * 72) / 96;
      expect(Math.abs(info.pages[0].width - expectW) < 2, `the ${format} PDF page is ${info.pages[0].width} pt wide, expected ${expectW.toFixed(1)}`);
      const marginPt = (MARGIN * 72) / 96;
      info.pages.forEach((p, i) => {
        expect(p.right <= p.width - marginPt + 1, `page ${i + 1}: text reaches ${p.right.toFixed(1)} pt, past the right margin at ${(p.width - marginPt).toFixed(1)} pt`);
        expect(p.left >= marginPt - 1, `page ${i + 1}: text starts at ${p.left.toFixed(1)} pt, inside the left margin (${marginPt.toFixed(1)} pt)`);
      });
      for (const stage of stages) {
        expect(info.pages[0].text.includes(`sign-off: ${stage.toLowerCase()}`), `the ${format} PDF has no sign-off for "${stage}"`);
      }
      expect(/name\s+date\s+signature/.test(info.pages[0].text), 'the sign-off has no Name, Date, Signature');
      const first = info.pages[0].text;
      for (const want of ['SRE/DevOps checklist', 'Release version', 'Date', 'Release type', '☐ patch', '☐ minor', '☐ major']) {
        expect(first.includes(want.toLowerCase()), `page 1 of the ${format} PDF lacks "${want}"`);
      }
      const all = info.pages.map((p) => p.text).join('\n');
      for (const chrome of ['Search', 'Skip to content', 'Getting started', 'All types', 'Built with', '←', 'New page']) {
        expect(!all.includes(chrome.toLowerCase()), `the ${format} PDF contains site chrome or screen controls: "${chrome}"`);
      }
      noProblems(`on print/${ROLE}.html`);
    });
  }

  await step(`print/${ROLE}.html?type=patch keeps the patch items and marks ☒ patch`, page, async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await open(page, `print/${ROLE}.html?type=patch&release=2.4.0`);
    const info = await page.evaluate(() => ({
      items: [...document.querySelectorAll('.print-phase li.checklist-item')].map((li) => li.dataset.item),
      boxes: [...document.querySelectorAll('.print-type')].map((s) => s.textContent.replace(/\s+/g, ' ').trim()),
      version: document.querySelector('.print-blank[data-field=version]')?.textContent,
      select: document.getElementById('print-release-type')?.value,
    }));
    expect(JSON.stringify(info.items) === JSON.stringify(['deploy/backup-snapshot', 'deploy/deploy-canary', 'deploy/watch-error-rates']), `patch print items are ${JSON.stringify(info.items)}`);
    expect(JSON.stringify(info.boxes) === JSON.stringify(['☒ patch', '☐ minor', '☐ major']), `release type boxes read ${JSON.stringify(info.boxes)}`);
    expect(info.version === '2.4.0', `the version blank holds ${JSON.stringify(info.version)}`);
    expect(info.select === 'patch', `the type select is ${info.select}`);
    await page.screenshot({ path: shot(`print-${ROLE}-patch-screen.png`), fullPage: true });
    await page.locator('#print-release-type').selectOption('major');
    const majorItems = await page.locator('.print-phase li.checklist-item').count();
    expect(majorItems === 4, `with major chosen ${majorItems} items are printed, expected 4`);
    expect(page.url().endsWith('?type=major&release=2.4.0'), `the URL did not follow the select: ${page.url()}`);
    const pdf = await page.pdf({ format: 'A4' });
    const pdfInfo = await readPdf(pdf, shot(`print-${ROLE}-major-A4`), 0);
    expect(pdfInfo.pages[0].text.includes('☒ major'), 'the printed header does not show ☒ major');
    noProblems('on the filtered print page');
  });

  await step('print/all.html on Letter: the release on one page, a sign-off per release phase', page, async () => {
    await open(page, 'print/all.html');
    const phases = await page.locator('.print-phase').count();
    expect(phases === 4, `print/all.html has ${phases} groups, expected 4`);
    const stages = await page.locator('.print-stage').count();
    const pdf = await page.pdf({ format: 'Letter' });
    fs.writeFileSync(shot('print-all-Letter.pdf'), pdf);
    const info = await readPdf(pdf, shot('print-all-Letter'), 1);
    expect(info.numPages === 1, `the Letter PDF of print/all.html has ${info.numPages} pages for ${phases} groups`);
    const signoffs = (info.pages.map((p) => p.text).join('\n').match(/sign-off:/g) || []).length;
    expect(signoffs === stages, `${signoffs} sign-offs for ${stages} release phases`);
  });

  // ------------------------------------------------------------ release notes

  await step('release-notes.html: type tabs, Copy and Download per type', page, async () => {
    await page.evaluate(() => localStorage.removeItem('playbook-release-type'));
    const resp = await page.goto(BASE + 'release-notes.html', { waitUntil: 'load' });
    expect(resp?.ok(), `GET release-notes.html answered ${resp?.status()}`);
    await page.waitForFunction(() => document.querySelector('.release-notes.is-tabbed'));
    const types = await page.locator('pre.release-notes-scaffold').evaluateAll((els) => els.map((e) => e.dataset.type));
    expect(JSON.stringify(types) === '["patch","minor","major"]', `scaffolds are ${JSON.stringify(types)}`);
    const visible = async () => page.locator('pre.release-notes-scaffold:visible').evaluateAll((els) => els.map((e) => e.dataset.type));
    expect(JSON.stringify(await visible()) === '["patch"]', `visible scaffolds at first: ${JSON.stringify(await visible())}`);
    await page.getByRole('tab', { name: 'Major' }).click();
    expect(JSON.stringify(await visible()) === '["major"]', `after choosing Major the visible scaffolds are ${JSON.stringify(await visible())}`);
    await page.keyboard.press('ArrowLeft');
    expect(JSON.stringify(await visible()) === '["minor"]', `ArrowLeft from Major shows ${JSON.stringify(await visible())}`);
    await page.getByRole('tab', { name: 'Major' }).click();
    const panel = page.locator('#release-notes-major');
    const pre = await panel.locator('pre.release-notes-scaffold').textContent();
    expect(pre.includes('Migration steps'), 'the major scaffold lacks its major-only section "Migration steps"');
    const minorPre = await page.locator('pre.release-notes-scaffold[data-type=minor]').textContent();
    expect(!minorPre.includes('Migration steps'), 'the minor scaffold has the major-only section "Migration steps"');
    const link = panel.locator('a.download-scaffold');
    expect((await link.getAttribute('download')) === 'release-notes-major.md', `download attribute is ${await link.getAttribute('download')}`);
    const href = await link.getAttribute('href');
    const prefix = 'data:text/markdown;charset=utf-8,';
    expect(href.startsWith(prefix), `download href starts ${JSON.stringify(href.slice(0, 40))}`);
    const body = decodeURIComponent(href.slice(prefix.length));
    expect(body.trimEnd() === pre.trimEnd(), 'the download holds other text than the scaffold');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 5000 }), link.click()]);
    expect(download.suggestedFilename() === 'release-notes-major.md', `download is named ${download.suggestedFilename()}`);
    const copy = panel.locator('button.copy-scaffold');
    await copy.click();
    await page.waitForFunction(() => document.querySelector('#release-notes-major button.copy-scaffold')?.textContent === 'Copied', null, { timeout: 3000 }).catch(() => {});
    expect((await copy.innerText()) === 'Copied', `after Copy the button reads "${await copy.innerText()}"`);
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    expect(clip.trimEnd() === pre.trimEnd(), 'the clipboard does not hold the major scaffold');
    await page.screenshot({ path: shot('release-notes.png'), fullPage: true });
    noProblems('on release-notes.html');
  });

  // ------------------------------------------------------------ phone, dark, file://

  await page.setViewportSize({ width: 390, height: 844 });
  for (const target of [PAGE, `roles/${ROLE}.html`, `print/${ROLE}.html`, 'release-notes.html', 'roles/index.html']) {
    await step(`phone 390x844: ${target} fits the width; controls are big enough to tap`, page, async () => {
      await page.goto(BASE + target, { waitUntil: 'load' });
      await page.waitForFunction(() => document.readyState === 'complete');
      const { sw, iw, small } = await page.evaluate(() => {
        const small = [];
        for (const el of document.querySelectorAll('.checklist-toolbar button, .checklist-toolbar a, .segment, #release-version, .print-button, .release-notes-tab, .release-notes-actions > *')) {
          const r = el.getBoundingClientRect();
          if (r.height > 0 && r.height < 40) small.push(`${el.className || el.id} is ${r.height.toFixed(0)}px tall`);
        }
        return { sw: document.scrollingElement.scrollWidth, iw: innerWidth, small };
      });
      expect(sw <= iw, `scrollWidth ${sw} > innerWidth ${iw} on ${target}`);
      expect(small.length === 0, `controls too small to tap on ${target}: ${small.join(', ')}`);
      await page.screenshot({ path: shot(`phone-${target.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true });
    });
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  await step('dark theme: the toolbar, role page and print preview follow it', page, async () => {
    await page.emulateMedia({ colorScheme: 'dark', media: 'screen' });
    await open(page, PAGE);
    const lum = (rgb) => {
      const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    const bg = await page.locator('.checklist-toolbar').evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(lum(bg) < 0.25, `in the dark theme the toolbar background is ${bg}`);
    const fg = await page.locator('.checklist-progress').evaluate((e) => getComputedStyle(e).color);
    expect(lum(fg) > 0.6, `in the dark theme the progress text is ${fg}`);
    await page.screenshot({ path: shot('dark-deploy-day.png'), fullPage: true });
    await open(page, `roles/${ROLE}.html`);
    await page.screenshot({ path: shot('dark-role-sre.png'), fullPage: true });
    await open(page, `print/${ROLE}.html`);
    await page.screenshot({ path: shot('dark-print-sre.png'), fullPage: true });
    const paper = await page.locator('.print-sheet').evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(paper === 'rgb(255, 255, 255)', `the print preview sheet is ${paper} in the dark theme, expected white paper`);
    await page.emulateMedia({ colorScheme: 'light', media: null });
    noProblems('in the dark theme');
  });

  await step('from file:// (no server): ticks work and survive a reload', page, async () => {
    const url = pathToFileURL(path.join(siteDir, PAGE)).href;
    await open(page, url);
    await page.locator('#release-version').fill('9.9.9');
    await checkbox(page, 'Release branch frozen').check();
    await page.reload({ waitUntil: 'load' });
    await ready(page);
    expect(await checkbox(page, 'Release branch frozen').isChecked(), 'from file:// the tick is gone after a reload');
    const text = await exportText(page);
    expect(text.includes('- [x] Release branch frozen — Release Manager'), `export from file:// lacks the tick:\n${text}`);
    await page.locator('button.copy-export').click();
    await page.waitForTimeout(300);
    const label = await page.locator('button.copy-export').innerText();
    expect(label === 'Copied', `Copy from file:// reads "${label}"`);
    noProblems('from file://');
  });

  const p = take();
  if (p.length) results.push({ name: 'no late console errors or failed requests', ok: false, detail: p.join('\n') });
} catch (e) {
  results.push({ name: `setup (${state.current || 'launch'})`, ok: false, detail: (e && e.stack) || String(e) });
  console.log(`  FAIL ${state.current || 'launch'}: ${(e && e.stack) || e}`);
} finally {
  clearTimeout(watchdog);
  try {
    await context?.close();
  } catch {}
  server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

if (watchdogFired) process.exit(1);
const failed = results.filter((r) => !r.ok);
console.log(`screenshots: ${shotDir}`);
if (failed.length) {
  console.log('\nfailures:');
  for (const f of failed) console.log(`- ${f.name}\n    ${f.detail.replace(/\n/g, '\n    ')}`);
}
console.log(`checklist: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
