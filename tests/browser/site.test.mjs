#!/usr/bin/env node
// Real-browser test of a site built by `playbook build`.
//
//   node tests/browser/site.test.mjs SITE_DIR [SCREENSHOT_DIR] [options]
//
// Serves SITE_DIR on 127.0.0.1 (ephemeral port, Node's own http module), drives
// Debian's Chromium through playwright-core and checks the DOM contract of the
// generated site (/tmp/frontend-spec.md): console and network cleanliness,
// sidebar navigation, search, phone layout, light/dark themes.
//
// Options (each also settable by the environment variable in brackets; the
// defaults fit tests/fixtures/browser-site):
//   --nav "A>B"          sidebar link texts to click in turn, starting on the home
//                        page                                   [PLAYBOOK_NAV]
//   --nav-url URL        site-relative URL the last click must land on
//                                                               [PLAYBOOK_NAV_URL]
//   --query WORD         text typed into #search-input         [PLAYBOOK_QUERY]
//   --expect-title TEXT  text the first result's title must contain
//                                                               [PLAYBOOK_EXPECT_TITLE]
//   --expect-url URL     site-relative URL (without #fragment) Enter must open
//                                                               [PLAYBOOK_EXPECT_URL]
//   --phone-page URL     site-relative page checked at 390x844 (besides home)
//                                                               [PLAYBOOK_PHONE_PAGE]
// Environment: CHROMIUM (default /usr/bin/chromium), PLAYBOOK_BROWSER_TIMEOUT_MS
// (whole-run watchdog, default 180000).
//
// Exit status: 0 when every check passed, 1 when any failed, 2 on bad usage.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

// ---------------------------------------------------------------- arguments

const DEFAULTS = {
  nav: 'Deployment>Rollback',
  'nav-url': 'deploy/rollback.html',
  query: 'kumquat',
  'expect-title': 'Rollback',
  'expect-url': 'deploy/rollback.html',
  'phone-page': 'getting-started.html',
};

function usage(msg) {
  if (msg) console.error(`site.test.mjs: ${msg}`);
  console.error(
    'usage: node site.test.mjs SITE_DIR [SCREENSHOT_DIR] [--nav "A>B"] [--nav-url URL] ' +
      '[--query WORD] [--expect-title TEXT] [--expect-url URL] [--phone-page URL]',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const positional = [];
  const opts = {};
  for (const key of Object.keys(DEFAULTS)) {
    const env = process.env['PLAYBOOK_' + key.toUpperCase().replace(/-/g, '_')];
    opts[key] = env !== undefined && env !== '' ? env : DEFAULTS[key];
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') usage();
    if (a.startsWith('--')) {
      let key = a.slice(2);
      let value;
      const eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.slice(eq + 1);
        key = key.slice(0, eq);
      } else {
        value = argv[++i];
      }
      if (!(key in DEFAULTS)) usage(`unknown option --${key}`);
      if (value === undefined) usage(`--${key} needs a value`);
      opts[key] = value;
    } else {
      positional.push(a);
    }
  }
  if (positional.length < 1 || positional.length > 2) usage('expected SITE_DIR [SCREENSHOT_DIR]');
  return { siteDir: positional[0], shotDir: positional[1], opts };
}

const { siteDir: siteArg, shotDir: shotArg, opts } = parseArgs(process.argv.slice(2));
const NAV_STEPS = opts.nav
  .split('>')
  .map((s) => s.trim())
  .filter(Boolean);
const stripSlash = (u) => u.replace(/^\/+/, '');
const NAV_URL = stripSlash(opts['nav-url']);
const QUERY = opts.query;
const EXPECT_TITLE = opts['expect-title'];
const EXPECT_URL = stripSlash(opts['expect-url']);
const PHONE_PAGE = stripSlash(opts['phone-page']);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WATCHDOG_MS = Number(process.env.PLAYBOOK_BROWSER_TIMEOUT_MS || 180000);

let siteDir;
try {
  siteDir = fs.realpathSync(path.resolve(siteArg));
  if (!fs.statSync(siteDir).isDirectory()) usage(`${siteArg} is not a directory`);
} catch (e) {
  usage(`cannot open site directory ${siteArg}: ${e.message}`);
}
if (!fs.existsSync(path.join(siteDir, 'index.html'))) {
  usage(`${siteDir} has no index.html; is it a built site?`);
}
const shotDir = path.resolve(
  shotArg || fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-screenshots-')),
);
fs.mkdirSync(shotDir, { recursive: true });

// ---------------------------------------------------------------- static server

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

