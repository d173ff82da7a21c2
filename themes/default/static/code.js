/* Kiosque: a copy button on each highlighted code block. Without JavaScript the code is
   plain, selectable text; the button copies the code only (line numbers are CSS). Works
   offline: the clipboard API where the page is a secure context, else a hidden textarea. */
(function () {
  "use strict";
  var script = document.currentScript;
  var label = (script && script.getAttribute("data-copy-label")) || "Copy";
  var copied = (script && script.getAttribute("data-copied-label")) || "Copied";

  function copy(text) {
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
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      area.remove();
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }

  function enhance(pre) {
    var code = pre.querySelector("code");
    if (!code) return;
    // A wrapper holds the button, so selecting the code never selects the button's label.
    var block = document.createElement("div");
    block.className = "code-block";
    pre.parentNode.insertBefore(block, pre);
    block.appendChild(pre);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "code__copy";
    button.textContent = label;
    // Screen readers announce "Copied" when it replaces the label.
    button.setAttribute("aria-live", "polite");
    button.addEventListener("click", function () {
      // Line numbers are CSS, so the text is the code alone, as written.
      copy(code.textContent).then(function () {
        button.textContent = copied;
        setTimeout(function () {
          button.textContent = label;
        }, 1500);
      }, function () {
        // Copying refused (no permission): the code stays selectable by hand.
        button.textContent = label;
      });
    });
    block.appendChild(button);
  }

  function init() {
    var blocks = document.querySelectorAll("pre.code");
    for (var i = 0; i < blocks.length; i++) enhance(blocks[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
