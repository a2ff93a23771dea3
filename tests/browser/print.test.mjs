#!/usr/bin/env node
// Real-browser test of the shipped playbook (content/ built by `playbook
// build`) as a release manager uses it: the printed checklists (Release
// Manager, QA, the whole release) on A4 and US Letter within their page
// budgets, nothing cut at a margin, no site chrome; the whole guide on one
// page (print/guide.html) printed a sheet per page; every role's list in
// release-timeline order; release types that change the lists; ticks that
// reach the printed sheet; controls that stay on screen; the site title not
// cut; axe-core with no violations on every page type, before and after
// ticking. Controls stay on screen on phones too.
//
//   node tests/browser/print.test.mjs SITE_DIR [SCREENSHOT_DIR]
//
// PNGs of the first PDF pages, the PDFs and screenshots go to SCREENSHOT_DIR.
// Exit status: 0 when every check passed, 1 when any failed, 2 on bad usage.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { startServer, expect, stepper, watcher } from './harness.mjs';

const [siteArg, shotArg, ...extra] = process.argv.slice(2);
if (!siteArg || extra.length) {
  console.error('usage: node print.test.mjs SITE_DIR [SCREENSHOT_DIR]');
  process.exit(2);
}
const siteDir = fs.realpathSync(path.resolve(siteArg));
for (const f of ['roles/release-manager.html', 'print/release-manager.html', 'print/qa.html', 'print/all.html', 'print/guide.html']) {
  if (!fs.existsSync(path.join(siteDir, f))) {
    console.error(`print.test.mjs: ${siteDir} has no ${f}; is it the shipped content/ built?`);
    process.exit(2);
  }
}
const shotDir = path.resolve(shotArg || fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-print-shots-')));
fs.mkdirSync(shotDir, { recursive: true });
const shot = (name) => path.join(shotDir, name);

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PDFJS_DIR = path.join(HERE, 'node_modules/pdfjs-dist/build');
const AXE = path.join(HERE, 'node_modules/axe-core/axe.min.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WATCHDOG_MS = Number(process.env.PLAYBOOK_BROWSER_TIMEOUT_MS || 300000);
for (const need of [path.join(PDFJS_DIR, 'pdf.min.mjs'), AXE]) {
  if (!fs.existsSync(need)) {
    console.error(`print.test.mjs: no ${need}; run \`npm ci --prefix tests/browser\``);
    process.exit(2);
  }
}

// The budgets (pages), the same on both papers.
const BUDGETS = { 'release-manager': 4, qa: 1, all: 10 };
const MM = 96 / 25.4;
const PAPER = {
  A4: { width: 210 * MM, height: 297 * MM },
  Letter: { width: 8.5 * 96, height: 11 * 96 },
};
const MARGIN = 15 * MM;
const TIMELINE = ['planning', 'pre-release', 'pre-deployment', 'deployment', 'post-deployment', 'follow-up', 'rollback', 'incident'];
const CHROME_WORDS = ['search', 'skip to content', 'all types', 'built with', '←', 'on this page', 'toggle', 'dark mode'];
// The guide's own text may say "search": its chrome, by what only chrome says.
const GUIDE_CHROME_WORDS = ['skip to content', 'built with', '←', 'on this page', 'toggle dark mode', 'show navigation', 'print the whole guide'];

const { chromium } = await import('playwright-core');
const server = await startServer(siteDir);
const ORIGIN = `http://127.0.0.1:${server.address().port}`;
const BASE = ORIGIN + '/';
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-chromium-'));
const { step, results, state } = stepper(shotDir);
const { watch, take } = watcher(ORIGIN);
let context;
const watchdog = setTimeout(async () => {
  console.error(`FAIL: print browser test still running after ${WATCHDOG_MS} ms (step: ${state.current}); giving up`);
  try {
    await context?.close();
  } catch {}
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

const measured = [];

async function open(page, url) {
  const resp = await page.goto(BASE + url, { waitUntil: 'load' });
  expect(resp?.ok(), `GET ${url} answered ${resp?.status()}`);
  await page.waitForFunction(() => document.readyState === 'complete');
}

async function ready(page) {
  await page.waitForFunction(() => document.documentElement.classList.contains('checklist-ready'), null, { timeout: 10000 });
}

/** Page count, per-page text and text extents of a PDF, read by pdfjs-dist in Chromium; PNGs of the first pages. */
async function readPdf(bytes, pngPrefix, pngPages) {
  const helper = await context.newPage();
  try {
    await helper.route(`${ORIGIN}/__pdfjs/*`, (route) => {
      const name = path.basename(new URL(route.request().url()).pathname);
      route.fulfill({ path: path.join(PDFJS_DIR, name), contentType: 'text/javascript' });
    });
    await helper.route(`${ORIGIN}/__pdf/doc.pdf`, (route) => route.fulfill({ body: bytes, contentType: 'application/pdf' }));
    await helper.route(`${ORIGIN}/__pdf/view.html`, (route) => route.fulfill({ body: '<!doctype html><body style="margin:0">', contentType: 'text/html' }));
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
        let [left, right, top, bottom] = [Infinity, 0, Infinity, 0];
        for (const item of content.items) {
          text += item.str + (item.hasEOL ? '\n' : ' ');
          if (!item.str.trim()) continue;
          const [x, y] = [item.transform[4], item.transform[5]];
          left = Math.min(left, x);
          right = Math.max(right, x + item.width);
          // PDF y grows upwards from the bottom edge.
          top = Math.min(top, view.height - y - item.height);
          bottom = Math.max(bottom, view.height - y);
        }
        if (n <= pngPages) {
          const v = page.getViewport({ scale: 1.5 });
          const canvas = document.createElement('canvas');
          canvas.id = `pdf-page-${n}`;
          canvas.width = Math.ceil(v.width);
          canvas.height = Math.ceil(v.height);
          document.body.appendChild(canvas);
          await page.render({ canvas, canvasContext: canvas.getContext('2d'), viewport: v }).promise;
        }
        pages.push({ width: view.width, height: view.height, text: text.replace(/[ \t]+/g, ' ').toLowerCase(), left, right, top, bottom });
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

/** axe-core violations on the open page (every rule axe runs by default). */
async function axe(page) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations);
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
}

/** Elements inside `selector` that cross the printable width `w`, in print media at that viewport width. */
async function overMargins(page, selector, w) {
  return page.evaluate(([selector, w]) => {
    const out = [];
    for (const el of document.querySelectorAll(`${selector} *`)) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.right > w + 0.5 || r.left < -0.5)) out.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 40)}" ${r.left.toFixed(0)}..${r.right.toFixed(0)}px`);
    }
    return out;
  }, [selector, w]);
}