/** Requests the server answered with an error status: [{status, url}]. */
const serverErrors = [];

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

async function handle(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
  }
  let rel;
  try {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    rel = decodeURIComponent(pathname);
  } catch {
    return send(res, 400, 'bad request\n');
  }
  if (rel.includes('\0')) return send(res, 400, 'bad request\n');
  // Resolve inside the site; anything that ends up outside (.., symlinks) is a 404.
  let file = path.resolve(siteDir, '.' + path.posix.normalize('/' + rel));
  const inside = (p) => p === siteDir || p.startsWith(siteDir + path.sep);
  if (!inside(file)) return send(res, 404, 'not found\n');
  try {
    let st = await fsp.stat(file);
    if (st.isDirectory()) {
      if (!rel.endsWith('/')) {
        // Keep relative URLs in the index page correct.
        return send(res, 301, '', { Location: req.url.replace(/^([^?#]*)/, '$1/') });
      }
      file = path.join(file, 'index.html');
      st = await fsp.stat(file);
    }
    const real = await fsp.realpath(file);
    if (!inside(real) || !st.isFile()) return send(res, 404, 'not found\n');
    const type = TYPES[path.extname(real).toLowerCase()] || 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': st.size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(real)
      .on('error', () => res.destroy())
      .pipe(res);
  } catch {
    return send(res, 404, 'not found\n');
  }
}

function startServer() {
  return new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      res.on('finish', () => {
        if (res.statusCode >= 400) serverErrors.push({ status: res.statusCode, url: req.url });
      });
      handle(req, res).catch((e) => {
        if (!res.headersSent) send(res, 500, String(e));
      });
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------- checks

const results = []; // {name, ok, detail}
let currentStep = '';

class CheckError extends Error {}

function expect(cond, message) {
  if (!cond) throw new CheckError(message);
}

/** Runs one named step; a failure is recorded (with a screenshot) and the run goes on. */
async function step(name, page, fn) {
  currentStep = name;
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    const detail = e instanceof CheckError ? e.message : (e && e.stack) || String(e);
    results.push({ name, ok: false, detail });
    console.log(`  FAIL ${name}\n       ${detail.replace(/\n/g, '\n       ')}`);
    if (page && !page.isClosed()) {
      const file = path.join(shotDir, `FAILED-${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.log(`       page was ${page.url()}; screenshot ${file}`);
    }
  }
}

// ---------------------------------------------------------------- browser

const { chromium } = await import('playwright-core').catch((e) => {
  console.error(
    `site.test.mjs: cannot load playwright-core (${e.message}); run \`npm ci --prefix tests/browser\``,
  );
  process.exit(2);
});

if (!fs.existsSync(CHROMIUM)) {
  console.error(`site.test.mjs: no Chromium at ${CHROMIUM} (set CHROMIUM, or apt-get install chromium)`);
  process.exit(2);
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

const server = await startServer();
const ORIGIN = `http://127.0.0.1:${server.address().port}`;
const BASE = ORIGIN + '/';
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-chromium-'));
let context;

let watchdogFired = false;
const watchdog = setTimeout(async () => {
  watchdogFired = true;
  console.error(`FAIL: browser test still running after ${WATCHDOG_MS} ms (step: ${currentStep}); giving up`);
  try {
    await context?.close();
  } catch {}
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

/** Console errors, page errors, failed and non-local requests, across the whole run. */
const problems = [];
function watch(page) {
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      problems.push(`console error on ${page.url()}: ${msg.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception on ${page.url()}: ${err.message}`));
  page.on('requestfailed', (req) =>
    problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`),
  );
  page.on('request', (req) => {
    const u = req.url();
    if (!u.startsWith(ORIGIN + '/') && !/^(data|blob|about):/.test(u)) {
      problems.push(`request to a non-local URL: ${u}`);
    }
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
  });
}
// Chromium asks for /favicon.ico by itself when a page declares no icon; that
// request is the browser's, not the site's, so its 404 is not held against the site
// (a <link rel="icon"> that points at a missing file still fails the test).
const implicitFavicon = (s) => s.includes(`${ORIGIN}/favicon.ico`) || / for \/favicon\.ico$/.test(s);
let faviconNoted = false;
function takeProblems() {
  const p = problems.splice(0);
  for (const e of serverErrors.splice(0)) p.push(`server answered ${e.status} for ${e.url}`);
  const real = p.filter((s) => !implicitFavicon(s));
  if (real.length < p.length && !faviconNoted) {
    faviconNoted = true;
    console.log('       note: the site has no /favicon.ico and pages declare no icon; Chromium\'s own request for it got a 404 (ignored)');
  }
  return [...new Set(real)];
}

const rel = (page) => {
  const u = new URL(page.url());
  return u.origin === ORIGIN ? u.pathname.replace(/^\//, '') : page.url();
};
// "deploy/" and "deploy/index.html" are the same page.
const samePage = (a, b) => a.replace(/(^|\/)index\.html$/, '$1') === b.replace(/(^|\/)index\.html$/, '$1');

async function bodyBackground(page) {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

async function waitForSearchIndex(page) {
  // Scripts are deferred; wait until search.js has run (it loads the index
  // itself, on first use) and the document is loaded.
  await page.waitForFunction(() => document.readyState === 'complete' && !!window.playbookSearch, null, {
    timeout: 10000,
  });
}

try {
  console.log(`browser test: site ${siteDir}, served at ${BASE}`);
  console.log(`browser test: Chromium ${CHROMIUM}, screenshots in ${shotDir}`);
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    colorScheme: 'light',
    reducedMotion: 'reduce',
    offline: false,
  });
  context.setDefaultTimeout(10000);
  context.setDefaultNavigationTimeout(15000);
  console.log(`browser test: browser ${context.browser()?.version() ?? '(persistent context)'}`);

  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);

  // 1. Home page loads cleanly.
  await step('home page loads with no console errors and no failed requests', page, async () => {
    const resp = await page.goto(BASE, { waitUntil: 'load' });
    expect(resp && resp.ok(), `GET / answered ${resp?.status()}`);
    await page.waitForLoadState('networkidle');
    const viewport = await page.locator('meta[name="viewport"]').count();
    expect(viewport === 1, 'no <meta name="viewport"> on the home page');
    const lang = await page.locator('html').getAttribute('lang');
    expect(lang === 'en', `<html lang> is ${JSON.stringify(lang)}, expected "en"`);
    const sidebar = await page.locator('nav.sidebar#sidebar').count();
    expect(sidebar === 1, 'no <nav class="sidebar" id="sidebar"> on the home page');
    const p = takeProblems();
    expect(p.length === 0, `home page problems:\n${p.join('\n')}`);
    await page.screenshot({ path: path.join(shotDir, 'home-desktop.png'), fullPage: true });
  });

  // 2. Sidebar navigation.
  await step(`sidebar link "${NAV_STEPS.join(' > ')}" opens ${NAV_URL} and is marked current`, page, async () => {
    await page.goto(BASE, { waitUntil: 'load' });
    for (const [i, text] of NAV_STEPS.entries()) {
      const link = page.locator('nav.sidebar').getByRole('link', { name: text, exact: true }).first();
      const n = await page.locator('nav.sidebar').getByRole('link', { name: text, exact: true }).count();
      expect(n > 0, `no link named "${text}" in nav.sidebar on ${rel(page)}`);
      const before = page.url();
      const href = await link.getAttribute('href');
      await Promise.all([page.waitForURL((u) => u.href !== before), link.click()]);
      await page.waitForLoadState('load');
      const current = page.locator('nav.sidebar a[aria-current="page"]');
      const count = await current.count();
      expect(count === 1, `after clicking "${text}" (href ${href}) on step ${i + 1}, nav.sidebar has ${count} links with aria-current="page", expected 1 (page ${rel(page)})`);
      const currentText = (await current.innerText()).trim();
      expect(currentText === text, `after clicking "${text}", the aria-current link reads "${currentText}"`);
      const cls = (await current.getAttribute('class')) || '';
      expect(cls.split(/\s+/).includes('current'), `the aria-current link has class "${cls}", expected it to include "current"`);
    }
    expect(samePage(rel(page), NAV_URL), `sidebar navigation ended on ${rel(page)}, expected ${NAV_URL}`);
    const p = takeProblems();
    expect(p.length === 0, `problems while navigating:\n${p.join('\n')}`);
  });

  // 3. Search.
  await step(`search "${QUERY}" lists "${EXPECT_TITLE}" first and Enter opens ${EXPECT_URL}`, page, async () => {
    await page.goto(BASE, { waitUntil: 'load' });
    await waitForSearchIndex(page);
    const input = page.locator('#search-input');
    expect((await input.count()) === 1, 'no #search-input on the home page');
    expect((await input.getAttribute('type')) === 'search', '#search-input is not <input type="search">');
    // The "/" shortcut focuses search.
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('/');
    const focused = await page.evaluate(() => document.activeElement?.id);
    expect(focused === 'search-input', `pressing "/" focused #${focused || '(nothing)'} instead of #search-input`);
    await input.fill('');
    await input.pressSequentially(QUERY, { delay: 20 });
    const first = page.locator('#search-results a.search-result').first();
    try {
      await first.waitFor({ state: 'visible', timeout: 5000 });
    } catch {
      const html = await page.locator('#search-results').evaluate((e) => e.outerHTML).catch(() => '(no #search-results)');
      throw new CheckError(`no visible #search-results a.search-result after typing "${QUERY}"; #search-results is: ${html.slice(0, 500)}`);
    }
    const titles = await page.locator('#search-results a.search-result .search-result-title').allInnerTexts();
    expect(titles.length > 0, 'search results have no .search-result-title');
    expect(titles.length <= 10, `search shows ${titles.length} results, at most 10 expected`);
    expect(
      titles[0].includes(EXPECT_TITLE),
      `first search result title is "${titles[0]}", expected it to contain "${EXPECT_TITLE}" (all: ${JSON.stringify(titles)})`,
    );
    const marks = await first.locator('.search-result-teaser mark').allInnerTexts();
    expect(
      marks.some((m) => m.toLowerCase().includes(QUERY.toLowerCase().slice(0, 4))),
      `first result's teaser has no <mark> around "${QUERY}" (marks: ${JSON.stringify(marks)})`,
    );
    const href = await first.getAttribute('href');
    await page.screenshot({ path: path.join(shotDir, 'search.png') });
    const before = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== before && !u.href.startsWith(before + '#')), input.press('Enter')]);
    await page.waitForLoadState('load');
    expect(samePage(rel(page), EXPECT_URL), `Enter opened ${rel(page)} (first result href ${href}), expected ${EXPECT_URL}`);
    const p = takeProblems();
    expect(p.length === 0, `problems while searching:\n${p.join('\n')}`);
  });

  // 4. Phone viewport.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const target of ['', PHONE_PAGE]) {
    const label = target || 'home';
    await step(`phone 390x844: ${label} has no horizontal scroll`, page, async () => {
      await page.goto(BASE + target, { waitUntil: 'load' });
      const { sw, iw } = await page.evaluate(() => ({
        sw: document.scrollingElement.scrollWidth,
        iw: window.innerWidth,
      }));
      if (sw > iw) {
        const culprits = await page.evaluate((iw) => {
          const out = [];
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            let clipped = false; // inside a scroll container: not what widens the page
            for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
              if (getComputedStyle(a).overflowX !== 'visible') clipped = true;
            }
            if (!clipped && r.right > iw + 1 && r.width > 0 && getComputedStyle(el).position !== 'fixed') {
              const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
              out.push(`${name} (right edge ${Math.round(r.right)}px)`);
            }
          }
          return out.slice(0, 8);
        }, iw);
        throw new CheckError(`scrollWidth ${sw} > innerWidth ${iw}; elements past the right edge: ${culprits.join(', ')}`);
      }
      await page.screenshot({ path: path.join(shotDir, `phone-${label.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true });
    });
  }

  await step('phone 390x844: #sidebar-toggle is visible and opens the sidebar', page, async () => {
    await page.goto(BASE + PHONE_PAGE, { waitUntil: 'load' });
    const toggle = page.locator('#sidebar-toggle');
    expect((await toggle.count()) === 1, 'no #sidebar-toggle');
    expect(await toggle.isVisible(), '#sidebar-toggle is not visible at 390x844');
    expect((await toggle.getAttribute('aria-controls')) === 'sidebar', '#sidebar-toggle lacks aria-controls="sidebar"');
    expect((await toggle.getAttribute('aria-expanded')) === 'false', `#sidebar-toggle starts with aria-expanded=${await toggle.getAttribute('aria-expanded')}, expected "false"`);
    // A sidebar link is usable iff it is the element actually under its centre.
    const sidebarUsable = () =>
      page.evaluate(() => {
        const links = [...document.querySelectorAll('nav.sidebar a')];
        return links.some((a) => {
          const r = a.getBoundingClientRect();
          if (r.width === 0 || r.height === 0) return false;
          const x = r.left + r.width / 2;
          const y = r.top + r.height / 2;
          if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
          const hit = document.elementFromPoint(x, y);
          return !!hit && (hit === a || a.contains(hit));
        });
      });
    expect(!(await sidebarUsable()), 'the sidebar is already open (a sidebar link is on screen) before #sidebar-toggle is clicked');
    await toggle.click();
    await page.waitForTimeout(400); // allow for a (reduced-motion) transition
    expect((await toggle.getAttribute('aria-expanded')) === 'true', `after clicking #sidebar-toggle aria-expanded is ${await toggle.getAttribute('aria-expanded')}, expected "true"`);
    expect(await sidebarUsable(), 'after clicking #sidebar-toggle no sidebar link is visible and clickable on screen');
    await page.screenshot({ path: path.join(shotDir, 'phone-menu-open.png') });
    const p = takeProblems();
    expect(p.length === 0, `problems on the phone layout:\n${p.join('\n')}`);
  });
  await page.setViewportSize({ width: 1280, height: 900 });

  // 5. Light and dark.
  let light;
  let dark;
  await step('light and dark colour schemes give different body backgrounds', page, async () => {
    await page.goto(BASE + PHONE_PAGE, { waitUntil: 'load' });
    await page.evaluate(() => localStorage.removeItem('playbook-theme'));
    await page.emulateMedia({ colorScheme: 'light' });
    await page.reload({ waitUntil: 'load' });
    light = await bodyBackground(page);
    await page.screenshot({ path: path.join(shotDir, 'light.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(100);
    dark = await bodyBackground(page);
    await page.screenshot({ path: path.join(shotDir, 'dark.png'), fullPage: true });
    console.log(`       body background: light ${light}, dark ${dark}`);
    expect(light !== dark, `body background is ${light} in both light and dark colour schemes`);
    const hl = await page.evaluate(() => ({
      light: document.getElementById('hl-light')?.getAttribute('media'),
      dark: document.getElementById('hl-dark')?.getAttribute('media'),
    }));
    expect(hl.light && hl.dark, `highlight stylesheets #hl-light/#hl-dark missing (media: ${JSON.stringify(hl)})`);
  });

  await step('#theme-toggle flips html[data-theme] and the background, and the choice persists', page, async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => localStorage.removeItem('playbook-theme'));
    await page.reload({ waitUntil: 'load' });
    const toggle = page.locator('#theme-toggle');
    expect((await toggle.count()) === 1, 'no #theme-toggle');
    const theme = () => page.locator('html').getAttribute('data-theme');
    const start = await theme();
    expect(start === null || start === 'light', `with a light system scheme and no stored choice html[data-theme] is ${start}`);
    await toggle.click();
    await page.waitForTimeout(100);
    const t1 = await theme();
    expect(t1 === 'dark', `after one click on #theme-toggle (system light) html[data-theme] is ${JSON.stringify(t1)}, expected "dark"`);
    const bg1 = await bodyBackground(page);
    expect(bg1 !== light, `forced dark theme keeps the light body background ${bg1}`);
    await page.screenshot({ path: path.join(shotDir, 'toggled-dark.png'), fullPage: true });
    await page.reload({ waitUntil: 'load' });
    const persisted = await theme();
    expect(persisted === 'dark', `after a reload html[data-theme] is ${JSON.stringify(persisted)}; the dark choice was not kept (localStorage playbook-theme = ${await page.evaluate(() => localStorage.getItem('playbook-theme'))})`);
    await toggle.click();
    await page.waitForTimeout(100);
    const t2 = await theme();
    expect(t2 === 'light', `after a second click html[data-theme] is ${JSON.stringify(t2)}, expected "light"`);
    const bg2 = await bodyBackground(page);
    expect(bg2 !== bg1, `toggling back to light keeps the dark body background ${bg2}`);
    // Forced light must win over a dark system scheme.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(100);
    const bg3 = await bodyBackground(page);
    expect(bg3 === bg2, `with data-theme="light" and a dark system scheme the body background is ${bg3}, not the light ${bg2}`);
    await page.evaluate(() => localStorage.removeItem('playbook-theme'));
    const p = takeProblems();
    expect(p.length === 0, `problems while switching themes:\n${p.join('\n')}`);
  });

  const p = takeProblems();
  if (p.length) results.push({ name: 'no late console errors or failed requests', ok: false, detail: p.join('\n') });
} catch (e) {
  results.push({ name: `setup (${currentStep || 'launch'})`, ok: false, detail: (e && e.stack) || String(e) });
  console.log(`  FAIL ${currentStep || 'launch'}: ${(e && e.stack) || e}`);
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
const passed = results.length - failed.length;
console.log(`screenshots: ${shotDir}`);
if (failed.length) {
  console.log('\nfailures:');
  for (const f of failed) console.log(`- ${f.name}\n    ${f.detail.replace(/\n/g, '\n    ')}`);
}
console.log(`browser: ${passed} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
