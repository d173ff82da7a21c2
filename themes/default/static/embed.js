/* Kiosque: click-to-load embeds, shared by every provider, no framework.
   Without JavaScript each a.embed__facade stays a plain link to the medium's page.
   With it, the link becomes a <button>; a click swaps it for the provider's player
   (privacy-enhanced host where one exists). Nothing is requested from the provider
   before the click. */
(function () {
  "use strict";

  function play(button, src, title) {
    var iframe = document.createElement("iframe");
    iframe.src = src;
    iframe.title = title;
    iframe.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture; fullscreen");
    iframe.setAttribute("allowfullscreen", "");
    iframe.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    button.replaceWith(iframe);
    iframe.focus();
  }

  function enhance(link) {
    var src = link.getAttribute("data-embed-src");
    // The build only writes https players; this guards markup a site wrote by hand.
    if (!src || src.indexOf("https://") !== 0) return;
    var title = link.getAttribute("data-embed-title") || link.textContent.trim();
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.setAttribute("aria-label", link.getAttribute("aria-label") || title);
    while (link.firstChild) button.appendChild(link.firstChild);
    button.addEventListener("click", function () {
      play(button, src, title);
    });
    link.replaceWith(button);
  }

  function init() {
    var links = document.querySelectorAll("a.embed__facade");
    for (var i = 0; i < links.length; i++) enhance(links[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
