#!/usr/bin/env node
// Search on a site whose `lang` is not English (issue 17): the build
// indexes words as they are, and the browser must look them up the same
// way, without English stems or stop words. Opened from file://.
//
//   node tests/browser/lang-search.test.mjs SITE_DIR [SCREENSHOT_DIR]
//
// SITE_DIR is the German site of tests/it/habits.rs. Exit status: 0 when
// every check passed, 1 when any failed, 2 on bad usage.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

import { expect, stepper } from './harness.mjs';

const [siteArg, shotArg, ...extra] = process.argv.slice(2);
if (!siteArg || extra.length) {
  console.error('usage: node lang-search.test.mjs SITE_DIR [SCREENSHOT_DIR]');
  process.exit(2);
}
const siteDir = path.resolve(siteArg);
const shotDir = path.resolve(shotArg || fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-lang-shots-')));
fs.mkdirSync(shotDir, { recursive: true });
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// [query, the page or section the first result must be, a word it marks].
const QUERIES = [
  ['was', 'index.html', 'was'],
  ['Was tun', 'index.html', 'was'],
  ['will', 'ablauf.html', 'will'],
  ['Ausfalls', 'index.html', 'ausfalls'],
  ['bereitschaftsdienst', 'index.html', 'bereitschaftsdienst'],
  ['Übergabe', 'ablauf.html', 'übergabe'],
];

const { chromium } = await import('playwright-core').catch((e) => {
  console.error(`lang-search.test.mjs: cannot load playwright-core (${e.message}); run \`npm ci --prefix tests/browser\``);
  process.exit(2);
});

const { step, results } = stepper(shotDir);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--allow-file-access-from-files'],
});

async function search(page, query) {
  const input = page.locator('#search-input');
  const shown = '#search-results a.search-result, #search-results .search-empty';
  await input.fill('');
  await page.waitForFunction((sel) => !document.querySelector(sel), shown, { timeout: 10000 });
  await input.fill(query);
  await page.waitForFunction((sel) => document.querySelector(sel), shown, { timeout: 10000 });
  await page.waitForTimeout(150);
  return page.$$eval('#search-results a.search-result', (links) =>
    links.map((a) => ({
      href: decodeURIComponent(a.getAttribute('href')),
      marks: [...a.querySelectorAll('mark')].map((m) => m.textContent.toLowerCase()),
    })),
  );
}

try {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(siteDir).href + '/index.html', { waitUntil: 'load' });
  for (const [query, want, mark] of QUERIES) {
    await step(`"${query}" finds ${want}`, page, async () => {
      const shown = await search(page, query);
      expect(shown.length > 0, `no results for "${query}"`);
      expect(shown[0].href.includes(want), `first result for "${query}": ${shown[0].href}`);
      expect(shown[0].marks.includes(mark), `"${mark}" not marked for "${query}": ${JSON.stringify(shown[0].marks)}`);
    });
  }
  await step('the page a result opens marks the word as it is', page, async () => {
    await search(page, 'Ausfalls');
    await page.locator('#search-results a.search-result').first().click();
    await page.waitForSelector('mark.search-hit', { timeout: 10000 });
    const marked = await page.$$eval('mark.search-hit', (ms) => ms.map((m) => m.textContent.toLowerCase()));
    expect(marked.includes('ausfalls'), `marked: ${JSON.stringify(marked)}`);
  });
} finally {
  await browser.close();
}

const failed = results.filter((r) => !r.ok);
console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
