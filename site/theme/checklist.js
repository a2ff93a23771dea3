/* checklist.js: interactive checklists, printable checklists and release-note
 * scaffolds. Vanilla JS, no dependencies, no network; works from file://.
 * Loaded with `defer` on every page (base.html) and on print pages.
 *
 * Storage (localStorage; falls back to memory when storage is unavailable):
 *   playbook-release-type      "all" | "patch" | "minor" | "major"
 *   playbook-release-version   the release version typed in #release-version
 *   playbook-ticks:<version>   {"<data-item>": true, ...}  ("unversioned" when no version)
 */
(function () {
  "use strict";

  var doc = document.documentElement;
  var TYPE_KEY = "playbook-release-type";
  var VERSION_KEY = "playbook-release-version";
  var TICKS_PREFIX = "playbook-ticks:";
  var TYPES = ["patch", "minor", "major"];
  var TYPE_LABELS = { all: "All", patch: "Patch", minor: "Minor", major: "Major" };

  /* ---------- Small helpers ---------- */

  var memory = {};
  var storage = {
    get: function (key) {
      try {
        var v = window.localStorage.getItem(key);
        return v === null && key in memory ? memory[key] : v;
      } catch (e) {
        return key in memory ? memory[key] : null;
      }
    },
    set: function (key, value) {
      memory[key] = value;
      try { window.localStorage.setItem(key, value); } catch (e) { /* memory only */ }
    },
    remove: function (key) {
      delete memory[key];
      try { window.localStorage.removeItem(key); } catch (e) { /* memory only */ }
    }
  };

  function toArray(list) {
    return Array.prototype.slice.call(list);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) return;
        if (name === "text") node.textContent = value;
        else if (name === "className") node.className = value;
        else node.setAttribute(name, value === true ? "" : value);
      });
    }
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function validType(t) {
    return t === "all" || TYPES.indexOf(t) >= 0 ? t : null;
  }

  function typesOf(li) {
    var raw = li.getAttribute("data-types");
    return raw ? raw.trim().split(/\s+/) : TYPES.slice();
  }

  function appliesTo(li, type) {
    return type === "all" || typesOf(li).indexOf(type) >= 0;
  }

  /** Text of an element without the parts added for the screen (anchors, progress). */
  function cleanText(node) {
    if (!node) return "";
    var copy = node.cloneNode(true);
    toArray(copy.querySelectorAll(".heading-anchor, .group-progress, .checklist-timing, .visually-hidden")).forEach(function (n) {
      n.parentNode.removeChild(n);
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  /** Inline content as Markdown-ish text: code spans keep their backticks. */
  function inlineText(node) {
    if (!node) return "";
    var copy = node.cloneNode(true);
    toArray(copy.querySelectorAll("code")).forEach(function (code) {
      code.textContent = "`" + code.textContent + "`";
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  /** Clipboard write with the execCommand fallback file:// needs. */
  function copyText(text, area) {
    function fallback() {
      return new Promise(function (resolve, reject) {
        var temp = null;
        var target = area;
        if (!target) {
          temp = el("textarea", { readonly: true, "aria-hidden": "true" });
          temp.value = text;
          temp.style.position = "fixed";
          temp.style.top = "0";
          temp.style.opacity = "0";
          document.body.appendChild(temp);
          target = temp;
        }
        var active = document.activeElement;
        target.focus();
        target.select();
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        if (temp) document.body.removeChild(temp);
        if (active && active.focus && active !== target) active.focus();
        if (ok) resolve(); else reject(new Error("copy failed"));
      });
    }
    if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(fallback);
    }
    return fallback();
  }

  /** "Copy" button feedback: "Copied", or a hint to copy by hand. */
  function copyFeedback(button, promise, label, onFail) {
    clearTimeout(button._pbTimer);
    return promise.then(function () {
      button.textContent = "Copied";
      button.classList.add("copied");
    }, function () {
      button.textContent = "Press Ctrl+C";
      if (onFail) onFail();
    }).then(function () {
      button._pbTimer = setTimeout(function () {
        button.textContent = label;
        button.classList.remove("copied");
      }, 1800);
    });
  }

  function params() {
    try { return new URLSearchParams(window.location.search); } catch (e) { return { get: function () { return null; } }; }
  }

  /* ---------- Dispatch ---------- */

  function init() {
    if (document.querySelector(".print-sheet")) initPrint();
    else initChecklists();
    initReleaseNotes();
    doc.classList.add("checklist-ready");
  }

  /* =====================================================================
   * Interactive checklists (content pages and role pages)
   * ===================================================================== */

  function initChecklists() {
    var items = toArray(document.querySelectorAll("li.checklist-item"));
    if (!items.length) return;

    var state = {
      type: validType(storage.get(TYPE_KEY)) || "all",
      version: (storage.get(VERSION_KEY) || "").trim(),
      ticks: {}
    };

    var groups = toArray(document.querySelectorAll(".checklist-group, .checklist-phase"));
    var checklists = toArray(document.querySelectorAll(".checklist")).filter(function (c) {
      return !c.classList.contains("checklist-phase");
    });

    /* --- The toolbar: the role page has one; content pages get one. --- */

    var toolbar = document.querySelector(".checklist-toolbar");
    if (!toolbar) {
      var first = document.querySelector("article .checklist") || document.querySelector(".checklist") || items[0].parentNode;
      toolbar = el("div", { className: "checklist-toolbar" });
      first.parentNode.insertBefore(toolbar, first);
    }
    var printLink = toolbar.querySelector("a.print-checklist");
    var printBase = printLink ? printLink.getAttribute("href").split("?")[0] : null;
    // Keep anything the template put there (the print link), rebuild the rest.
    while (toolbar.firstChild) toolbar.removeChild(toolbar.firstChild);
    toolbar.setAttribute("role", "region");
    toolbar.setAttribute("aria-label", "Checklist controls");

    var radios = [];
    var switchSet = el("fieldset", { className: "release-type-switch" }, [el("legend", { text: "Release type" })]);
    var segments = el("div", { className: "segmented" });
    ["all"].concat(TYPES).forEach(function (t) {
      var input = el("input", { type: "radio", name: "release-type", value: t });
      input.checked = t === state.type;
      radios.push(input);
      segments.appendChild(el("label", { className: "segment" }, [input, el("span", { text: TYPE_LABELS[t] })]));
    });
    switchSet.appendChild(segments);

    var versionInput = el("input", {
      type: "text",
      id: "release-version",
      placeholder: "e.g. 2.4.0",
      autocomplete: "off",
      spellcheck: "false",
      autocapitalize: "off",
      "aria-describedby": "release-version-hint"
    });
    versionInput.value = state.version;
    var versionField = el("div", { className: "release-version-field" }, [
      el("label", { "for": "release-version", text: "Release version" }),
      versionInput,
      el("span", { id: "release-version-hint", className: "visually-hidden", text: "Each release version keeps its own ticks." })
    ]);

    var progress = el("span", { className: "checklist-progress", role: "status", "aria-live": "polite" });
    var bar = el("span", { className: "checklist-progress-bar", "aria-hidden": "true" }, [el("span")]);
    var hiddenNote = el("span", { className: "checklist-hidden-note" });
    var progressBox = el("div", { className: "checklist-progress-box" }, [progress, bar, hiddenNote]);

    var exportButton = el("button", {
      type: "button",
      className: "export-checklist",
      "aria-expanded": "false",
      "aria-controls": "checklist-export",
      text: "Export"
    });
    var resetButton = el("button", { type: "button", className: "reset-checklist", text: "Reset" });
    var actions = el("div", { className: "checklist-actions" }, [exportButton, resetButton]);
    if (printBase) {
      printLink = el("a", { className: "print-checklist", href: printBase, text: "Print" });
      actions.appendChild(printLink);
    }

    toolbar.appendChild(switchSet);
    toolbar.appendChild(versionField);
    toolbar.appendChild(progressBox);
    toolbar.appendChild(actions);

    /* --- Export panel --- */

    var exportArea = el("textarea", { id: "checklist-export-text", readonly: true, rows: "12", spellcheck: "false" });
    var copyExport = el("button", { type: "button", className: "copy-export", text: "Copy" });
    var closeExport = el("button", { type: "button", className: "close-export", "aria-label": "Close export", text: "Close" });
    var exportPanel = el("div", { className: "checklist-export", id: "checklist-export" }, [
      el("div", { className: "checklist-export-head" }, [
        el("label", { "for": "checklist-export-text", text: "Markdown task list for the release issue" }),
        el("span", { className: "checklist-export-buttons" }, [copyExport, closeExport])
      ]),
      exportArea
    ]);
    exportPanel.hidden = true;
    toolbar.parentNode.insertBefore(exportPanel, toolbar.nextSibling);

    /* --- Checkboxes --- */

    var counter = 0;
    var byKey = {};
    var keys = [];
    items.forEach(function (li) {
      var key = li.getAttribute("data-item");
      var box = li.querySelector(":scope > input[type=checkbox]");
      if (!key || !box) return;
      box.disabled = false;
      box.removeAttribute("disabled");
      box.setAttribute("data-item", key);
      var text = li.querySelector(".checklist-text");
      if (text) {
        if (!text.id) text.id = "pb-item-text-" + ++counter;
        box.setAttribute("aria-labelledby", text.id);
      }
      var meta = li.querySelector(".checklist-meta");
      if (meta) {
        if (!meta.id) meta.id = "pb-item-meta-" + ++counter;
        box.setAttribute("aria-describedby", meta.id);
      }
      if (!byKey[key]) {
        byKey[key] = [];
        keys.push(key);
      }
      byKey[key].push(li);
      li.classList.add("is-interactive");
    });

    // A tap anywhere on the item (but on its links) toggles it: big targets on phones.
    document.addEventListener("click", function (e) {
      var li = e.target.closest && e.target.closest("li.checklist-item.is-interactive");
      if (!li || e.target.closest("a, button, input, label, textarea, select, summary")) return;
      var sel = window.getSelection && window.getSelection();
      if (sel && !sel.isCollapsed && li.contains(sel.anchorNode)) return; // selecting text
      var box = li.querySelector(":scope > input[type=checkbox]");
      if (box) box.click();
    });

    document.addEventListener("change", function (e) {
      var box = e.target;
      if (!box.matches || !box.matches("li.checklist-item > input[type=checkbox]")) return;
      var key = box.getAttribute("data-item");
      if (!key) return;
      if (box.checked) state.ticks[key] = true;
      else delete state.ticks[key];
      saveTicks();
      render();
    });

    /* --- State --- */

    function ticksKey() {
      return TICKS_PREFIX + (state.version || "unversioned");
    }

    function loadTicks() {
      var ticks = {};
      try {
        var parsed = JSON.parse(storage.get(ticksKey()) || "{}");
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
          Object.keys(parsed).forEach(function (k) { if (parsed[k] === true) ticks[k] = true; });
        }
      } catch (e) { /* corrupt entry: start empty */ }
      state.ticks = ticks;
    }

    function saveTicks() {
      if (Object.keys(state.ticks).length) storage.set(ticksKey(), JSON.stringify(state.ticks));
      else storage.remove(ticksKey());
    }

    function visible(li) {
      return !li.hidden;
    }

    function uniqueKeys(lis) {
      var seen = {};
      var out = [];
      lis.forEach(function (li) {
        var k = li.getAttribute("data-item");
        if (k && !seen[k]) {
          seen[k] = true;
          out.push(k);
        }
      });
      return out;
    }

    function applyType() {
      doc.dataset.releaseType = state.type;
      items.forEach(function (li) {
        li.hidden = !appliesTo(li, state.type);
      });
      groups.forEach(function (g) {
        g.hidden = !toArray(g.querySelectorAll("li.checklist-item")).some(visible);
      });
      checklists.forEach(function (c) {
        var any = toArray(c.querySelectorAll("li.checklist-item")).some(visible);
        var note = c.querySelector(":scope > .checklist-empty");
        if (!any && !note) {
          note = el("p", { className: "checklist-empty" });
          c.appendChild(note);
        }
        if (note) {
          note.hidden = any;
          note.textContent = "Nothing in this checklist applies to a " + state.type + " release.";
        }
      });
      radios.forEach(function (r) { r.checked = r.value === state.type; });
      updatePrintLink();
    }

    function updatePrintLink() {
      if (!printLink || !printBase) return;
      var q = [];
      if (state.type !== "all") q.push("type=" + encodeURIComponent(state.type));
      if (state.version) q.push("release=" + encodeURIComponent(state.version));
      // Printed from a page with ticks: the sheet shows them ticked.
      if (Object.keys(state.ticks).length) q.push("ticks=1");
      printLink.href = printBase + (q.length ? "?" + q.join("&") : "");
      printLink.setAttribute("aria-label", state.type === "all"
        ? "Print this checklist"
        : "Print this checklist for a " + state.type + " release");
    }

    function render() {
      keys.forEach(function (key) {
        var done = !!state.ticks[key];
        byKey[key].forEach(function (li) {
          var box = li.querySelector(":scope > input[type=checkbox]");
          if (box) box.checked = done;
          li.classList.toggle("is-done", done);
        });
      });
      var shown = uniqueKeys(items.filter(visible));
      var doneCount = shown.filter(function (k) { return state.ticks[k]; }).length;
      progress.textContent = doneCount + " of " + shown.length + " done";
      bar.firstChild.style.width = (shown.length ? Math.round((doneCount / shown.length) * 100) : 0) + "%";
      toolbar.classList.toggle("is-complete", shown.length > 0 && doneCount === shown.length);
      updatePrintLink();
      var hiddenCount = uniqueKeys(items).length - shown.length;
      hiddenNote.textContent = hiddenCount
        ? hiddenCount + (hiddenCount === 1 ? " item does" : " items do") + " not apply to a " + state.type + " release"
        : "";
      hiddenNote.hidden = !hiddenCount;

      groups.forEach(function (g) {
        var title = groupTitleElement(g);
        if (!title) return;
        var badge = title.querySelector(".group-progress");
        if (!badge) {
          badge = el("span", { className: "group-progress" });
          title.appendChild(document.createTextNode(" "));
          title.appendChild(badge);
        }
        var ks = uniqueKeys(toArray(g.querySelectorAll("li.checklist-item")).filter(visible));
        var d = ks.filter(function (k) { return state.ticks[k]; }).length;
        progressBadge(badge, d, ks.length);
      });
      // Each release phase of a role page shows its own progress too.
      toArray(document.querySelectorAll(".checklist-stage")).forEach(function (stage) {
        var title = stage.querySelector(".checklist-stage-title");
        if (!title) return;
        var badge = title.querySelector(".group-progress");
        if (!badge) {
          badge = el("span", { className: "group-progress" });
          title.appendChild(document.createTextNode(" "));
          title.appendChild(badge);
        }
        var lis = toArray(stage.querySelectorAll("li.checklist-item")).filter(visible);
        var ks = uniqueKeys(lis);
        stage.hidden = lis.length === 0;
        progressBadge(badge, ks.filter(function (k) { return state.ticks[k]; }).length, ks.length);
      });

      if (!exportPanel.hidden) exportArea.value = exportMarkdown();
    }

    /** "2/5" for the eye and "2 of 5 done" for a screen reader, both as text. */
    function progressBadge(badge, done, total) {
      while (badge.firstChild) badge.removeChild(badge.firstChild);
      badge.appendChild(el("span", { text: done + "/" + total, "aria-hidden": "true" }));
      badge.appendChild(el("span", { className: "visually-hidden", text: done + " of " + total + " done" }));
      badge.classList.toggle("is-complete", total > 0 && done === total);
    }

    /* --- Export --- */

    function groupTitleElement(g) {
      if (g.classList.contains("checklist-phase")) return g.querySelector("h2, h3");
      return g.querySelector(":scope > .checklist-group-title");
    }

    /** The heading just before an element (the section an embedded checklist sits in). */
    function headingBefore(node) {
      for (var n = node; n && n !== document.body; n = n.parentElement) {
        for (var p = n.previousElementSibling; p; p = p.previousElementSibling) {
          if (/^H[1-6]$/.test(p.tagName)) return cleanText(p);
        }
        if (n.tagName === "ARTICLE" || n.tagName === "MAIN") break;
      }
      return "";
    }

    function groupName(g) {
      var title = g.getAttribute("data-title");
      if (!title) {
        var t = groupTitleElement(g);
        var strong = t && !g.classList.contains("checklist-phase") ? t.querySelector("strong") : t;
        title = cleanText(strong);
      }
      if (!title) title = headingBefore(g.closest(".checklist") || g) || "Checklist";
      var timing = g.getAttribute("data-timing");
      if (!timing) {
        var badge = g.querySelector(".checklist-timing");
        timing = badge ? cleanText(badge) : "";
      }
      return timing ? title + " (" + timing + ")" : title;
    }

    function exportTitle() {
      var explicit = toolbar.getAttribute("data-export-title");
      if (explicit) return explicit;
      var h1 = document.querySelector("main h1, article h1");
      if (h1) return cleanText(h1);
      return document.title.split(" · ")[0];
    }

    function itemLine(li) {
      var key = li.getAttribute("data-item");
      var line = (li.classList.contains("checklist-subitem") ? "  " : "") + "- [" + (state.ticks[key] ? "x" : " ") + "] " + inlineText(li.querySelector(".checklist-text"));
      // data-owners names every owner, also where the list shows none.
      var named = li.getAttribute("data-owners");
      var owners = named ? named.split(", ") : toArray(li.querySelectorAll(".checklist-owners .owner")).map(function (o) {
        return o.textContent.replace(/\s+/g, " ").trim();
      });
      if (owners.length) line += " — " + owners.join(", ");
      var notes = [];
      if (li.getAttribute("data-optional") === "true" || li.querySelector(".checklist-optional")) notes.push("optional");
      var when = li.querySelector(".checklist-when");
      if (when) notes.push(cleanText(when));
      var types = li.querySelector(".checklist-types");
      if (types) notes.push(cleanText(types));
      if (notes.length) line += " (" + notes.join(", ") + ")";
      return line;
    }

    function exportMarkdown() {
      var head = "## " + exportTitle() + (state.version ? " — release " + state.version : "") +
        " (" + (state.type === "all" ? "all types" : state.type) + ")";
      var out = [head];
      var done = [];
      groups.forEach(function (g) {
        if (g.hidden) return;
        var lis = toArray(g.querySelectorAll("li.checklist-item")).filter(visible);
        if (!lis.length) return;
        out.push("", "### " + groupName(g));
        lis.forEach(function (li) {
          done.push(li);
          out.push(itemLine(li));
        });
      });
      // Items outside any group (not produced by playbook, but be safe).
      var loose = items.filter(function (li) { return visible(li) && done.indexOf(li) < 0; });
      if (loose.length) {
        out.push("");
        loose.forEach(function (li) { out.push(itemLine(li)); });
      }
      return out.join("\n") + "\n";
    }

    function setExport(open) {
      exportPanel.hidden = !open;
      exportButton.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        exportArea.value = exportMarkdown();
        exportArea.rows = Math.min(24, Math.max(6, exportArea.value.split("\n").length + 1));
        exportArea.focus();
        exportArea.select();
      }
    }

    exportButton.addEventListener("click", function () { setExport(exportPanel.hidden); });
    closeExport.addEventListener("click", function () {
      setExport(false);
      exportButton.focus();
    });
    exportPanel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        setExport(false);
        exportButton.focus();
      }
    });
    copyExport.addEventListener("click", function () {
      exportArea.value = exportMarkdown();
      copyFeedback(copyExport, copyText(exportArea.value, exportArea), "Copy", function () {
        exportArea.focus();
        exportArea.select();
      });
    });

    /* --- Controls --- */

    radios.forEach(function (r) {
      r.addEventListener("change", function () {
        if (!r.checked) return;
        state.type = r.value;
        storage.set(TYPE_KEY, state.type);
        applyType();
        render();
      });
    });

    versionInput.addEventListener("input", function () {
      var v = versionInput.value.trim();
      if (v === state.version) return;
      state.version = v;
      if (v) storage.set(VERSION_KEY, v);
      else storage.remove(VERSION_KEY);
      loadTicks();
      updatePrintLink();
      render();
    });

    resetButton.addEventListener("click", function () {
      var question = state.version
        ? "Clear every tick for release " + state.version + "?"
        : "Clear every tick (no release version set)?";
      if (!window.confirm(question)) return;
      state.ticks = {};
      saveTicks();
      render();
    });

    // Another tab of the site ticked something, or changed the type.
    window.addEventListener("storage", function (e) {
      if (e.key === ticksKey()) {
        loadTicks();
        render();
      } else if (e.key === TYPE_KEY && validType(e.newValue) && e.newValue !== state.type) {
        state.type = e.newValue;
        applyType();
        render();
      }
    });

    // A link to an item the release type hides (from search, a role page)
    // shows every type for this visit rather than landing nowhere.
    function revealTarget() {
      var id = decodedFragment(window.location.hash.slice(1));
      var target = id && document.getElementById(id);
      var li = target && target.closest && target.closest("li.checklist-item");
      if (!li || !li.hidden) return;
      state.type = "all";
      applyType();
      render();
      li.scrollIntoView();
    }
    window.addEventListener("hashchange", revealTarget);

    // `#50%-done` or a cut-off `%E2%8` is not an escape: take it as written
    // rather than throw (decodeURIComponent throws a URIError on it).
    function decodedFragment(fragment) {
      try {
        return decodeURIComponent(fragment);
      } catch (e) {
        return fragment;
      }
    }

    loadTicks();
    applyType();
    render();
    revealTarget();
  }

  /* =====================================================================
   * Print pages (print/<role>.html, print/all.html)
   * ===================================================================== */

  function initPrint() {
    var sheet = document.querySelector(".print-sheet");
    // The preview's bar follows the theme chosen on the site (paper stays white).
    var theme = storage.get("playbook-theme");
    if (theme === "light" || theme === "dark") doc.setAttribute("data-theme", theme);
    var container = sheet.querySelector(".print-phases") || sheet;
    var phases = toArray(container.querySelectorAll(".print-phase"));
    // Remember every phase's items so a filter can be undone.
    var model = phases.map(function (phase) {
      var list = phase.querySelector("ul.checklist-items") || phase.querySelector("ul");
      return { phase: phase, parent: phase.parentNode, list: list, items: list ? toArray(list.querySelectorAll(":scope > li.checklist-item")) : [] };
    });
    var empty = sheet.querySelector(".print-empty");

    var query = params();
    // The URL wins; else what the generator filled in (`playbook checklist --format html`).
    var type = validType(query.get("type")) || validType(sheet.getAttribute("data-release-type")) || "all";
    var version = (query.get("release") || sheet.getAttribute("data-release-version") || "").trim();

    var select = document.getElementById("print-release-type");
    var versionInput = document.getElementById("print-release-version");
    var printButton = document.querySelector(".print-button");
    var controls = document.querySelector(".print-controls");
    if (controls) controls.hidden = false;

    // `ticks=1`: opened from a page with ticks, so those ticks are printed;
    // otherwise the sheet is blank, to tick by hand.
    var ticks = {};
    if (query.get("ticks") === "1") {
      try {
        var saved = JSON.parse(storage.get(TICKS_PREFIX + (version || "unversioned")) || "{}");
        if (saved && typeof saved === "object") ticks = saved;
      } catch (e) { /* corrupt entry: a blank sheet */ }
    }
    model.forEach(function (m) {
      m.items.forEach(function (li) {
        var done = ticks[li.getAttribute("data-item")] === true;
        li.classList.toggle("is-done", done);
        var box = li.querySelector(".print-box");
        if (box) box.textContent = done ? "✓" : "";
      });
    });

    function apply() {
      doc.dataset.releaseType = type;
      var shown = 0;
      model.forEach(function (m) {
        if (!m.list) return;
        m.items.forEach(function (li) {
          if (appliesTo(li, type)) m.list.appendChild(li);
          else if (li.parentNode) li.parentNode.removeChild(li);
        });
        var keep = m.list.children.length > 0;
        if (keep) {
          m.parent.appendChild(m.phase);
          shown++;
        } else if (m.phase.parentNode) {
          m.phase.parentNode.removeChild(m.phase);
        }
      });
      toArray(sheet.querySelectorAll(".print-stage")).forEach(function (stage) {
        stage.hidden = !stage.querySelector(".print-phase");
      });
      if (empty && phases.length) {
        empty.hidden = shown > 0;
        empty.textContent = "Nothing in this checklist applies to a " + type + " release.";
      }
      toArray(document.querySelectorAll(".print-type")).forEach(function (box) {
        var on = box.getAttribute("data-type") === type;
        var glyph = box.querySelector(".print-type-box");
        if (glyph) glyph.textContent = on ? "☒" : "☐";
        box.classList.toggle("is-chosen", on);
      });
      var blank = document.querySelector('.print-blank[data-field="version"]');
      if (blank) {
        blank.textContent = version;
        blank.classList.toggle("is-filled", !!version);
      }
      // `?date=2026-12-05` fills the date; anything else leaves it blank.
      var dateBlank = document.querySelector('.print-blank[data-field="date"]');
      var date = (query.get("date") || "").trim();
      if (dateBlank && /^\d{4}-\d{2}-\d{2}$/.test(date)) {
        dateBlank.textContent = date;
        dateBlank.classList.add("is-filled");
      }
      if (select) select.value = type;
      if (versionInput && versionInput.value !== version) versionInput.value = version;
    }

    function syncUrl() {
      var q = [];
      if (type !== "all") q.push("type=" + encodeURIComponent(type));
      if (version) q.push("release=" + encodeURIComponent(version));
      try {
        window.history.replaceState(null, "", window.location.pathname + (q.length ? "?" + q.join("&") : "") + window.location.hash);
      } catch (e) { /* some file:// setups refuse; the filter still applies */ }
    }

    if (select) {
      select.addEventListener("change", function () {
        type = validType(select.value) || "all";
        apply();
        syncUrl();
      });
    }
    if (versionInput) {
      versionInput.addEventListener("input", function () {
        version = versionInput.value.trim();
        apply();
        syncUrl();
      });
    }
    if (printButton) {
      printButton.addEventListener("click", function () { window.print(); });
    }
    apply();
  }

  /* =====================================================================
   * Release-note scaffolds (release-notes.html)
   * ===================================================================== */

  function initReleaseNotes() {
    var root = document.querySelector(".release-notes");
    if (!root) return;
    var panels = toArray(root.querySelectorAll(".release-notes-panel"));

    panels.forEach(function (panel) {
      var pre = panel.querySelector("pre.release-notes-scaffold");
      if (!pre) return;
      var text = pre.textContent.replace(/\n?$/, "\n");
      var download = panel.querySelector("a.download-scaffold");
      if (download) download.href = "data:text/markdown;charset=utf-8," + encodeURIComponent(text);
      var copy = panel.querySelector("button.copy-scaffold");
      if (copy) {
        copy.addEventListener("click", function () {
          copyFeedback(copy, copyText(text), "Copy", function () {
            var range = document.createRange();
            range.selectNodeContents(pre);
            var sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
          });
        });
      }
    });

    // Tabs (the markup shows every panel when scripts do not run).
    var tabs = toArray(root.querySelectorAll('[role="tab"]'));
    var tablist = root.querySelector('[role="tablist"]');
    if (!tabs.length || !tablist) return;
    tablist.hidden = false;
    root.classList.add("is-tabbed");

    function select(tab, focus) {
      tabs.forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.tabIndex = on ? 0 : -1;
        var panel = document.getElementById(t.getAttribute("aria-controls"));
        if (panel) panel.hidden = !on;
      });
      if (focus) tab.focus();
    }

    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () { select(tab, false); });
      tab.addEventListener("keydown", function (e) {
        var next = null;
        if (e.key === "ArrowRight" || e.key === "ArrowDown") next = tabs[(i + 1) % tabs.length];
        else if (e.key === "ArrowLeft" || e.key === "ArrowUp") next = tabs[(i - 1 + tabs.length) % tabs.length];
        else if (e.key === "Home") next = tabs[0];
        else if (e.key === "End") next = tabs[tabs.length - 1];
        if (next) {
          e.preventDefault();
          select(next, true);
        }
      });
    });

    // Start on the type chosen for checklists, if any, else the first.
    var wanted = validType(params().get("type")) || validType(storage.get(TYPE_KEY));
    var start = tabs.filter(function (t) { return t.getAttribute("data-type") === wanted; })[0] || tabs[0];
    select(start, false);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
