/* Kiosque — video embeds, progressive enhancement.
   Without JavaScript each a.embed__facade stays a plain link to the video.
   With it, the link becomes a <button>; a click swaps it for a privacy-enhanced
   (youtube-nocookie) iframe. Nothing is requested from the video host before the click. */
(function () {
  "use strict";
  var script = document.currentScript;
  var label = (script && script.getAttribute("data-play-label")) || "Play";

  function play(button, src, title) {
    var iframe = document.createElement("iframe");
    iframe.src = src;
    iframe.title = title;
    iframe.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture");
    iframe.setAttribute("allowfullscreen", "");
    iframe.setAttribute("loading", "lazy");
    iframe.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    button.replaceWith(iframe);
    iframe.focus();
  }

  function enhance(link) {
    var src = link.getAttribute("data-embed-src");
    if (!src) return;
    var title = link.getAttribute("data-embed-title") || link.textContent.trim();
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.setAttribute("aria-label", label + ": " + title);
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
