/* playbook.js: theme toggle, mobile sidebar, search shortcut and small page
 * enhancements (table scrolling, copy buttons, TOC highlighting).
 * Vanilla JS, no dependencies. Loaded with `defer`. */
(function () {
  "use strict";

  var doc = document.documentElement;
  var THEME_KEY = "playbook-theme";
  var systemDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  /* ---------- Print buttons (the whole guide's page) ---------- */

  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  /* ---------- Theme ---------- */

  function storedTheme() {
    try {
      var t = localStorage.getItem(THEME_KEY);
      return t === "light" || t === "dark" ? t : null;
    } catch (e) {
      return null; // storage disabled (privacy mode, some file:// setups)
    }
  }

  function effectiveTheme() {
    return doc.dataset.theme || (systemDark && systemDark.matches ? "dark" : "light");
  }

  // The generator's highlight stylesheets are selected by media query. When a
  // theme is forced, point them at it; "print" keeps paper light. With no
  // forced theme, restore the prefers-color-scheme queries.
  function syncHighlight(theme) {
    var light = document.getElementById("hl-light");
    var dark = document.getElementById("hl-dark");
    if (!light || !dark) return;
    if (theme === "light") {
      light.media = "all";
      dark.media = "not all";
    } else if (theme === "dark") {
      light.media = "print";
      dark.media = "screen";
    } else {
      light.media = "(prefers-color-scheme: light)";
      dark.media = "(prefers-color-scheme: dark)";
    }
  }

  var themeToggle = document.getElementById("theme-toggle");

  function updateToggle() {
    if (!themeToggle) return;
    var dark = effectiveTheme() === "dark";
    themeToggle.setAttribute("aria-pressed", dark ? "true" : "false");
    themeToggle.title = dark ? "Switch to light theme" : "Switch to dark theme";
  }

  function applyTheme(theme) {
    if (theme) doc.dataset.theme = theme;
    else delete doc.dataset.theme;
    syncHighlight(theme);
    updateToggle();
  }

  if (themeToggle) {
    themeToggle.addEventListener("click", function () {
      var next = effectiveTheme() === "dark" ? "light" : "dark";
      try { localStorage.setItem(THEME_KEY, next); } catch (e) { /* not persisted */ }
      applyTheme(next);
    });
  }
  if (systemDark && systemDark.addEventListener) systemDark.addEventListener("change", updateToggle);
  // Keep other open tabs of the site in step.
  window.addEventListener("storage", function (e) {
    if (e.key === THEME_KEY) applyTheme(storedTheme());
  });
  // Paper is light: print with the light highlight colours even in dark mode.
  window.addEventListener("beforeprint", function () { syncHighlight("light"); });
  window.addEventListener("afterprint", function () { syncHighlight(doc.dataset.theme || null); });
  updateToggle();

  /* ---------- Sidebar (off-canvas on small screens) ---------- */

  var sidebar = document.getElementById("sidebar");
  var menuButton = document.getElementById("sidebar-toggle");
  var backdrop = document.getElementById("sidebar-backdrop");

  function sidebarOpen() {
    return doc.classList.contains("sidebar-open");
  }

  function setSidebar(open, moveFocus) {
    doc.classList.toggle("sidebar-open", open);
    if (backdrop) backdrop.hidden = !open;
    if (menuButton) {
      menuButton.setAttribute("aria-expanded", open ? "true" : "false");
      menuButton.setAttribute("aria-label", open ? "Hide navigation" : "Show navigation");
    }
    if (!moveFocus) return;
    if (open) {
      var target = sidebar && (sidebar.querySelector("a.current") || sidebar.querySelector("a"));
      if (target) target.focus();
    } else if (menuButton) {
      menuButton.focus();
    }
  }

  if (sidebar && menuButton) {
    menuButton.addEventListener("click", function () {
      setSidebar(!sidebarOpen(), true);
    });
    if (backdrop) backdrop.addEventListener("click", function () { setSidebar(false, false); });
    // Following a link (possibly to an anchor on this page) closes the panel.
    sidebar.addEventListener("click", function (e) {
      if (sidebarOpen() && e.target.closest("a")) setSidebar(false, false);
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && sidebarOpen()) setSidebar(false, true);
    });
    // Growing past the phone/tablet breakpoint: the panel is no longer off-canvas.
    if (window.matchMedia) {
      var wide = window.matchMedia("(min-width: 60.0625rem)");
      var onWide = function () { if (wide.matches && sidebarOpen()) setSidebar(false, false); };
      if (wide.addEventListener) wide.addEventListener("change", onWide);
    }
  }

  // Scroll the sidebar (not the page) so the current page's link is visible.
  if (sidebar) {
    var current = sidebar.querySelector("a.current");
    if (current) {
      var linkBox = current.getBoundingClientRect();
      var navBox = sidebar.getBoundingClientRect();
      if (linkBox.bottom > navBox.bottom || linkBox.top < navBox.top) {
        sidebar.scrollTop += linkBox.top - navBox.top - navBox.height / 3;
      }
    }
  }

  /* ---------- Keyboard shortcut: "/" or "s" focuses search ---------- */

  var searchInput = document.getElementById("search-input");

  function isTyping(el) {
    if (!el) return false;
    var tag = el.tagName;
    return el.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  document.addEventListener("keydown", function (e) {
    if (!searchInput || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if ((e.key === "/" || e.key === "s" || e.key === "S") && !isTyping(e.target)) {
      e.preventDefault(); // don't type the "/" into the box, nor trigger find-in-page
      if (sidebarOpen()) setSidebar(false, false);
      searchInput.focus();
      searchInput.select();
    }
  });

  /* ---------- Content enhancements ---------- */

  // The whole guide's page holds an article per page: enhance them all.
  var article = document.querySelector("main.guide") || document.querySelector("article.markdown");
  if (!article) return;

  // Wide tables scroll inside a wrapper rather than widening the page.
  Array.prototype.forEach.call(article.querySelectorAll("table"), function (table) {
    if (table.parentNode.classList.contains("table-wrap")) return;
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    table.parentNode.insertBefore(wrap, table);
    wrap.appendChild(table);
    if (wrap.scrollWidth > wrap.clientWidth) {
      // Make the scrolling region reachable by keyboard.
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", "Table (scrolls sideways)");
    }
  });

  // Copy buttons on code blocks.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  Array.prototype.forEach.call(article.querySelectorAll("pre"), function (pre) {
    var wrap = document.createElement("div");
    wrap.className = "code-block";
    pre.parentNode.insertBefore(wrap, pre);
    wrap.appendChild(pre);
    // A block that scrolls sideways can be scrolled by keyboard too.
    if (pre.scrollWidth > pre.clientWidth) pre.tabIndex = 0;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code to clipboard");
    var timer = null;
    button.addEventListener("click", function () {
      var code = pre.querySelector("code") || pre;
      copyText(code.textContent.replace(/\n$/, "")).then(function () {
        button.textContent = "Copied";
      }, function () {
        button.textContent = "Press Ctrl+C";
        var range = document.createRange();
        range.selectNodeContents(code);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      }).then(function () {
        button.classList.add("copied");
        clearTimeout(timer);
        timer = setTimeout(function () {
          button.textContent = "Copy";
          button.classList.remove("copied");
        }, 1500);
      });
    });
    wrap.appendChild(button);
  });

  // On-page TOC: mark the section currently being read.
  var tocLinks = document.querySelectorAll(".toc a[href^='#']");
  if (!tocLinks.length) return;
  var entries = [];
  Array.prototype.forEach.call(tocLinks, function (link) {
    var fragment = link.getAttribute("href").slice(1);
    var heading = null;
    try {
      heading = document.getElementById(decodeURIComponent(fragment));
    } catch (e) {
      heading = document.getElementById(fragment); // a `%` that is no escape
    }
    if (heading) entries.push({ link: link, heading: heading });
  });
  var activeLink = null;
  var scheduled = false;

  function updateToc() {
    scheduled = false;
    var offset = parseFloat(getComputedStyle(doc).scrollPaddingTop) || 0;
    var pick = entries[0];
    var atBottom = window.innerHeight + window.scrollY >= doc.scrollHeight - 2;
    for (var i = 0; i < entries.length; i++) {
      if (entries[i].heading.getBoundingClientRect().top <= offset + 8) pick = entries[i];
      else break;
    }
    if (atBottom) pick = entries[entries.length - 1];
    var link = pick ? pick.link : null;
    if (link === activeLink) return;
    if (activeLink) activeLink.classList.remove("active");
    if (link) link.classList.add("active");
    activeLink = link;
  }

  window.addEventListener("scroll", function () {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(updateToc);
    }
  }, { passive: true });
  window.addEventListener("resize", updateToc);
  updateToc();
})();
