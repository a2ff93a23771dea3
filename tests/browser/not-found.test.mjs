#!/usr/bin/env node
// The 404 page of a site built without base_url, opened at missing URLs of
// any depth (issue 17): its stylesheet applies, no request it makes fails,
// its links lead to the site's root, and search still loads.
//
//   node tests/browser/not-found.test.mjs SITE_DIR SERVE_ORIGIN [SCREENSHOT_DIR]
//
// SITE_DIR is served the way GitHub Pages serves a project site: under
// /repo/, a missing path answered with /repo/404.html and status 404.
// SERVE_ORIGIN is a running `playbook serve` of the same project.
// Exit status: 0 when every check passed, 1 when any failed, 2 on bad usage.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

import { expect, stepper } from './harness.mjs';

const [siteArg, serveOrigin, shotArg, ...extra] = process.argv.slice(2);
if (!siteArg || !serveOrigin || extra.length) {
  console.error('usage: node not-found.test.mjs SITE_DIR SERVE_ORIGIN [SCREENSHOT_DIR]');
  process.exit(2);
}
const siteDir = path.resolve(siteArg);
const shotDir = path.resolve(shotArg || fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-404-shots-')));
fs.mkdirSync(shotDir, { recursive: true });
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** GitHub Pages for a project: the site under /repo/, 404.html for anything missing. */
function projectPages() {
  const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript' };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let rel = decodeURIComponent(url.pathname);
    let body = null;
    if (rel.startsWith('/repo/') && !rel.includes('..')) {
      rel = rel.slice('/repo/'.length);
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      body = await fsp.readFile(path.join(siteDir, rel)).catch(() => null);
    }
    if (body) {
      res.writeHead(200, { 'Content-Type': types[path.extname(rel)] || 'application/octet-stream' });
      return res.end(body);
    }
    res.writeHead(404, { 'Content-Type': types['.html'] });
    res.end(await fsp.readFile(path.join(siteDir, '404.html')));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const { chromium } = await import('playwright-core').catch((e) => {
  console.error(`not-found.test.mjs: cannot load playwright-core (${e.message}); run \`npm ci --prefix tests/browser\``);
  process.exit(2);
});

const { step, results } = stepper(shotDir);
const pages = await projectPages();
const pagesOrigin = `http://127.0.0.1:${pages.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });

/** Opens `url`; checks it is the styled 404 page, that nothing it loads fails, and where its home link leads. */
async function checkMissing(url, home) {
  const page = await browser.newPage();
  const problems = [];
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.url() !== url) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    expect(response.status() === 404, `status ${response.status()} for ${url}`);
    expect((await page.title()).startsWith('Page not found'), `not the 404 page: ${await page.title()}`);
    const position = await page.$eval('.site-header', (h) => getComputedStyle(h).position);
    expect(position === 'sticky', `the theme's CSS is not applied at ${url} (header position ${position})`);
    const link = await page.$eval('a[href$="index.html"]', (a) => a.href);
    expect(link === home, `the home link of ${url} leads to ${link}, not ${home}`);
    // Search loads its index from the site's root too.
    await page.fill('#search-input', 'home');
    await page.waitForSelector('#search-results a.search-result, #search-results .search-empty', { timeout: 10000 });
    await page.waitForTimeout(200);
    expect(problems.length === 0, problems.join('\n'));
    await page.screenshot({ path: path.join(shotDir, `${url.replace(/[^a-z0-9]+/gi, '-')}.png`) });
  } finally {
    await page.close();
  }
}

try {
  for (const missing of ['/repo/guide/nope/deeper/missing.html', '/repo/guide/missing', '/repo/missing.html', '/repo/%C3%BCber/nope/x']) {
    await step(`GitHub Pages (project site): ${missing}`, null, () =>
      checkMissing(pagesOrigin + missing, `${pagesOrigin}/repo/index.html`));
  }
  for (const missing of ['/a/b/missing.html', '/guide/deep/er/missing', '/missing.html']) {
    await step(`playbook serve: ${missing}`, null, () => checkMissing(serveOrigin + missing, `${serveOrigin}/index.html`));
  }
} finally {
  await browser.close();
  pages.close();
}

const failed = results.filter((r) => !r.ok);
console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
