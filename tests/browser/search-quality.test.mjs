#!/usr/bin/env node
// Search quality on the shipped playbook (issue 15): each query of the
// table below, typed into the search box of the site built from content/
// and opened from file://, must list the expected page or section first.
// Also: the snippet holds a <mark>, and the page the first result opens
// marks the match (mark.search-hit).
//
//   node tests/browser/search-quality.test.mjs SITE_DIR [SCREENSHOT_DIR]
//
// Exit status: 0 when every query passed, 1 when any failed, 2 on bad usage.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

import { expect, stepper } from './harness.mjs';

const [siteArg, shotArg, ...extra] = process.argv.slice(2);
if (!siteArg || extra.length) {
  console.error('usage: node search-quality.test.mjs SITE_DIR [SCREENSHOT_DIR]');
  process.exit(2);
}
const siteDir = path.resolve(siteArg);
const shotDir = path.resolve(shotArg || fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-search-shots-')));
fs.mkdirSync(shotDir, { recursive: true });
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// [query, what the first result's link must hold (page path, then #anchor),
// or a list of such when more than one answer is right].
const GUIDE = 'octoacme-release-and-deployment-guide.html';
const CHECKLIST = 'octoacme-release-management-checklist.html';
const QUERIES = [
  ['QA', 'roles/qa.html'],
  ['qa', 'roles/qa.html'],
  ['QA/Test Engineer', 'roles/qa.html'],
  ['security lead', 'roles/security-lead.html'],
  ['release notes', 'release-notes.html'],
  ['release manager', 'roles/release-manager.html'],
  ['roles', 'roles/index.html'],
  ['technical writer', 'roles/technical-writer.html'],
  ['incident commander', 'roles/incident-commander.html'],
  ['rolled back', '#rollback'],
  ['rolling back', '#rollback'],
  ['rolback', '#rollback'],
  ['rollback procedure', '#rollback-procedure'],
  ['oncall', 'roles/on-call.html'],
  ['on-call', 'roles/on-call.html'],
  ['signoff', ['roles/qa.html', 'roles/product-manager.html']],
  ['sign-off', ['roles/qa.html', 'roles/product-manager.html']],
  ['2.4.0', 'octoacme-decision-log.html#the-fields-of-a-decision-record'],
  ['deployed', 'deployment'],
  ['deploying', 'deployment'],
  ['hotfixes', '#hotfix'],
  ['hotfx', '#hotfix'],
  ['decision log', 'octoacme-decision-log.html'],
  ['go/no-go', '#'],
  ['smoke tests', 'roles/qa.html'],
  ['database backup', '#pre-deployment'],
  ['release metrics', CHECKLIST + '#release-metrics-to-track'],
  ['escalation', 'octoacme-risks-and-communication.html#incident-escalation'],
  ['handoff to support', '#'],
  ['pre-release requirements', GUIDE + '#pre-release-requirements'],
];

const { chromium } = await import('playwright-core').catch((e) => {
  console.error(`search-quality.test.mjs: cannot load playwright-core (${e.message}); run \`npm ci --prefix tests/browser\``);
  process.exit(2);
});

const { step, results } = stepper(shotDir);
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-chromium-'));
const home = pathToFileURL(siteDir).href + '/index.html';
let context;

/** The results shown for `query`: [{href, title, teaser, marks}]. */
async function search(page, query) {
  const input = page.locator('#search-input');
  const shown = '#search-results a.search-result, #search-results .search-empty';
  await input.fill('');
  await page.waitForFunction((sel) => !document.querySelector(sel), shown, { timeout: 10000 });
  await input.fill(query);
  await page.waitForFunction((sel) => document.querySelector(sel), shown, { timeout: 10000 });
  // Let a debounced render settle.
  await page.waitForTimeout(150);
  return page.$$eval('#search-results a.search-result', (links) =>
    links.map((a) => ({
      href: decodeURIComponent(a.getAttribute('href')),
      title: a.querySelector('.search-result-title')?.textContent || '',
      teaser: a.querySelector('.search-result-teaser')?.textContent || '',
      marks: [...a.querySelectorAll('mark')].map((m) => m.textContent),
    })),
  );
}

try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--allow-file-access-from-files'],
  });
  const page = context.pages()[0] || (await context.newPage());
  await page.goto(home, { waitUntil: 'load' });

  expect(QUERIES.length >= 25, 'the table has at least 25 queries');
  for (const [query, want] of QUERIES) {
    await step(`"${query}" lists ${want} first`, page, async () => {
      const shown = await search(page, query);
      expect(shown.length > 0, `no results for "${query}"`);
      const first = shown[0];
      const where = first.href.replace(/\?highlight=[^#]*/, '');
      const wants = Array.isArray(want) ? want : [want];
      expect(
        wants.some((w) => where.includes(w)),
        `first result for "${query}" is ${where} ("${first.title}"), expected one holding ${want}; all: ${shown
          .map((r) => r.href.replace(/\?highlight=[^#]*/, ''))
          .join(', ')}`,
      );
      expect(first.marks.length > 0, `the first result for "${query}" marks no match: ${first.title} / ${first.teaser}`);
      expect(!/[a-z]·|·[A-Za-z]/.test(first.teaser), `snippet glues list items: ${first.teaser}`);
    });
  }

  await step('a result opens its page with the match marked', page, async () => {
    const shown = await search(page, 'rolled back');
    const href = shown[0].href;
    expect(href.includes('?highlight='), `the result link carries no ?highlight=: ${href}`);
    await page.locator('#search-results a.search-result').first().click();
    await page.waitForSelector('mark.search-hit', { timeout: 10000 });
    const marked = await page.$$eval('mark.search-hit', (ms) => ms.map((m) => m.textContent.toLowerCase()));
    expect(marked.some((m) => m.startsWith('roll')), `marked on the page: ${JSON.stringify(marked.slice(0, 10))}`);
    await page.screenshot({ path: path.join(shotDir, 'search-hit.png') });
  });

  await step('a typo a search loads only the shards it needs', page, async () => {
    await page.goto(home, { waitUntil: 'load' });
    await search(page, 'rolback');
    const loaded = await page.$$eval('script[src*="search/t-"]', (s) => s.map((e) => e.getAttribute('src')));
    expect(loaded.length <= 6, `"rolback" loaded ${loaded.length} term shards: ${loaded.join(', ')}`);
  });
} finally {
  await context?.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok);
console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
