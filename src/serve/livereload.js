// Live reload for `playbook serve`; the server adds it to every page it
// serves, and `playbook build` never does.
//
// Listens on /__playbook/events (server-sent events):
//   hello   the version of the site served; one that differs from the
//           page's own (a build while the tab was hidden or the stream was
//           reconnecting, a restarted server) reloads
//   reload  a new site is served: reload, keeping the scroll position
//   error   the latest build failed: show its diagnostics over the page
//           until the next good build (which reloads)
(() => {
  'use strict';
  const SCROLL_KEY = 'playbook-serve-scroll';
  const OVERLAY_ID = 'playbook-serve-error';

  // Put the page back where it was before a live reload.
  try {
    const saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || 'null');
    sessionStorage.removeItem(SCROLL_KEY);
    if (saved && saved.path === location.pathname) {
      const restore = () => window.scrollTo(saved.x, saved.y);
      if (document.readyState === 'complete') restore();
      else window.addEventListener('load', restore, { once: true });
    }
  } catch (_) {
    // No storage (a private window): reload without keeping the position.
  }

  function reload() {
    try {
      sessionStorage.setItem(
        SCROLL_KEY,
        JSON.stringify({ path: location.pathname, x: window.scrollX, y: window.scrollY }),
      );
    } catch (_) {
      // As above.
    }
    location.reload();
  }

  function hideOverlay() {
    const overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
  }

  function showOverlay(text) {
    hideOverlay();
    const overlay = document.createElement('div');
    overlay.id = OVERLAY_ID;
    overlay.setAttribute('role', 'alertdialog');
    overlay.setAttribute('aria-label', 'The site could not be rebuilt');
    overlay.style.cssText =
      'position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.86);' +
      'overflow:auto;padding:2rem 1rem;box-sizing:border-box;color:#f5f5f5;' +
      'font:14px/1.5 system-ui,sans-serif;text-align:left';
    const box = document.createElement('div');
    box.style.cssText =
      'max-width:60rem;margin:0 auto;background:#1e1e1e;border:2px solid #e5534b;' +
      'border-radius:6px;padding:1rem 1.25rem';
    const head = document.createElement('div');
    head.style.cssText = 'display:flex;justify-content:space-between;align-items:center;gap:1rem';
    const title = document.createElement('strong');
    title.textContent = 'The site could not be rebuilt; this page is the last good build.';
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Dismiss';
    close.setAttribute('aria-label', 'Dismiss the error');
    close.style.cssText =
      'font:inherit;background:#333;color:#f5f5f5;border:1px solid #777;border-radius:4px;' +
      'padding:.25rem .75rem;cursor:pointer';
    close.addEventListener('click', hideOverlay);
    const pre = document.createElement('pre');
    pre.style.cssText =
      'font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;' +
      'overflow-wrap:anywhere;margin:1rem 0 .5rem;color:#f5f5f5;background:none;border:0;padding:0';
    // textContent, never innerHTML: the diagnostics quote the user's text.
    pre.textContent = text;
    const hint = document.createElement('p');
    hint.style.cssText = 'margin:0;color:#bbb';
    hint.textContent = 'Fix the file and save: the page reloads by itself. Esc dismisses this.';
    head.append(title, close);
    box.append(head, pre, hint);
    overlay.append(box);
    (document.body || document.documentElement).append(overlay);
  }

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') hideOverlay();
  });

  // The version of the site this page is from, as the server says.
  let version = (document.currentScript && document.currentScript.dataset.version) || null;
  if (!('EventSource' in window)) return;

  // Only a tab that is shown keeps a stream open: browsers allow about six
  // connections to one host, and every tab would hold one. A tab shown
  // again reconnects, and reloads if the site changed meanwhile.
  let source = null;
  function connect() {
    if (source) return;
    source = new EventSource('/__playbook/events');
    source.addEventListener('hello', (e) => {
      if (version !== null && e.data !== version) reload();
      version = e.data;
    });
    source.addEventListener('reload', () => reload());
    // The stream's own connection errors are `error` events too, without
    // data; EventSource reconnects by itself after those.
    source.addEventListener('error', (e) => {
      if (typeof e.data === 'string') showOverlay(e.data);
    });
  }
  function disconnect() {
    if (source) source.close();
    source = null;
  }
  document.addEventListener('visibilitychange', () => (document.hidden ? disconnect() : connect()));
  window.addEventListener('pagehide', disconnect);
  window.addEventListener('pageshow', () => {
    if (!document.hidden) connect();
  });
  if (!document.hidden) connect();
})();
