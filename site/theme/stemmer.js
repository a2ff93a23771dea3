/* stemmer.js: the Snowball English ("Porter2") stemmer, as the Rust crate
 * rust-stemmers 1.2 runs it, and the word splitter of src/search.rs, so a
 * query's words become the very terms the build indexed.
 *
 * stem() takes a word of the letters a-z only (src/search.rs stems no other
 * word): no apostrophes, no capitals. tests/browser/stemmer.test.mjs checks
 * that it stems a large word list exactly as the Rust crate does.
 *
 * In a page it hands itself to search.js as playbookSearch.load("stemmer", api);
 * under node it is a CommonJS module. */
(function () {
  "use strict";

  function isVowel(c) {
    return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y";
  }

  // Words stemmed as a whole, before anything else.
  var EXCEPTIONS = Object.create(null);
  [
    ["skis", "ski"], ["skies", "sky"], ["dying", "die"], ["lying", "lie"], ["tying", "tie"],
    ["idly", "idl"], ["gently", "gentl"], ["ugly", "ugli"], ["early", "earli"], ["only", "onli"],
    ["singly", "singl"], ["sky", "sky"], ["news", "news"], ["howe", "howe"], ["atlas", "atlas"],
    ["cosmos", "cosmos"], ["bias", "bias"], ["andes", "andes"]
  ].forEach(function (pair) { EXCEPTIONS[pair[0]] = pair[1]; });

  // Words left as they are after step 1a.
  var AFTER_1A = Object.create(null);
  ["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"]
    .forEach(function (w) { AFTER_1A[w] = true; });

  // Step 2 and 3 suffixes and what replaces them (null: a special case).
  var STEP2 = [
    ["ization", "ize"], ["ational", "ate"], ["fulness", "ful"], ["ousness", "ous"],
    ["iveness", "ive"], ["tional", "tion"], ["biliti", "ble"], ["lessli", "less"],
    ["entli", "ent"], ["ation", "ate"], ["alism", "al"], ["aliti", "al"], ["ousli", "ous"],
    ["iviti", "ive"], ["fulli", "ful"], ["enci", "ence"], ["anci", "ance"], ["abli", "able"],
    ["izer", "ize"], ["ator", "ate"], ["alli", "al"], ["bli", "ble"], ["ogi", null], ["li", null]
  ];
  var STEP3 = [
    ["ational", "ate"], ["tional", "tion"], ["alize", "al"], ["icate", "ic"], ["iciti", "ic"],
    ["ative", null], ["ical", "ic"], ["ness", ""], ["ful", ""]
  ];
  var STEP4 = [
    "ement", "ment", "ance", "ence", "able", "ible", "ant", "ent", "ism", "ate", "iti", "ous",
    "ive", "ize", "ion", "al", "er", "ic"
  ];

  function endsWith(s, suffix) {
    return s.length >= suffix.length && s.lastIndexOf(suffix) === s.length - suffix.length;
  }

  // The longest of `list` (entries or [entry, ...]) that s ends with.
  function longest(s, list) {
    var best = null;
    for (var i = 0; i < list.length; i++) {
      var suffix = typeof list[i] === "string" ? list[i] : list[i][0];
      if (endsWith(s, suffix) && (best === null || suffix.length > bestLength(best))) best = list[i];
    }
    return best;
  }

  function bestLength(entry) {
    return typeof entry === "string" ? entry.length : entry[0].length;
  }

  // The index past the first vowel (or non-vowel) at or after i, or -1.
  function gopast(s, i, vowel) {
    while (i < s.length && isVowel(s[i]) !== vowel) i++;
    return i < s.length ? i + 1 : -1;
  }

  // A short syllable ends s: non-vowel, vowel, non-vowel other than w, x, Y;
  // or, at the start of the word, vowel then non-vowel.
  function shortSyllable(s) {
    var n = s.length;
    if (n >= 3 && !isVowel(s[n - 3]) && isVowel(s[n - 2]) && !isVowel(s[n - 1]) &&
      s[n - 1] !== "w" && s[n - 1] !== "x" && s[n - 1] !== "Y") return true;
    return n === 2 && isVowel(s[0]) && !isVowel(s[1]);
  }

  function stem(word) {
    if (EXCEPTIONS[word] !== undefined) return EXCEPTIONS[word];
    if (word.length < 3) return word;

    // Prelude: a y at the start or after a vowel is a consonant (Y).
    var chars = word.split("");
    var yFound = false;
    if (chars[0] === "y") { chars[0] = "Y"; yFound = true; }
    for (var i = 1; i < chars.length; i++) {
      if (chars[i] === "y" && isVowel(chars[i - 1])) { chars[i] = "Y"; yFound = true; }
    }
    var s = chars.join("");

    // Regions: R1 after the first non-vowel that follows a vowel, R2 the same in R1.
    var p1 = s.length;
    var p2 = s.length;
    var at = -1;
    var prefix = /^(gener|commun|arsen)/.exec(s);
    if (prefix) at = prefix[0].length;
    else {
      at = gopast(s, 0, true);
      if (at >= 0) at = gopast(s, at, false);
    }
    if (at >= 0) {
      p1 = at;
      at = gopast(s, at, true);
      if (at >= 0) at = gopast(s, at, false);
      if (at >= 0) p2 = at;
    }

    s = step1a(s);
    if (!AFTER_1A[s]) {
      s = step1b(s, p1);
      s = step1c(s);
      s = step2(s, p1);
      s = step3(s, p1, p2);
      s = step4(s, p2);
      s = step5(s, p1, p2);
    }
    return yFound ? s.replace(/Y/g, "y") : s;
  }

  function step1a(s) {
    if (endsWith(s, "sses")) return s.slice(0, -2);
    if (endsWith(s, "ied") || endsWith(s, "ies")) {
      return s.slice(0, -3) + (s.length - 3 >= 2 ? "i" : "ie");
    }
    if (endsWith(s, "ss") || endsWith(s, "us")) return s;
    if (endsWith(s, "s")) {
      // A vowel before the letter that precedes the s.
      for (var i = s.length - 3; i >= 0; i--) if (isVowel(s[i])) return s.slice(0, -1);
    }
    return s;
  }

  function step1b(s, p1) {
    var suffix = longest(s, ["eedly", "ingly", "edly", "eed", "ing", "ed"]);
    if (suffix === null) return s;
    var start = s.length - suffix.length;
    if (suffix === "eed" || suffix === "eedly") return start >= p1 ? s.slice(0, start) + "ee" : s;
    var rest = s.slice(0, start);
    if (!/[aeiouy]/.test(rest)) return s;
    if (endsWith(rest, "at") || endsWith(rest, "bl") || endsWith(rest, "iz")) return rest + "e";
    if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(rest)) return rest.slice(0, -1);
    if (rest.length === p1 && shortSyllable(rest)) return rest + "e";
    return rest;
  }

  function step1c(s) {
    var n = s.length;
    if (n >= 3 && (s[n - 1] === "y" || s[n - 1] === "Y") && !isVowel(s[n - 2])) {
      return s.slice(0, -1) + "i";
    }
    return s;
  }

  function step2(s, p1) {
    var entry = longest(s, STEP2);
    if (entry === null) return s;
    var start = s.length - entry[0].length;
    if (start < p1) return s;
    if (entry[0] === "ogi") return s[start - 1] === "l" ? s.slice(0, start) + "og" : s;
    if (entry[0] === "li") return "cdeghkmnrt".indexOf(s[start - 1]) >= 0 ? s.slice(0, start) : s;
    return s.slice(0, start) + entry[1];
  }

  function step3(s, p1, p2) {
    var entry = longest(s, STEP3);
    if (entry === null) return s;
    var start = s.length - entry[0].length;
    if (start < p1) return s;
    if (entry[0] === "ative") return start >= p2 ? s.slice(0, start) : s;
    return s.slice(0, start) + entry[1];
  }

  function step4(s, p2) {
    var suffix = longest(s, STEP4);
    if (suffix === null) return s;
    var start = s.length - suffix.length;
    if (start < p2) return s;
    if (suffix === "ion" && s[start - 1] !== "s" && s[start - 1] !== "t") return s;
    return s.slice(0, start);
  }

  function step5(s, p1, p2) {
    var start = s.length - 1;
    if (s[start] === "e") {
      if (start >= p2 || (start >= p1 && !shortSyllable(s.slice(0, start)))) return s.slice(0, start);
    } else if (s[start] === "l") {
      if (start >= p2 && s[start - 1] === "l") return s.slice(0, start);
    }
    return s;
  }

  /* ---------- Words, as src/search.rs splits text ---------- */

  // A run of letters and digits; digits joined by dots stay one word (2.4.0).
  var WORD = /[\p{Alphabetic}\p{N}]+(?:\.(?<=[0-9]\.)(?=[0-9])[\p{Alphabetic}\p{N}]+)*/gu;
  var STOP = Object.create(null);
  // Off for a site whose lang is not English (meta.js says "stem": false):
  // the build then indexes words as they are.
  var STEM = true;

  function setStemming(on) {
    STEM = on;
  }

  function setStopWords(list) {
    STOP = Object.create(null);
    list.forEach(function (w) { STOP[w] = true; });
  }

  function isStopWord(w) {
    return STOP[w] === true;
  }

  // Whether the build indexes a word: two characters or more, or a digit.
  function worthIndexing(w) {
    return (Array.from(w).length >= 2 || /\p{N}/u.test(w)) && !isStopWord(w);
  }

  // The words of lowercased text, in order: {text, start, end, compound},
  // the whole of a hyphenated word after its parts (compound: true); stop
  // words and one-letter words included (callers decide).
  function words(text) {
    var out = [];
    var m;
    var chain = null;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var start = m.index;
      var end = start + m[0].length;
      if (chain && start === chain.end + 1 && text[chain.end] === "-") {
        chain.end = end;
        chain.parts++;
      } else {
        if (chain && chain.parts >= 2) out.push(compound(text, chain));
        chain = { start: start, end: end, parts: 1 };
      }
      out.push({ text: m[0], start: start, end: end, compound: false });
    }
    if (chain && chain.parts >= 2) out.push(compound(text, chain));
    return out;
  }

  function compound(text, chain) {
    return { text: text.slice(chain.start, chain.end), start: chain.start, end: chain.end, compound: true };
  }

  // The term a word is indexed under (src/search.rs normalize).
  function term(word) {
    var joined = word.replace(/-/g, "");
    return STEM && /^[a-z]+$/.test(joined) ? stem(joined) : joined;
  }

  var api = {
    stem: stem,
    term: term,
    words: words,
    worthIndexing: worthIndexing,
    isStopWord: isStopWord,
    setStopWords: setStopWords,
    setStemming: setStemming
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else if (typeof window !== "undefined" && window.playbookSearch) window.playbookSearch.load("stemmer", api);
})();
