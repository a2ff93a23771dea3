/* runs.js: a release run's page (runs/<version>/index.html). Vanilla JS, no
 * dependencies; works from file://.
 *
 * - `?role=ID` shows that role's items only (the run page "for a role").
 * - Export: the run's ticks, plus the local ticks checklist.js keeps for this
 *   version (localStorage `playbook-ticks:<version>`), as a Markdown task list
 *   `playbook run import VERSION FILE.md` reads: `- [x] text <!-- id: checklist/item -->`.
 * - Under `playbook serve` only (the server adds #playbook-run-writer with a
 *   per-server token to this page; the built site never has it): ticking an
 *   item, skipping it (with a reason), marking it not applicable (a reason
 *   optional, kept as its note) or reopening a skipped one writes the run
 *   file through POST /__playbook/runs/<version>/items.
 *   The page reloads by itself once the file is rebuilt (live reload).
 *
 * Storage: playbook-run-by   the name ticks are recorded under.
 */
(function () {
  "use strict";

  var BY_KEY = "playbook-run-by";
  var TICKS_PREFIX = "playbook-ticks:";

  function toArray(list) {
    return Array.prototype.slice.call(list);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* not kept */ }
  }

  function init() {
    var page = document.querySelector(".run-page");
    if (!page) return;
    var version = page.getAttribute("data-version") || "";
    var items = toArray(page.querySelectorAll("li.run-item"));
    var toolbar = page.querySelector(".run-toolbar");
    filterByRole(page, items);
    if (toolbar) initExport(toolbar, version, items);
    var writer = document.getElementById("playbook-run-writer");
    if (toolbar && writer && writer.getAttribute("data-token")) {
      initWriter(toolbar, version, items, writer.getAttribute("data-token"));
    }
  }

  /* ---------- ?role=ID ---------- */

  function filterByRole(page, items) {
    var role = null;
    try { role = new URLSearchParams(window.location.search).get("role"); } catch (e) { role = null; }
    if (!role) return;
    items.forEach(function (li) {
      var owners = (li.getAttribute("data-owners") || "").split(" ");
      li.hidden = owners.indexOf(role) < 0;
    });
    var note = page.querySelector(".run-role-filter");
    if (!note) return;
    var row = toArray(page.querySelectorAll(".run-roles tr[data-role]")).filter(function (tr) {
      return tr.getAttribute("data-role") === role;
    })[0];
    var name = row ? row.querySelector("th").textContent : role;
    note.textContent = "";
    note.appendChild(document.createTextNode("Showing the items of " + name + " only. "));
    note.appendChild(el("a", { href: window.location.pathname, text: "Show every item" }));
    note.hidden = false;
  }

  /* ---------- Export as a run patch ---------- */

  function itemText(li) {
    var text = li.querySelector(".run-item-text");
    return text ? text.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function localTicks(version) {
    try {
      var parsed = JSON.parse(stored(TICKS_PREFIX + version) || "{}");
      return parsed && typeof parsed === "object" ? parsed : {};
    } catch (e) {
      return {};
    }
  }

  /** The task list `playbook run import` reads; ids ride in HTML comments. */
  function patch(version, items) {
    var ticks = localTicks(version);
    var lines = ["## Release " + version, ""];
    items.forEach(function (li) {
      var id = li.getAttribute("data-item");
      var state = li.getAttribute("data-state");
      if (state === "skipped" || state === "not-applicable") return;
      var ticked = state === "done" || ticks[id] === true;
      lines.push("- [" + (ticked ? "x" : " ") + "] " + itemText(li) + " <!-- id: " + id + " -->");
    });
    return lines.join("\n") + "\n";
  }

  function initExport(toolbar, version, items) {
    var button = el("button", { type: "button", className: "export-run", "aria-expanded": "false", "aria-controls": "run-export", text: "Export run patch" });
    var area = el("textarea", { id: "run-export-text", readonly: true, rows: "10", spellcheck: "false" });
    var copy = el("button", { type: "button", className: "copy-export", text: "Copy" });
    var download = el("button", { type: "button", className: "download-export", text: "Download" });
    var panel = el("div", { className: "checklist-export", id: "run-export" }, [
      el("div", { className: "checklist-export-head" }, [
        el("label", { "for": "run-export-text", text: "Run patch: commit it, or run  playbook run import " + version + " FILE.md --by NAME" }),
        el("span", { className: "checklist-export-buttons" }, [copy, download])
      ]),
      area
    ]);
    panel.hidden = true;
    toolbar.appendChild(el("div", { className: "checklist-actions" }, [button]));
    toolbar.parentNode.insertBefore(panel, toolbar.nextSibling);
    button.addEventListener("click", function () {
      panel.hidden = !panel.hidden;
      button.setAttribute("aria-expanded", panel.hidden ? "false" : "true");
      if (!panel.hidden) {
        area.value = patch(version, items);
        area.focus();
        area.select();
      }
    });
    copy.addEventListener("click", function () {
      area.value = patch(version, items);
      area.select();
      var done = function () { copy.textContent = "Copied"; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(area.value).then(done, function () {
          try { if (document.execCommand("copy")) done(); } catch (e) { /* select stays */ }
        });
      } else {
        try { if (document.execCommand("copy")) done(); } catch (e) { /* select stays */ }
      }
    });
    download.addEventListener("click", function () {
      var blob = new Blob([patch(version, items)], { type: "text/markdown" });
      var link = el("a", { href: URL.createObjectURL(blob), download: version + "-ticks.md" });
      document.body.appendChild(link);
      link.click();
      setTimeout(function () {
        URL.revokeObjectURL(link.href);
        link.remove();
      }, 0);
    });
  }

  /* ---------- Under `playbook serve`: ticks write the run file ---------- */

  function initWriter(toolbar, version, items, token) {
    var byInput = el("input", { type: "text", id: "run-by", autocomplete: "name", spellcheck: "false", maxlength: "100" });
    byInput.value = stored(BY_KEY) || "";
    var status = el("p", { className: "run-write-status", role: "status", "aria-live": "polite" });
    toolbar.insertBefore(el("div", { className: "release-version-field run-by-field" }, [
      el("label", { "for": "run-by", text: "Ticks recorded as" }),
      byInput
    ]), toolbar.firstChild);
    toolbar.appendChild(status);
    byInput.addEventListener("change", function () { store(BY_KEY, byInput.value.trim()); });
    var endpoint = "/__playbook/runs/" + encodeURIComponent(version) + "/items";

    /** Send one change; `undo` runs when it is refused. */
    function send(body, undo, done) {
      fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Playbook-Token": token },
        body: JSON.stringify(body),
        credentials: "same-origin"
      }).then(function (response) {
        return response.text().then(function (text) {
          if (!response.ok) throw new Error(text || String(response.status));
          status.textContent = "Saved to the run file; the page updates once it is rebuilt.";
        });
      }).catch(function (err) {
        undo();
        status.textContent = "Not saved: " + (err && err.message ? err.message : "the server did not answer");
      }).then(done);
    }

    /** The name to record, or null (and a prompt to type it). */
    function who() {
      var by = byInput.value.trim();
      if (!by) {
        status.textContent = "Type your name first: the run file records who ticked what.";
        byInput.focus();
        return null;
      }
      store(BY_KEY, by);
      return by;
    }

    items.forEach(function (li) {
      var state = li.getAttribute("data-state");
      var box = li.querySelector("input[type=checkbox]");
      if (!box || (state !== "open" && state !== "done")) return;
      box.disabled = false;
      box.removeAttribute("disabled");
      li.classList.add("is-interactive");
      box.addEventListener("change", function () {
        var by = who();
        if (!by) {
          box.checked = !box.checked;
          return;
        }
        var body = { item: li.getAttribute("data-item"), state: box.checked ? "done" : "open", by: by };
        box.disabled = true;
        send(body, function () { box.checked = !box.checked; }, function () { box.disabled = false; });
      });
      if (state === "open") addSkip(li);
    });
    items.forEach(function (li) {
      var state = li.getAttribute("data-state");
      if (state === "skipped" || state === "not-applicable") addReopen(li);
    });

    /* An open item can be skipped, with a reason the run file keeps. */
    function addSkip(li) {
      var n = li.id;
      var open = el("button", { type: "button", className: "run-skip", "aria-expanded": "false", "aria-controls": n + "-skip", text: "Skip…" });
      var reason = el("input", { type: "text", id: n + "-reason", maxlength: "2000", spellcheck: "true" });
      var confirm = el("button", { type: "submit", text: "Skip with this reason" });
      var notApplicable = el("button", { type: "button", className: "run-not-applicable", text: "Not applicable" });
      var form = el("form", { className: "run-skip-form", id: n + "-skip" }, [
        el("label", { "for": n + "-reason", text: "Reason" }), reason, confirm, notApplicable
      ]);
      form.hidden = true;
      open.addEventListener("click", function () {
        form.hidden = !form.hidden;
        open.setAttribute("aria-expanded", form.hidden ? "false" : "true");
        if (!form.hidden) reason.focus();
      });
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var by = who();
        var why = reason.value.trim();
        if (!by) return;
        if (!why) {
          status.textContent = "Say why it is skipped.";
          reason.focus();
          return;
        }
        confirm.disabled = true;
        send({ item: li.getAttribute("data-item"), state: "skipped", by: by, reason: why }, function () {}, function () {
          confirm.disabled = false;
        });
      });
      /* Not applicable to this release: the reason, if any, is its note. */
      notApplicable.addEventListener("click", function () {
        var by = who();
        if (!by) return;
        var body = { item: li.getAttribute("data-item"), state: "not-applicable", by: by };
        var why = reason.value.trim();
        if (why) body.note = why;
        notApplicable.disabled = true;
        send(body, function () {}, function () { notApplicable.disabled = false; });
      });
      li.appendChild(open);
      li.appendChild(form);
    }

    /* A skipped or not-applicable item can be opened again. */
    function addReopen(li) {
      var button = el("button", { type: "button", className: "run-skip run-reopen", "aria-describedby": li.id + "-text", text: "Reopen" });
      button.addEventListener("click", function () {
        var by = who();
        if (!by) return;
        button.disabled = true;
        send({ item: li.getAttribute("data-item"), state: "open", by: by }, function () {}, function () {
          button.disabled = false;
        });
      });
      li.appendChild(button);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
