/* Kiosque: the share buttons that need a script. Without it they stay hidden and the plain
   links work. Copy puts the article's address in the clipboard and says so in a live region;
   Mastodon asks the reader's server once, in a small form, keeps it in localStorage (never
   sent anywhere but to that server's own share page), then opens
   https://<server>/share?text=…; "Other apps" appears only where the browser has the Web
   Share API. Nothing is requested until the reader clicks. */
(function () {
  "use strict";
  var KEY = "kiosque.mastodon-server";

  function storedServer() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (e) {
      return null; // Storage refused (private mode, settings): ask every time.
    }
  }

  function storeServer(server) {
    try {
      window.localStorage.setItem(KEY, server);
    } catch (e) {
      /* Asked again next time. */
    }
  }

  /* A server as readers write it: "mastodon.social", "https://mastodon.social/@me",
     "@me@mastodon.social"; its host (with a port if any), or null. */
  function serverHost(text) {
    var value = text.trim().replace(/^@?[^@\s\/]+@/, "");
    if (!value) return null;
    if (!/^https?:\/\//i.test(value)) value = "https://" + value;
    var url;
    try {
      url = new URL(value);
    } catch (e) {
      return null;
    }
    return /^([a-z0-9-]+\.)+[a-z0-9-]+$/i.test(url.hostname) ? url.host : null;
  }

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

  function enhance(block) {
    var status = block.querySelector("[data-share-status]");
    function say(text) {
      // Emptied first, so that the same message twice is announced twice.
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = text;
      }, 50);
    }

    block.querySelectorAll("[data-share-script]").forEach(function (item) {
      item.hidden = false;
    });

    block.querySelectorAll("[data-share-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        copy(button.getAttribute("data-share-copy")).then(function () {
          say(block.getAttribute("data-copied"));
        }, function () {
          say(block.getAttribute("data-copy-failed"));
        });
      });
    });

    var mastodon = block.querySelector("[data-share-mastodon]");
    var form = block.querySelector(".share__mastodon");
    if (mastodon && form) {
      var input = form.querySelector("input");
      var stored = block.querySelector("[data-share-mastodon-stored]");
      var change = block.querySelector("[data-share-mastodon-change]");
      var text = mastodon.getAttribute("data-share-mastodon");
      var open = function (host) {
        window.open("https://" + host + "/share?text=" + encodeURIComponent(text), "_blank", "noopener");
      };
      var ask = function () {
        input.value = storedServer() || "";
        form.hidden = false;
        mastodon.setAttribute("aria-expanded", "true");
        input.focus();
      };
      var close = function () {
        form.hidden = true;
        mastodon.setAttribute("aria-expanded", "false");
        mastodon.focus();
      };
      var showStored = function () {
        if (stored) stored.hidden = !storedServer();
      };
      showStored();
      mastodon.addEventListener("click", function () {
        var host = storedServer();
        if (host) open(host);
        else if (!form.hidden) close();
        else ask();
      });
      if (change) change.addEventListener("click", ask);
      form.addEventListener("keydown", function (event) {
        if (event.key === "Escape") close();
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var host = serverHost(input.value);
        if (!host) {
          input.setAttribute("aria-invalid", "true");
          say(block.getAttribute("data-invalid"));
          input.focus();
          return;
        }
        input.removeAttribute("aria-invalid");
        storeServer(host);
        close();
        showStored();
        open(host);
      });
    }

    var native = block.querySelector("[data-share-native]");
    if (native && typeof navigator.share === "function") {
      var button = native.querySelector("button");
      native.hidden = false;
      button.addEventListener("click", function () {
        navigator.share({
          title: button.getAttribute("data-share-title"),
          url: button.getAttribute("data-share-url"),
        }).catch(function () {
          /* Dismissed by the reader: nothing to say. */
        });
      });
    }
  }

  document.querySelectorAll("[data-share-block]").forEach(enhance);
})();
