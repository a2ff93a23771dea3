// Shared pieces of the real-browser tests: a static file server for a built
// site (Node's own http module), named steps that record failures with a
// screenshot and go on, and a watcher for console errors and failed or
// non-local requests.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
};

/** Serves `siteDir` on 127.0.0.1 (ephemeral port); never a file outside it. */
export function startServer(siteDir, onError = () => {}) {
  const inside = (p) => p === siteDir || p.startsWith(siteDir + path.sep);
  async function handle(req, res) {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return send(400, 'bad request\n');
    }
    if (rel.includes('\0')) return send(400, 'bad request\n');
    let file = path.resolve(siteDir, '.' + path.posix.normalize('/' + rel));
    if (!inside(file)) return send(404, 'not found\n');
    try {
      let st = await fsp.stat(file);
      if (st.isDirectory()) {
        if (!rel.endsWith('/')) return send(301, '', { Location: req.url.replace(/^([^?#]*)/, '$1/') });
        file = path.join(file, 'index.html');
        st = await fsp.stat(file);
      }
      const real = await fsp.realpath(file);
      if (!inside(real) || !st.isFile()) return send(404, 'not found\n');
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(real).toLowerCase()] || 'application/octet-stream',
        'Content-Length': st.size,
        'Cache-Control': 'no-store',
      });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(real).on('error', () => res.destroy()).pipe(res);
    } catch {
      return send(404, 'not found\n');
    }
  }
  return new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      res.on('finish', () => {
        if (res.statusCode >= 400) onError({ status: res.statusCode, url: req.url });
      });
      handle(req, res).catch((e) => {
        if (!res.headersSent) {
          res.writeHead(500);
          res.end(String(e));
        }
      });
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

export class CheckError extends Error {}

export function expect(cond, message) {
  if (!cond) throw new CheckError(message);
}

/** Named steps: each failure is recorded (with a full-page screenshot) and the run goes on. */
export function stepper(shotDir) {
  const results = [];
  const state = { current: '' };
  async function step(name, page, fn) {
    state.current = name;
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
        const file = path.join(shotDir, `FAILED-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`);
        await page.screenshot({ path: file, fullPage: true }).catch(() => {});
        console.log(`       page was ${page.url()}; screenshot ${file}`);
      }
    }
  }
  return { step, results, state };
}

/** Collects console errors, uncaught exceptions, failed and non-local requests. */
export function watcher(origin) {
  const problems = [];
  function watch(page) {
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error on ${page.url()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`uncaught exception on ${page.url()}: ${err.message}`));
    page.on('requestfailed', (req) => {
      // A download started by a click is "aborted" from the page's point of view.
      if (req.url().startsWith('data:')) return;
      problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`);
    });
    page.on('request', (req) => {
      const u = req.url();
      if (!u.startsWith(origin + '/') && !/^(data|blob|about|file):/.test(u)) {
        problems.push(`request to a non-local URL: ${u}`);
      }
    });
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
    });
  }
  function take() {
    const out = problems.filter((s) => !s.includes('/favicon.ico'));
    problems.length = 0;
    return out;
  }
  return { watch, take };
}
