/* search.js: search-as-you-type on top of elasticlunr.js.
 *
 * The generator writes searchindex.js, which sets window.playbookSearchIndex =
 * { index: <serialized elasticlunr index>, docs: { ref: {t, h, b} } }.
 * It is a script (not JSON fetched at runtime) so search works from file://.
 * Refs are site-root-relative URLs; <html data-root> turns them into links
 * relative to this page. The index is loaded lazily on first use. */
(function () {
  "use strict";

  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-results");
  if (!input || !panel) return;

  var MAX_RESULTS = 10;
  var TEASER_CHARS = 180;
  var root = document.documentElement.getAttribute("data-root") || "";
  var container = input.closest(".search") || input.parentNode;

  var index = null; // elasticlunr.Index, once loaded
  var docs = null;
  var links = []; // rendered result <a> elements
  var active = -1; // index into links of the keyboard-selected result
  var timer = null; // debounce timer for typing
  var shownQuery = null; // query whose results are in the panel

  // Screen reader announcement of the result count.
  var status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  container.appendChild(status);

  function ensureIndex() {
    if (index) return true;
    var data = window.playbookSearchIndex;
    if (!data || !data.index || !window.elasticlunr) return false;
    index = window.elasticlunr.Index.load(data.index);
    docs = data.docs || {};
    return true;
  }

  function runQuery(query) {
    var config = {
      fields: { title: { boost: 3 }, heading: { boost: 2 }, body: { boost: 1 } },
      expand: true,
      bool: "AND"
    };
    var hits = index.search(query, config);
    if (!hits.length) {
      config.bool = "OR";
      hits = index.search(query, config);
    }
    return hits.slice(0, MAX_RESULTS);
  }

  /* ---------- Highlighting ---------- */

  // What to highlight: the query's terms both as typed (prefix match, so
  // "deploy" marks "deployment") and as stemmed by the index pipeline, which
  // is how elasticlunr matched them (so "rolled" marks "rolling").
  function queryTerms(query) {
    var raw = window.elasticlunr.tokenizer(query)
      .map(function (t) { return t.replace(/^\W+|\W+$/g, ""); })
      .filter(function (t) { return t.length > 1; });
    return { raw: raw, stems: index.pipeline.run(raw).filter(Boolean) };
  }

  function matches(word, terms) {
    var lower = word.toLowerCase();
    for (var i = 0; i < terms.raw.length; i++) {
      if (lower.indexOf(terms.raw[i]) === 0) return true;
    }
    var stem = index.pipeline.run([lower])[0]; // undefined for stop words
    if (!stem) return false;
    for (var j = 0; j < terms.stems.length; j++) {
      if (stem.indexOf(terms.stems[j]) === 0) return true;
    }
    return false;
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  var WORD = /[\p{L}\p{N}_]+/gu;

  // Escaped HTML of `text` with matching words wrapped in <mark>.
  function highlight(text, terms) {
    var out = "";
    var last = 0;
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      if (!matches(m[0], terms)) continue;
      out += escapeHtml(text.slice(last, m.index)) + "<mark>" + escapeHtml(m[0]) + "</mark>";
      last = m.index + m[0].length;
    }
    return out + escapeHtml(text.slice(last));
  }

  // A window of the body text around the first match, cut at word boundaries.
  function teaserText(body, terms) {
    if (body.length <= TEASER_CHARS) return body;
    var first = -1;
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(body))) {
      if (matches(m[0], terms)) { first = m.index; break; }
    }
    var start = first > 40 ? first - 40 : 0;
    if (start > 0) {
      var space = body.indexOf(" ", start);
      start = space >= 0 && space < first ? space + 1 : start;
    }
    var end = Math.min(body.length, start + TEASER_CHARS);
    if (end < body.length) {
      var cut = body.lastIndexOf(" ", end);
      if (cut > start + TEASER_CHARS / 2) end = cut;
    }
    return (start > 0 ? "…" : "") + body.slice(start, end).trim() + (end < body.length ? "…" : "");
  }

  /* ---------- Rendering ---------- */

  function open() {
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function message(text) {
    var p = document.createElement("p");
    p.className = "search-empty";
    p.textContent = text;
    panel.appendChild(p);
    status.textContent = text;
  }

  function render(query) {
    shownQuery = query;
    panel.textContent = "";
    links = [];
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!query) {
      close();
      status.textContent = "";
      return;
    }
    open();
    if (!ensureIndex()) {
      message("Search is not available: the search index did not load.");
      return;
    }
    var hits = runQuery(query);
    if (!hits.length) {
      message("No results for \u201c" + query + "\u201d");
      return;
    }
    var terms = queryTerms(query);
    hits.forEach(function (hit, i) {
      var d = docs[hit.ref] || { t: hit.ref, h: "", b: "" };
      var title = d.h && d.h !== d.t ? d.t + " \u203a " + d.h : d.t;
      var a = document.createElement("a");
      a.className = "search-result";
      a.href = root + hit.ref;
      a.id = "search-result-" + i;
      a.tabIndex = -1; // arrow keys move between results; Tab leaves the box
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      var t = document.createElement("span");
      t.className = "search-result-title";
      t.innerHTML = highlight(title || hit.ref, terms);
      var b = document.createElement("span");
      b.className = "search-result-teaser";
      b.innerHTML = highlight(teaserText(d.b || "", terms), terms);
      a.appendChild(t);
      a.appendChild(b);
      panel.appendChild(a);
      links.push(a);
    });
    status.textContent = hits.length === 1 ? "1 result" : hits.length + " results";
  }

  function select(i, byMouse) {
    if (!links.length) return;
    if (active >= 0) {
      links[active].classList.remove("active");
      links[active].setAttribute("aria-selected", "false");
    }
    active = (i + links.length) % links.length;
    var a = links[active];
    a.classList.add("active");
    a.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", a.id);
    if (!byMouse) a.scrollIntoView({ block: "nearest" });
  }

  // Run any pending (debounced) search now, so keys act on current results.
  function flush() {
    var query = input.value.trim();
    if (timer !== null || query !== shownQuery) {
      clearTimeout(timer);
      timer = null;
      render(query);
    }
  }

  /* ---------- Events ---------- */

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      timer = null;
      render(input.value.trim());
    }, 60);
  });

  input.addEventListener("focus", function () {
    if (input.value.trim()) flush();
    if (shownQuery && input.value.trim()) open();
  });

  input.addEventListener("keydown", function (e) {
    if (e.isComposing) return;
    switch (e.key) {
      case "ArrowDown":
      case "ArrowUp":
        e.preventDefault();
        flush();
        if (!input.value.trim()) return;
        open();
        if (e.key === "ArrowDown") select(active + 1);
        else select(active < 0 ? -1 : active - 1);
        break;
      case "Enter":
        e.preventDefault();
        flush();
        if (links.length) {
          var target = links[active >= 0 ? active : 0];
          close();
          window.location.href = target.href;
        }
        break;
      case "Escape":
        // Close the panel first, then clear the box, then leave it.
        e.preventDefault();
        if (!panel.hidden) close();
        else if (input.value) { input.value = ""; render(""); }
        else input.blur();
        break;
    }
  });

  // Keep focus in the input while clicking a result (Safari does not focus
  // links on click, which would otherwise close the panel before the click).
  panel.addEventListener("mousedown", function (e) { e.preventDefault(); });
  panel.addEventListener("click", function (e) {
    if (e.target.closest("a")) close(); // same-page anchors don't unload the page
  });
  panel.addEventListener("mousemove", function (e) {
    var a = e.target.closest && e.target.closest("a.search-result");
    var i = links.indexOf(a);
    if (i >= 0 && i !== active) select(i, true);
  });

  // Clicking or tabbing elsewhere closes the panel.
  container.addEventListener("focusout", function (e) {
    if (!e.relatedTarget || !container.contains(e.relatedTarget)) close();
  });
  document.addEventListener("mousedown", function (e) {
    if (!container.contains(e.target)) close();
  });
})();
