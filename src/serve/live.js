/* Kiosque preview: reloads the page when the site is rebuilt, keeping the scroll position;
   swaps stylesheets in place when only CSS changed; shows build errors over the page until a
   later save fixes them. Injected by `kiosque serve` only, never into `kiosque build`. */
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = script && script.getAttribute("data-generation");
  var key = "kiosque-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () {
      window.scrollTo(0, Number(saved));
    });
  }

  var overlay = null;

  function show(problems) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "kiosque-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
        "background:rgba(20,20,24,.94);color:#fff;font:14px/1.5 ui-monospace,monospace";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = document.createElement("h2");
    title.textContent = "Build failed: the preview shows the last good build";
    title.style.cssText = "margin:0 0 1rem;font:600 18px system-ui,sans-serif;color:#ff8a80";
    overlay.appendChild(title);
    problems.forEach(function (problem) {
      var item = document.createElement("pre");
      item.className = "kiosque-error";
      item.style.cssText = "white-space:pre-wrap;margin:0 0 1rem";
      item.textContent = problem.file + ":" + (problem.line || 1) + ":" + (problem.column || 1) +
        ": " + problem.message;
      overlay.appendChild(item);
    });
  }

  function hide() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href);
      url.searchParams.set("kiosque-reload", String(Date.now()));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", function () {
        link.remove();
      });
      link.after(fresh);
    });
  }

  // EventSource reconnects by itself, so the page follows a restarted server too.
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }

  var events = new EventSource("/__kiosque/events");
  // A rebuild sent while this page was loading, or while the server restarted, was missed:
  // the server says which build it serves and which recent builds changed stylesheets
  // only. A page that missed only those swaps its stylesheets; an older one reloads.
  events.addEventListener("hello", function (event) {
    var hello = JSON.parse(event.data);
    var mine = Number(generation);
    if (generation === null || hello.generation === mine) return;
    // A restarted server counts from zero again: anything may have changed.
    if (hello.generation < mine) return reload();
    for (var missed = mine + 1; missed <= hello.generation; missed++) {
      if (hello.css.indexOf(missed) < 0) return reload();
    }
    generation = String(hello.generation);
    swapStylesheets();
  });
  events.addEventListener("reload", reload);
  events.addEventListener("css", function (event) {
    generation = event.data;
    swapStylesheets();
  });
  events.addEventListener("problems", function (event) {
    show(JSON.parse(event.data));
  });
  events.addEventListener("fixed", function () {
    hide();
    reload();
  });
})();
