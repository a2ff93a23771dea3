/* search.js: search-as-you-type over the index the generator writes to search/.
 *
 * Nothing is downloaded until the reader searches: focusing or typing in the
 * box loads search/meta.js (document count, block size, term shards, stop
 * words) and theme/stemmer.js (the build's own stemmer and word splitter); a
 * query then loads only the term shards t-<first two characters>.js of its
 * words' stems, and, once scored, the blocks d-<n>.js holding the ten
 * documents shown. A word that matches nothing is tried with one typing
 * mistake, in the few shards such terms can be in. Every file is a script
 * calling playbookSearch.load(name, data), not JSON fetched at runtime, so
 * search works from file://. See src/search.rs for the formats. Page URLs are
 * site-root-relative; <html data-root> turns them into links relative to
 * this page. A result's link carries ?highlight=<terms>, and the page it
 * opens marks them. */
(function () {
  "use strict";

  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-results");
  if (!input || !panel) return;

  var MAX_RESULTS = 10;
  var TEASER_CHARS = 180;
  // A word that is only the start of a term scores less than the whole term,
  // and a term one typing mistake away less again.
  var PREFIX_FACTOR = 0.7;
  var TYPO_FACTOR = 0.5;
  // Two words matching one term run together ("rolled back": rollback) are
  // a phrase, worth more than the words apart.
  var JOIN_FACTOR = 1;
  // A result whose title is the query, all of it, comes first.
  var EXACT_TITLE_FACTOR = 10;
  // Shortest word tried with a typo: shorter ones are one edit from too much.
  var TYPO_MIN = 4;
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
    script.src = root + (name === "stemmer" ? "theme/stemmer.js" : "search/" + name + ".js");
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
    markPageWhenReady();
    var query = waitingQuery;
    if (query === null) return;
    waitingQuery = null;
    if (query === input.value.trim()) render(query);
  }

  /* ---------- Querying ---------- */

  // The query as units to match, each {raw, term, joins}: a word worth
  // indexing (a hyphenated one whole, as the build indexes it too), and the
  // terms of it run together with a neighbour ("rolled back": "rollback").
  function queryUnits(query) {
    var S = files.stemmer;
    var tokens = S.words(query.toLowerCase());
    var compounds = tokens.filter(function (t) { return t.compound; });
    var plain = tokens.filter(function (t) {
      return !t.compound && !compounds.some(function (c) { return t.start >= c.start && t.end <= c.end; });
    });
    var units = [];
    function unitFor(raw) {
      var term = S.term(raw);
      for (var i = 0; i < units.length; i++) if (units[i].term === term) return units[i];
      var unit = { raw: raw.replace(/-/g, ""), term: term, joins: [] };
      units.push(unit);
      return unit;
    }
    var byToken = [];
    tokens.forEach(function (t) {
      if (t.compound) unitFor(t.text);
    });
    plain.forEach(function (t, i) {
      byToken[i] = S.worthIndexing(t.text) ? unitFor(t.text) : null;
    });
    for (var i = 0; i + 1 < plain.length; i++) {
      var a = plain[i].text;
      var b = plain[i + 1].text;
      // "rolled back": rolledback, and roll + back.
      [S.term(a + b), S.term(S.term(a) + b)].forEach(function (joined) {
        [byToken[i], byToken[i + 1]].forEach(function (unit) {
          if (unit && unit.joins.indexOf(joined) < 0 && joined !== unit.term) unit.joins.push(joined);
        });
      });
    }
    // The order typed: the last unit is the word being typed.
    units.sort(function (a, b) { return query.toLowerCase().lastIndexOf(a.raw) - query.toLowerCase().lastIndexOf(b.raw); });
    return units;
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

  // The shards a unit's exact and prefix matches are in.
  function unitShards(unit) {
    return [unit.term, unit.raw].concat(unit.joins).map(shardOf);
  }

  // Where terms one edit from word can be: its own shard, and those of a
  // first or second letter left out or the two swapped.
  function typoShards(word) {
    if (Array.from(word).length < TYPO_MIN) return [];
    return [word, word.slice(1), word[0] + word.slice(2), word[1] + word[0] + word.slice(2)].map(shardOf);
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

  // The index of the first term >= word in a shard (terms are sorted as
  // JavaScript compares strings).
  function lowerBound(s, word) {
    var lo = 0;
    var hi = s.terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (s.terms[mid] < word) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // Adds term i of shard s to scores (per document, the best score and the
  // size of its title when a term is in it), times factor.
  function addPostings(scores, s, i, factor, hitTerms) {
    var p = s.postings[i];
    var doc = 0;
    hitTerms[s.terms[i]] = true;
    for (var j = 0; j + 1 < p.length; j += 2) {
      doc += p[j];
      var score = Math.floor(p[j + 1] / 16) * factor;
      var title = p[j + 1] % 16;
      var best = scores.get(doc);
      if (best === undefined) scores.set(doc, { score: score, title: title });
      else {
        if (score > best.score) best.score = score;
        if (title) best.title = title;
      }
    }
  }

  function addExact(scores, term, factor, hitTerms) {
    var s = shard(shardOf(term));
    var i = lowerBound(s, term);
    if (i < s.terms.length && s.terms[i] === term) addPostings(scores, s, i, factor, hitTerms);
  }

  function addPrefix(scores, word, hitTerms) {
    var s = shard(shardOf(word));
    for (var i = lowerBound(s, word); i < s.terms.length && s.terms[i].lastIndexOf(word, 0) === 0; i++) {
      if (s.terms[i] !== word) addPostings(scores, s, i, PREFIX_FACTOR, hitTerms);
    }
  }

  // Whether a and b are one insertion, deletion, change or swap apart.
  function oneEdit(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    var ra = a.slice(i + 1);
    var rb = b.slice(i + 1);
    return ra === rb || a.slice(i) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i) ||
      (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  }

  // Best score per document for a unit. The last unit, being typed, also
  // matches as the start of a term, and a term its beginning is (the stem
  // of a word not finished yet). With `typos`, a unit that matches nothing
  // matches the terms one edit away.
  function unitScores(unit, last, typos, hitTerms) {
    var scores = new Map();
    addExact(scores, unit.term, 1, hitTerms);
    unit.joins.forEach(function (term) { addExact(scores, term, JOIN_FACTOR, hitTerms); });
    if (last) {
      addPrefix(scores, unit.term, hitTerms);
      if (unit.raw !== unit.term) addPrefix(scores, unit.raw, hitTerms);
      if (/^[a-z]+$/.test(unit.raw)) {
        for (var k = unit.raw.length - 1; k >= Math.max(4, unit.raw.length - 3); k--) {
          addExact(scores, unit.raw.slice(0, k), PREFIX_FACTOR, hitTerms);
        }
      }
    }
    if (!scores.size && typos) {
      var words = unit.raw === unit.term ? [unit.term] : [unit.term, unit.raw];
      words.forEach(function (word) {
        typoShards(word).forEach(function (name) {
          var s = shard(name);
          for (var i = 0; i < s.terms.length; i++) {
            if (oneEdit(word, s.terms[i])) addPostings(scores, s, i, TYPO_FACTOR, hitTerms);
          }
        });
      });
    }
    return scores;
  }

  // Documents matching every unit (or, when none does, any unit), best
  // first. A document whose title has every unit scores more, the more so
  // the less else its title has: the page named "Release notes" before a
  // section that mentions release notes.
  function runQuery(units, typos, hitTerms) {
    var perUnit = units.map(function (unit, i) {
      return unitScores(unit, i === units.length - 1, typos, hitTerms);
    });
    function combine(all) {
      var total = new Map();
      perUnit.forEach(function (scores) {
        scores.forEach(function (hit, doc) {
          total.set(doc, (total.get(doc) || 0) + hit.score);
        });
      });
      var hits = [];
      total.forEach(function (score, doc) {
        if (!all || perUnit.every(function (s) { return s.has(doc); })) {
          var title = 0;
          var inTitle = perUnit.every(function (s) {
            var hit = s.get(doc);
            title = hit ? hit.title : 0;
            return title > 0;
          });
          if (inTitle) {
            // The query is the whole title: the page the reader named.
            var share = Math.min(1, perUnit.length / title);
            score *= share === 1 ? EXACT_TITLE_FACTOR : 1 + 2 * share * share;
          }
          hits.push({ doc: doc, score: score });
        }
      });
      return hits;
    }
    var hits = combine(true);
    if (!hits.length) hits = combine(false);
    hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return { hits: hits.slice(0, MAX_RESULTS), unmatched: perUnit.some(function (s) { return !s.size; }) };
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

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // The [start, end) spans of text's words whose term is in hitTerms (a
  // hyphenated word whole, when the whole matched).
  function matchSpans(S, text, hitTerms) {
    var spans = [];
    S.words(text.toLowerCase()).forEach(function (w) {
      if (!hitTerms[S.term(w.text)]) return;
      spans = spans.filter(function (s) { return s[0] < w.start || s[1] > w.end; });
      if (!spans.some(function (s) { return s[0] <= w.start && s[1] >= w.end; })) spans.push([w.start, w.end]);
    });
    return spans.sort(function (a, b) { return a[0] - b[0]; });
  }

  // Escaped HTML of `text` with matching words wrapped in <mark>.
  function highlight(text, hitTerms) {
    var out = "";
    var last = 0;
    matchSpans(files.stemmer, text, hitTerms).forEach(function (span) {
      out += escapeHtml(text.slice(last, span[0])) + "<mark>" + escapeHtml(text.slice(span[0], span[1])) + "</mark>";
      last = span[1];
    });
    return out + escapeHtml(text.slice(last));
  }

  var SEPARATOR = " \u00b7 "; // between list items (src/embed.rs)

  // A window of the body text around the first match, starting at the list
  // item or word it is in.
  function teaserText(body, hitTerms) {
    body = body.replace(/^\u00b7 /, "");
    if (body.length <= TEASER_CHARS) return body;
    var spans = matchSpans(files.stemmer, body, hitTerms);
    var first = spans.length ? spans[0][0] : 0;
    var start = 0;
    if (first > 40) {
      var item = body.lastIndexOf(SEPARATOR, first);
      if (item >= 0 && first - item <= TEASER_CHARS / 2) start = item + SEPARATOR.length;
      else {
        var space = body.indexOf(" ", first - 40);
        start = space >= 0 && space < first ? space + 1 : first;
      }
    }
    var end = Math.min(body.length, start + TEASER_CHARS);
    if (end < body.length) {
      var cut = body.lastIndexOf(" ", end);
      if (cut > first && cut > start + TEASER_CHARS / 2) end = cut;
    }
    return (start > 0 ? "\u2026" : "") + body.slice(start, end).trim() + (end < body.length ? "\u2026" : "");
  }

  /* ---------- The match on the page a result opens ---------- */

  // A result's link carries the terms it matched (?highlight=a+b); the page
  // it opens marks them in its content, once stemmer.js is here.
  function highlightTermsOf(url) {
    var m = /[?&]highlight=([^&#]*)/.exec(url);
    if (!m) return null;
    var terms = Object.create(null);
    decodeURIComponent(m[1].replace(/\+/g, " ")).split(" ").forEach(function (t) {
      if (t) terms[t] = true;
    });
    return terms;
  }

  function markPage(hitTerms) {
    var content = document.getElementById("content");
    if (!content) return;
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentNode;
        return parent && parent.closest("script, style, mark, textarea, button, .heading-anchor")
          ? NodeFilter.FILTER_REJECT
          : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var first = null;
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      var spans = matchSpans(files.stemmer, text, hitTerms);
      if (!spans.length) return;
      var fragment = document.createDocumentFragment();
      var last = 0;
      spans.forEach(function (span) {
        fragment.appendChild(document.createTextNode(text.slice(last, span[0])));
        var mark = document.createElement("mark");
        mark.className = "search-hit";
        mark.textContent = text.slice(span[0], span[1]);
        fragment.appendChild(mark);
        first = first || mark;
        last = span[1];
      });
      fragment.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(fragment, node);
    });
    if (first && !location.hash) first.scrollIntoView({ block: "center" });
  }

  var pageTerms = highlightTermsOf(location.search);
  function markPageWhenReady() {
    if (!pageTerms) return;
    // meta says whether the site's language is stemmed.
    if (!have(["stemmer", "meta"])) return; // retry() calls again when they arrive
    var terms = pageTerms;
    pageTerms = null;
    if (!files.stemmer) return;
    files.stemmer.setStemming(!files.meta || files.meta.stem !== false);
    markPage(terms);
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
    var needed = ["meta", "stemmer"];
    if (!have(needed)) { waitingQuery = query; return; }
    var meta = files.meta;
    var S = files.stemmer;
    if (anyFailed(needed) || !meta || !meta.shards || !meta.block || !S) { unavailable(query); return; }
    S.setStopWords(meta.stop || []);
    S.setStemming(meta.stem !== false);
    var units = queryUnits(query);
    var available = function (names) {
      return names.filter(function (name) { return meta.shards.indexOf(name.slice(2)) >= 0; });
    };
    needed = available([].concat.apply([], units.map(unitShards)));
    if (!have(needed)) { waitingQuery = query; return; }
    if (anyFailed(needed)) { unavailable(query); return; }
    var hitTerms = Object.create(null);
    var result = runQuery(units, false, hitTerms);
    if (result.unmatched) {
      // A word that matched nothing: try it with one typing mistake.
      needed = available([].concat.apply([], units.map(function (u) {
        return typoShards(u.term).concat(typoShards(u.raw));
      })));
      if (!have(needed)) { waitingQuery = query; return; }
      hitTerms = Object.create(null);
      result = runQuery(units, true, hitTerms);
    }
    var hits = result.hits;
    needed = hits.map(function (hit) { return blockOf(hit.doc, meta); });
    if (!have(needed)) { waitingQuery = query; return; }
    if (anyFailed(needed)) { unavailable(query); return; }
    var mark = Object.keys(hitTerms).slice(0, 20).join(" ");

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
      a.href = root + withHighlight(d.ref, mark);
      a.id = "search-result-" + i;
      a.tabIndex = -1; // arrow keys move between results; Tab leaves the box
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      var t = document.createElement("span");
      t.className = "search-result-title";
      t.innerHTML = highlight(title || d.ref, hitTerms);
      var b = document.createElement("span");
      b.className = "search-result-teaser";
      b.innerHTML = highlight(teaserText(d.b || "", hitTerms), hitTerms);
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

  // A page reference (url#anchor) with ?highlight= before the anchor.
  function withHighlight(ref, terms) {
    if (!terms) return ref;
    var hash = ref.indexOf("#");
    var url = hash >= 0 ? ref.slice(0, hash) : ref;
    var anchor = hash >= 0 ? ref.slice(hash) : "";
    return url + "?highlight=" + encodeURIComponent(terms).replace(/%20/g, "+") + anchor;
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

  markPageWhenReady();

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
