/* search.js: search-as-you-type over the index the generator writes to search/.
 *
 * Nothing is downloaded until the reader searches: focusing or typing in the
 * box loads search/meta.js (document count, block size, term shards); a query
 * then loads only the term shards t-<first two characters>.js of its words,
 * and, once scored, the blocks d-<n>.js holding the ten documents shown.
 * Every file is a script calling playbookSearch.load(name, data), not JSON
 * fetched at runtime, so search works from file://. See src/search.rs for the
 * formats. Page URLs are site-root-relative; <html data-root> turns them into
 * links relative to this page. */
(function () {
  "use strict";

  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-results");
  if (!input || !panel) return;

  var MAX_RESULTS = 10;
  var TEASER_CHARS = 180;
  // A word that is only the start of a term scores less than the whole term.
  var PREFIX_FACTOR = 0.7;
  // The same as src/search.rs: words too common to be indexed.
  var STOP_WORDS = {};
  ("an and are as at be but by for if in into is it no not of on or such that the their " +
    "then there these they this to was will with").split(" ").forEach(function (w) {
    STOP_WORDS[w] = true;
  });
  var root = document.documentElement.getAttribute("data-root") || "";
  var container = input.closest(".search") || input.parentNode;

  var links = []; // rendered result <a> elements
  var active = -1; // index into links of the keyboard-selected result
  var timer = null; // debounce timer for typing
  var shownQuery = null; // query whose results are in the panel
  var waitingQuery = null; // query waiting for index files to load
  var enterPending = false; // Enter pressed while waiting: open the first result

  // Screen reader announcement of the result count.
  var status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  container.appendChild(status);

  /* ---------- Loading the index ---------- */

  var files = Object.create(null); // name -> data, once loaded
  var failed = Object.create(null); // name -> true when it could not load
  var requested = Object.create(null);
  var shards = Object.create(null); // name -> { terms: [], postings: [] }

  window.playbookSearch = {
    load: function (name, data) {
      files[name] = data;
    }
  };

  function request(name) {
    if (requested[name]) return;
    requested[name] = true;
    var script = document.createElement("script");
    script.src = root + "search/" + name + ".js";
    script.async = true;
    script.onload = function () {
      if (!(name in files)) failed[name] = true;
      retry();
    };
    script.onerror = function () {
      failed[name] = true;
      retry();
    };
    document.head.appendChild(script);
  }

  // Whether every file in names is loaded (or failed); requests the others.
  function have(names) {
    var ready = true;
    names.forEach(function (name) {
      if (!(name in files) && !failed[name]) {
        request(name);
        ready = false;
      }
    });
    return ready;
  }

  function anyFailed(names) {
    return names.some(function (name) { return failed[name]; });
  }

  // A file arrived: carry on with the query that waited for it, if the
  // reader has not typed something else meanwhile (that will run itself).
  function retry() {
    var query = waitingQuery;
    if (query === null) return;
    waitingQuery = null;
    if (query === input.value.trim()) render(query);
  }

  /* ---------- Querying ---------- */

  // The same as src/search.rs: lowercase, runs of letters and digits.
  var TERM = /[\p{Alphabetic}\p{N}]+/gu;

  // The query's distinct words worth looking up, each matched as a prefix.
  function queryWords(query) {
    var words = [];
    var m;
    var lower = query.toLowerCase();
    TERM.lastIndex = 0;
    while ((m = TERM.exec(lower))) {
      var w = m[0];
      if (Array.from(w).length < 2 || STOP_WORDS[w] || words.indexOf(w) >= 0) continue;
      words.push(w);
    }
    return words;
  }

  function isAsciiAlnum(c) {
    return (c >= 48 && c <= 57) || (c >= 97 && c <= 122);
  }

  // The shard holding every term that starts with word (src/search.rs shard_of).
  function shardOf(word) {
    if (isAsciiAlnum(word.charCodeAt(0)) && isAsciiAlnum(word.charCodeAt(1))) {
      return "t-" + word.slice(0, 2);
    }
    return "t-_" + (word.codePointAt(0) % 16).toString(16);
  }

  function shard(name) {
    if (!shards[name]) {
      var data = files[name] || [];
      var s = { terms: [], postings: [] };
      for (var i = 0; i + 1 < data.length; i += 2) {
        s.terms.push(data[i]);
        s.postings.push(data[i + 1]);
      }
      shards[name] = s;
    }
    return shards[name];
  }

  // Best score per document over the terms that start with word.
  function wordScores(word) {
    var s = shard(shardOf(word));
    var scores = new Map();
    // Terms are sorted as JavaScript compares strings: find the first >= word.
    var lo = 0;
    var hi = s.terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (s.terms[mid] < word) lo = mid + 1;
      else hi = mid;
    }
    for (var i = lo; i < s.terms.length && s.terms[i].lastIndexOf(word, 0) === 0; i++) {
      var factor = s.terms[i] === word ? 1 : PREFIX_FACTOR;
      var p = s.postings[i];
      var doc = 0;
      for (var j = 0; j + 1 < p.length; j += 2) {
        doc += p[j];
        var score = p[j + 1] * factor;
        var best = scores.get(doc);
        if (best === undefined || score > best) scores.set(doc, score);
      }
    }
    return scores;
  }

  // Documents matching every word (or, when none does, any word), best first.
  function runQuery(words) {
    var perWord = words.map(wordScores);
    function combine(all) {
      var total = new Map();
      perWord.forEach(function (scores) {
        scores.forEach(function (score, doc) {
          total.set(doc, (total.get(doc) || 0) + score);
        });
      });
      var hits = [];
      total.forEach(function (score, doc) {
        if (!all || perWord.every(function (s) { return s.has(doc); })) {
          hits.push({ doc: doc, score: score });
        }
      });
      return hits;
    }
    var hits = combine(true);
    if (!hits.length) hits = combine(false);
    hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return hits.slice(0, MAX_RESULTS);
  }

  function blockOf(doc, meta) {
    return "d-" + Math.floor(doc / meta.block);
  }

  // {ref, t, h, b} of a document from its loaded block.
  function docInfo(doc, meta) {
    var block = files[blockOf(doc, meta)] || [];
    var i = doc % meta.block;
    var entry = block[i];
    if (!entry) return { ref: "", t: "", h: "", b: "" };
    // The page's URL and title are on the block's first document of the page.
    var j = i;
    while (j > 0 && block[j].length < 5) j--;
    var page = block[j];
    var url = page[3] || "";
    return { ref: entry[0] ? url + "#" + entry[0] : url, t: page[4] || "", h: entry[1], b: entry[2] };
  }

  /* ---------- Highlighting ---------- */

  // Words the query matched: those starting with one of its words.
  function matches(word, words) {
    var lower = word.toLowerCase();
    for (var i = 0; i < words.length; i++) {
      if (lower.lastIndexOf(words[i], 0) === 0) return true;
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
    return (start > 0 ? "\u2026" : "") + body.slice(start, end).trim() + (end < body.length ? "\u2026" : "");
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

  // Empties the panel, to show query's results (or a message) in it.
  function reset(query) {
    shownQuery = query;
    waitingQuery = null;
    panel.textContent = "";
    links = [];
    active = -1;
    input.removeAttribute("aria-activedescendant");
  }

  function unavailable(query) {
    reset(query);
    open();
    message("Search is not available: the search index did not load.");
    enterPending = false;
  }

  // Shows query's results, first loading what they need: the index's meta
  // data, the term shards of the query's words, then the blocks of the
  // documents found. Whatever is missing is requested, and render runs again
  // (from retry) when it arrives; the panel keeps what it shows till then.
  function render(query) {
    if (!query) {
      reset(query);
      close();
      status.textContent = "";
      enterPending = false;
      return;
    }
    var needed = ["meta"];
    if (!have(needed)) { waitingQuery = query; return; }
    var meta = files.meta;
    if (failed.meta || !meta || !meta.shards || !meta.block) { unavailable(query); return; }
    var words = queryWords(query);
    needed = words.map(shardOf).filter(function (name) {
      return meta.shards.indexOf(name.slice(2)) >= 0;
    });
    if (!have(needed)) { waitingQuery = query; return; }
    if (anyFailed(needed)) { unavailable(query); return; }
    var hits = runQuery(words);
    needed = hits.map(function (hit) { return blockOf(hit.doc, meta); });
    if (!have(needed)) { waitingQuery = query; return; }
    if (anyFailed(needed)) { unavailable(query); return; }

    reset(query);
    open();
    if (!hits.length) {
      message("No results for \u201c" + query + "\u201d");
      enterPending = false;
      return;
    }
    hits.forEach(function (hit, i) {
      var d = docInfo(hit.doc, meta);
      var title = d.h && d.h !== d.t ? d.t + " \u203a " + d.h : d.t;
      var a = document.createElement("a");
      a.className = "search-result";
      a.href = root + d.ref;
      a.id = "search-result-" + i;
      a.tabIndex = -1; // arrow keys move between results; Tab leaves the box
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      var t = document.createElement("span");
      t.className = "search-result-title";
      t.innerHTML = highlight(title || d.ref, words);
      var b = document.createElement("span");
      b.className = "search-result-teaser";
      b.innerHTML = highlight(teaserText(d.b || "", words), words);
      a.appendChild(t);
      a.appendChild(b);
      panel.appendChild(a);
      links.push(a);
    });
    status.textContent = hits.length === 1 ? "1 result" : hits.length + " results";
    if (enterPending) {
      enterPending = false;
      go(links[0]);
    }
  }

  function go(link) {
    close();
    window.location.href = link.href;
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
    have(["meta"]);
    enterPending = false;
    clearTimeout(timer);
    timer = setTimeout(function () {
      timer = null;
      render(input.value.trim());
    }, 60);
  });

  input.addEventListener("focus", function () {
    have(["meta"]); // start loading the index before the first key
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
        if (waitingQuery !== null && waitingQuery === input.value.trim()) {
          enterPending = true; // open the first result once it is shown
        } else if (links.length) {
          go(links[active >= 0 ? active : 0]);
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