/** Release-phase ids of the .checklist-stage / .print-stage sections, in page order. */
const stagesOf = (page, selector) => page.locator(selector).evaluateAll((els) => els.map((e) => e.dataset.stage));

function inTimelineOrder(stages) {
  const ranks = stages.map((s) => TIMELINE.indexOf(s));
  return ranks.every((r, i) => r >= 0 && (i === 0 || r > ranks[i - 1]));
}

try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(15000);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);

  // ------------------------------------------------------------ paper

  for (const [who, budget] of Object.entries(BUDGETS)) {
    for (const [format, paper] of Object.entries(PAPER)) {
      await step(`print/${who}.html on ${format}: at most ${budget} page(s), nothing cut at a margin, no site chrome`, page, async () => {
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.emulateMedia({ media: null });
        await open(page, `print/${who}.html`);
        // Boxes against the printable width, with print media.
        const printable = Math.floor(paper.width - 2 * MARGIN);
        await page.emulateMedia({ media: 'print' });
        await page.setViewportSize({ width: printable, height: 1000 });
        const over = await page.evaluate((w) => {
          const out = [];
          for (const el of document.querySelectorAll('.print-sheet *')) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && (r.right > w + 0.5 || r.left < -0.5)) out.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 40)}" ${r.left.toFixed(0)}..${r.right.toFixed(0)}px`);
          }
          return out;
        }, printable);
        expect(over.length === 0, `at the ${format} printable width (${printable}px) these cross a margin:\n${over.slice(0, 10).join('\n')}`);
        await page.emulateMedia({ media: null });
        const pdf = await page.pdf({ format, printBackground: true });
        fs.writeFileSync(shot(`print-${who}-${format}.pdf`), pdf);
        const info = await readPdf(pdf, shot(`print-${who}-${format}`), 2);
        measured.push(`${who} ${format}: ${info.numPages} pages`);
        console.log(`       print/${who}.html ${format}: ${info.numPages} page(s)`);
        expect(info.numPages <= budget, `print/${who}.html takes ${info.numPages} ${format} pages; the budget is ${budget}`);
        const marginPt = (MARGIN * 72) / 96;
        info.pages.forEach((p, i) => {
          expect(p.left >= marginPt - 1 && p.right <= p.width - marginPt + 1, `page ${i + 1}: text runs ${p.left.toFixed(1)}..${p.right.toFixed(1)} pt, past the ${marginPt.toFixed(1)} pt side margins`);
          // The page number sits in the bottom margin box; the rest keeps inside.
          expect(p.top >= marginPt - 2, `page ${i + 1}: text starts ${p.top.toFixed(1)} pt from the top, inside the margin`);
        });
        const all = info.pages.map((p) => p.text).join('\n');
        for (const word of CHROME_WORDS) expect(!all.includes(word), `the ${format} PDF of print/${who}.html shows site chrome: "${word}"`);
        for (const want of ['release version', 'date', 'release type', 'sign-off']) expect(info.pages[0].text.includes(want), `page 1 lacks "${want}"`);
        // One sign-off per release phase, and every item printed.
        const { stages, items } = await page.evaluate(() => ({
          stages: document.querySelectorAll('.print-stage').length,
          items: document.querySelectorAll('.print-stage li.checklist-item').length,
        }));
        const signoffs = (all.match(/sign-off:/g) || []).length;
        expect(signoffs === stages, `${signoffs} sign-offs printed for ${stages} release phases`);
        expect(items > 0, 'no items on the sheet');
      });
    }
  }

  // ------------------------------------------------------------ the whole guide

  for (const [format, paper] of Object.entries(PAPER)) {
    await step(`print/guide.html on ${format}: a sheet per page, nothing cut at a margin, no site chrome`, page, async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.emulateMedia({ media: null });
      await open(page, 'print/guide.html');
      const printable = Math.floor(paper.width - 2 * MARGIN);
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: printable, height: 1000 });
      const over = await overMargins(page, '.guide', printable);
      expect(over.length === 0, `at the ${format} printable width (${printable}px) these cross a margin:\n${over.slice(0, 10).join('\n')}`);
      const shown = await page.evaluate(() => ({
        bar: getComputedStyle(document.querySelector('.guide-bar')).display,
        // What a page of the guide starts with: its first heading's text, without the permalink.
        starts: [...document.querySelectorAll('article.guide-page')].map((a) => {
          const h = a.querySelector('h1, h2, h3');
          return [...h.childNodes].filter((n) => !(n.classList && n.classList.contains('heading-anchor'))).map((n) => n.textContent).join('').trim().toLowerCase();
        }),
        ticked: document.querySelectorAll('input:checked, li.checklist-item.is-done').length,
        boxes: document.querySelectorAll('li.checklist-item > .print-box').length,
        // Highlighted code: a token coloured apart from the code's own text.
        highlighted: [...document.querySelectorAll('pre.hl-code span')].some((s) => getComputedStyle(s).color !== getComputedStyle(s.closest('pre')).color),
        code: document.querySelectorAll('pre.hl-code').length,
      }));
      expect(shown.bar === 'none', `the guide's bar prints (display: ${shown.bar})`);
      expect(shown.boxes > 0 && shown.ticked === 0, `${shown.boxes} checklist boxes, ${shown.ticked} ticked`);
      expect(shown.code === 0 || shown.highlighted, `${shown.code} code blocks print without highlighting`);
      await page.emulateMedia({ media: null });
      await page.setViewportSize({ width: 1280, height: 900 });
      const pdf = await page.pdf({ format, printBackground: true });
      fs.writeFileSync(shot(`print-guide-${format}.pdf`), pdf);
      const info = await readPdf(pdf, shot(`print-guide-${format}`), 3);
      measured.push(`guide ${format}: ${info.numPages} pages`);
      console.log(`       print/guide.html ${format}: ${info.numPages} page(s) for ${shown.starts.length} pages of the guide`);
      // The contents on the first sheet, then each page of the guide from a sheet of its own.
      expect(info.numPages >= shown.starts.length + 1, `${info.numPages} ${format} pages for ${shown.starts.length} pages and the contents`);
      const starting = info.pages.map((p) => p.text.trim());
      const unbroken = shown.starts.filter((start) => !starting.some((t) => t.startsWith(start.slice(0, 30))));
      expect(unbroken.length === 0, `these pages do not start a sheet: ${JSON.stringify(unbroken)}`);
      const marginPt = (MARGIN * 72) / 96;
      info.pages.forEach((p, i) => {
        expect(p.left >= marginPt - 1 && p.right <= p.width - marginPt + 1, `page ${i + 1}: text runs ${p.left.toFixed(1)}..${p.right.toFixed(1)} pt, past the ${marginPt.toFixed(1)} pt side margins`);
        expect(p.top >= marginPt - 2, `page ${i + 1}: text starts ${p.top.toFixed(1)} pt from the top, inside the margin`);
      });
      const all = info.pages.map((p) => p.text).join('\n');
      for (const word of GUIDE_CHROME_WORDS) expect(!all.includes(word), `the ${format} PDF of print/guide.html shows site chrome: "${word}"`);
    });
  }

  await step('print/guide.html works from file:// and under any path: in-page links land, nothing absolute', page, async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const absolute = await page.evaluate(() => [...document.querySelectorAll('[href], [src]')].map((e) => e.getAttribute('href') ?? e.getAttribute('src')).filter((u) => u.startsWith('/')));
    expect(absolute.length === 0, `root-absolute URLs break under a subpath: ${absolute.slice(0, 5).join(', ')}`);
    await page.goto('file://' + path.join(siteDir, 'print/guide.html'));
    const dangling = await page.evaluate(() => [...document.querySelectorAll('a[href^="#"]')].map((a) => decodeURIComponent(a.getAttribute('href').slice(1))).filter((id) => !document.getElementById(id)));
    expect(dangling.length === 0, `in-page links to nothing: ${dangling.slice(0, 5).join(', ')}`);
    const link = page.locator('.guide-contents a').nth(2);
    const target = decodeURIComponent((await link.getAttribute('href')).slice(1));
    await link.click();
    await page.waitForFunction((id) => decodeURIComponent(location.hash.slice(1)) === id, target);
    const top = await page.evaluate((id) => document.getElementById(id).getBoundingClientRect().top, target);
    expect(top >= 0 && top < 200, `after following the contents link the page is at ${top}px`);
    const back = await page.locator('.guide-back').getAttribute('href');
    expect(back === '../index.html', `the way back is ${back}`);
    await page.screenshot({ path: shot('guide-screen.png') });
  });

  await step('print header filled from the URL: version, type; blank sheet without ticks=1', page, async () => {
    await open(page, 'print/release-manager.html?type=patch&release=2.4.0&date=2026-12-05');
    const info = await page.evaluate(() => ({
      version: document.querySelector('.print-blank[data-field=version]')?.textContent,
      date: document.querySelector('.print-blank[data-field=date]')?.textContent,
      chosen: [...document.querySelectorAll('.print-type.is-chosen')].map((e) => e.dataset.type),
      ticked: document.querySelectorAll('li.is-done').length,
    }));
    expect(info.version === '2.4.0' && info.date === '2026-12-05' && JSON.stringify(info.chosen) === '["patch"]', `header reads ${JSON.stringify(info)}`);
    expect(info.ticked === 0, `${info.ticked} items printed as ticked on a sheet opened without ticks`);
  });

  // ------------------------------------------------------------ order

  await step('the Release Manager list is in timeline order on the role page and in print', page, async () => {
    await open(page, 'roles/release-manager.html');
    await ready(page);
    const site = await stagesOf(page, '.checklist-stage');
    expect(site.length >= 4 && inTimelineOrder(site), `role page phases: ${JSON.stringify(site)}`);
    expect(site[0] === 'planning', `the role page opens with ${site[0]}, not planning`);
    const firstGroup = await page.locator('.checklist-phase .checklist-phase-title').first().innerText();
    expect(firstGroup === 'Release Planning', `the first group is "${firstGroup}"`);
    // Source once per group, never per item; owners only on shared items.
    const perItem = await page.locator('li.checklist-item .checklist-source').count();
    expect(perItem === 0, `${perItem} items repeat their source`);
    const groups = await page.locator('.checklist-phase').count();
    const sources = await page.locator('.checklist-phase > .checklist-phase-source').count();
    expect(sources === groups, `${sources} source lines for ${groups} groups`);
    const lonely = await page.locator('li.checklist-item:has(.checklist-owners)').evaluateAll((lis) => lis.filter((li) => !(li.dataset.owners || '').includes(',')).length);
    expect(lonely === 0, `${lonely} items owned by the Release Manager alone still name their owner`);
    await open(page, 'print/release-manager.html');
    const paper = await stagesOf(page, '.print-stage');
    expect(JSON.stringify(paper) === JSON.stringify(site), `print phases ${JSON.stringify(paper)} differ from the role page's ${JSON.stringify(site)}`);
  });

  // ------------------------------------------------------------ release types

  await step('release types: patch < minor <= major on the role pages the content limits', page, async () => {
    const roles = fs.readdirSync(path.join(siteDir, 'roles')).filter((f) => f.endsWith('.html') && f !== 'index.html');
    const rows = [];
    let shorter = 0;
    for (const f of roles) {
      await open(page, `roles/${f}`);
      const n = await page.evaluate(() => {
        const count = (t) => new Set([...document.querySelectorAll('li.checklist-item')].filter((li) => li.dataset.types.split(' ').includes(t)).map((li) => li.dataset.item)).size;
        return { patch: count('patch'), minor: count('minor'), major: count('major') };
      });
      rows.push(`${f}: ${n.patch}/${n.minor}/${n.major}`);
      expect(n.patch <= n.minor && n.minor <= n.major, `${f}: patch ${n.patch}, minor ${n.minor}, major ${n.major}`);
      if (n.patch < n.minor) shorter++;
    }
    console.log(`       patch/minor/major items: ${rows.join(', ')}`);
    expect(shorter >= 3, `only ${shorter} role pages are shorter for a patch release than for a minor one`);
    await open(page, 'roles/release-manager.html');
    await ready(page);
    const visible = () => page.locator('li.checklist-item:visible').count();
    await page.locator('.segment', { hasText: 'Patch' }).click();
    const patch = await visible();
    await page.locator('.segment', { hasText: 'Major' }).click();
    const major = await visible();
    expect(patch < major, `the Release Manager page shows ${patch} items for patch and ${major} for major`);
    await page.locator('.segment', { hasText: 'All' }).click();
  });

  // ------------------------------------------------------------ screen

  await step('controls stay on screen while the list scrolls; each phase shows its progress', page, async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await open(page, 'roles/release-manager.html');
    await ready(page);
    await page.evaluate(() => window.scrollTo(0, 4000));
    await page.waitForTimeout(200);
    const scrolled = await page.evaluate(() => window.scrollY);
    expect(scrolled > 2000, `the page scrolled only to ${scrolled}`);
    const box = await page.locator('.checklist-toolbar').boundingBox();
    expect(box && box.y >= 0 && box.y < 150, `after scrolling the toolbar is at ${JSON.stringify(box)}`);
    const stages = await page.locator('.checklist-stage').count();
    const badges = await page.locator('.checklist-stage-title .group-progress').count();
    expect(badges === stages, `${badges} phase progress badges for ${stages} phases`);
    const labelled = await page.locator('span.group-progress[aria-label]').count();
    expect(labelled === 0, `${labelled} progress badges are spans with aria-label`);
    await page.screenshot({ path: shot('role-release-manager-scrolled.png') });
  });

  await step('on a phone (390x844) the controls stay on screen while the list scrolls, and cover no item', page, async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open(page, 'roles/release-manager.html');
    await ready(page);
    await page.evaluate(() => window.scrollTo(0, 4000));
    await page.waitForTimeout(200);
    const scrolled = await page.evaluate(() => window.scrollY);
    expect(scrolled > 2000, `the page scrolled only to ${scrolled}`);
    const header = await page.locator('.site-header').boundingBox();
    const seen = await page.evaluate((headerBottom) => {
      const visible = (el) => {
        const r = el.getBoundingClientRect();
        const x = r.left + r.width / 2;
        const y = r.top + r.height / 2;
        // On screen, below the header, and the topmost thing where it is.
        return r.top >= headerBottom - 1 && r.bottom <= innerHeight && el.contains(document.elementFromPoint(x, y));
      };
      const bar = document.querySelector('.checklist-toolbar').getBoundingClientRect();
      return {
        type: visible(document.querySelector('.segmented')),
        version: visible(document.querySelector('#release-version')),
        progress: visible(document.querySelector('.checklist-progress')),
        covers: Math.max(0, bar.bottom - headerBottom),
      };
    }, header.y + header.height);
    expect(seen.type && seen.version && seen.progress, `after scrolling: ${JSON.stringify(seen)}`);
    expect(seen.covers <= 844 * 0.2, `the stuck controls take ${seen.covers}px of an 844px screen`);
    await page.screenshot({ path: shot('role-release-manager-phone-scrolled.png') });
    // Every item brought into view (as a link or a keyboard does) is clear of the controls.
    const hidden = await page.evaluate(async () => {
      const out = [];
      const items = [...document.querySelectorAll('li.checklist-item')].filter((li) => li.offsetParent);
      for (const li of items.filter((_, i) => i % 7 === 0)) {
        li.scrollIntoView({ block: 'start' });
        await new Promise((r) => requestAnimationFrame(() => r()));
        const box = li.querySelector('input[type=checkbox]').getBoundingClientRect();
        if (!li.contains(document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2))) out.push(li.dataset.item);
      }
      return out;
    });
    expect(hidden.length === 0, `items under the controls when scrolled to: ${hidden.join(', ')}`);
    // Ticking one by touch works while the controls are stuck.
    const box = page.locator('li.checklist-item:visible > input[type=checkbox]').nth(10);
    await box.scrollIntoViewIfNeeded();
    await box.click();
    expect(await box.isChecked(), 'an item below the stuck controls could not be ticked');
    await box.click();
    const violations = await axe(page);
    expect(violations.length === 0, `axe at 390px, scrolled:\n${violations.join('\n')}`);
    await page.evaluate(() => localStorage.clear());
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await step('ticks reach the printed sheet; the ticked badge has 4.5:1 contrast', page, async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    const first = page.locator('.checklist-phase').first();
    for (const box of await first.locator('li.checklist-item > input[type=checkbox]').all()) await box.check();
    const contrast = await first.locator('.group-progress').evaluate((badge) => {
      // rgb(26, 127, 55) or, for color-mix(), color(srgb 0.1 0.5 0.2).
      const rgb = (c) => c.match(/[\d.]+/g).slice(0, 3).map((v) => (c.startsWith('color(') ? Number(v) * 255 : Number(v)));
      const lum = ([r, g, b]) => {
        const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const s = getComputedStyle(badge);
      const [a, b] = [lum(rgb(s.color)), lum(rgb(s.backgroundColor))];
      return { ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), complete: badge.classList.contains('is-complete') };
    });
    expect(contrast.complete && contrast.ratio >= 4.5, `ticked badge: ${JSON.stringify(contrast)}`);
    const href = await page.locator('a.print-checklist').getAttribute('href');
    expect(href.includes('ticks=1'), `the print link is ${href}`);
    const ticked = await first.locator('li.checklist-item').count();
    await open(page, `roles/${href}`);
    const printed = await page.locator('li.checklist-item.is-done').count();
    expect(printed === ticked, `${printed} items printed as ticked, ${ticked} were ticked`);
    // The same sheet opened on its own (no ticks=1) is blank, to tick by hand.
    await open(page, 'print/release-manager.html');
    const blank = await page.locator('li.checklist-item.is-done').count();
    expect(blank === 0, `${blank} items printed as ticked on a sheet opened without ticks=1`);
  });

  await step('the site title is not cut at desktop and phone widths', page, async () => {
    for (const width of [1280, 1024, 390]) {
      await page.setViewportSize({ width, height: 800 });
      await open(page, 'index.html');
      const cut = await page.locator('.site-title').evaluate((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1 || getComputedStyle(e).textOverflow === 'ellipsis');
      const fits = await page.locator('.site-title').evaluate((e) => e.getBoundingClientRect().bottom <= e.closest('header').getBoundingClientRect().bottom + 1);
      expect(!cut && fits, `at ${width}px the site title is cut`);
      await page.screenshot({ path: shot(`title-${width}.png`), clip: { x: 0, y: 0, width, height: 80 } });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  // ------------------------------------------------------------ accessibility

  const pageTypes = ['index.html', 'octoacme-release-and-deployment-guide.html', 'roles/index.html', 'roles/release-manager.html', 'roles/qa.html', 'print/release-manager.html', 'print/all.html', 'print/guide.html', 'release-notes.html'];
  for (const target of pageTypes) {
    await step(`axe: no violations on ${target}, before and after ticking`, page, async () => {
      await page.evaluate(() => localStorage.clear());
      await open(page, target);
      const before = await axe(page);
      expect(before.length === 0, `before ticking:\n${before.join('\n')}`);
      const boxes = page.locator('li.checklist-item > input[type=checkbox]');
      if ((await boxes.count()) > 0) {
        await ready(page);
        await boxes.first().check();
        const after = await axe(page);
        expect(after.length === 0, `after ticking:\n${after.join('\n')}`);
      }
    });
  }

  const p = take();
  if (p.length) results.push({ name: 'no console errors or failed requests', ok: false, detail: p.join('\n') });
} catch (e) {
  results.push({ name: `setup (${state.current || 'launch'})`, ok: false, detail: (e && e.stack) || String(e) });
} finally {
  clearTimeout(watchdog);
  try {
    await context?.close();
  } catch {}
  server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok);
console.log(`measured: ${measured.join('; ')}`);
console.log(`screenshots and PDFs: ${shotDir}`);
if (failed.length) {
  console.log('\nfailures:');
  for (const f of failed) console.log(`- ${f.name}\n    ${f.detail.replace(/\n/g, '\n    ')}`);
}
console.log(`print: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
