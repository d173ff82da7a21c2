/* Kiosque: live comments, loaded on the reader's click, no framework.
   The page holds the provider's settings as data-* attributes and nothing the browser would
   fetch: until the "Show comments" button is pressed, no request leaves for the provider.
   The click adds the provider's own script (giscus, Isso, Remark42, Cusdis) as its docs
   write it, or, for a Mastodon thread, reads the instance's public API and draws the replies
   from DOM nodes: text, paragraphs, line breaks and http(s) links only, never the markup
   received. Without JavaScript the button stays hidden and the page's link (or notice)
   stands. */
(function () {
  "use strict";

  function isHttps(url) {
    return typeof url === "string" && /^https:\/\/[^\s/]+/.test(url);
  }

  function element(tag, className) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  /** The data-* attributes of `node`, by their full name. */
  function dataAttributes(node) {
    var found = [];
    for (var i = 0; i < node.attributes.length; i++) {
      var attribute = node.attributes[i];
      if (attribute.name.indexOf("data-") === 0) found.push(attribute);
    }
    return found;
  }

  function addScript(src, parent, setup) {
    var script = document.createElement("script");
    if (setup) setup(script);
    script.src = src;
    script.async = true;
    parent.appendChild(script);
    return script;
  }

  /** Each provider, as its embed code is written in its documentation. */
  var PROVIDERS = {
    giscus: function (box, widget, src) {
      // client.js reads its settings from its own data-* and fills the `.giscus` element.
      widget.classList.add("giscus");
      addScript(src, widget, function (script) {
        dataAttributes(widget).forEach(function (a) { script.setAttribute(a.name, a.value); });
        script.crossOrigin = "anonymous";
      });
    },
    isso: function (box, widget, src) {
      var thread = element("section");
      thread.id = "isso-thread";
      thread.setAttribute("data-isso-id", box.getAttribute("data-page-id"));
      thread.setAttribute("data-title", box.getAttribute("data-page-title"));
      widget.appendChild(thread);
      addScript(src, widget, function (script) {
        dataAttributes(widget).forEach(function (a) { script.setAttribute(a.name, a.value); });
      });
    },
    remark42: function (box, widget, src) {
      var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
      window.remark_config = {
        host: widget.getAttribute("data-host"),
        site_id: widget.getAttribute("data-site-id"),
        url: box.getAttribute("data-page-url"),
        page_title: box.getAttribute("data-page-title"),
        locale: widget.getAttribute("data-locale") || undefined,
        theme: widget.getAttribute("data-theme") || (dark ? "dark" : "light"),
        components: ["embed"],
      };
      var root = element("div");
      root.id = "remark42";
      widget.appendChild(root);
      addScript(src, widget, function (script) { script.type = "module"; });
    },
    cusdis: function (box, widget, src) {
      // cusdis.es.js draws into #cusdis_thread, whose data-* are its settings.
      widget.id = "cusdis_thread";
      var lang = widget.getAttribute("data-lang");
      var host = widget.getAttribute("data-host");
      if (lang && lang !== "en" && /^[a-z]{2,3}$/.test(lang) && isHttps(host)) {
        // The translation must be set before the widget draws itself.
        var translation = addScript(host + "/js/widget/lang/" + lang + ".js", widget);
        translation.onload = translation.onerror = function () { addScript(src, widget); };
      } else {
        addScript(src, widget);
      }
    },
    mastodon: function (box, widget) {
      mastodon(box, widget);
    },
  };

  function getJSON(url) {
    return fetch(url, { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(url + ": " + response.status);
        return response.json();
      });
  }

  function link(href, rel) {
    var a = element("a");
    a.href = href;
    a.rel = rel || "nofollow ugc noopener";
    return a;
  }

  /**
   * Copies into `to` what a reader needs of the HTML in `from`: text, paragraphs, line
   * breaks and http(s) links. Scripts, styles, images, attributes and handlers are left out:
   * the HTML was parsed by DOMParser into a document that runs and fetches nothing.
   */
  function copySafe(from, to) {
    for (var node = from.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === Node.TEXT_NODE) {
        to.appendChild(document.createTextNode(node.data));
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        var tag = node.tagName.toLowerCase();
        var classes = node.classList;
        if (/^(script|style|template|noscript|iframe|object|svg|math)$/.test(tag)) continue;
        // Mastodon shortens links with hidden parts and a marked ellipsis.
        if (classes.contains("invisible")) continue;
        if (tag === "p") {
          copySafe(node, to.appendChild(element("p")));
        } else if (tag === "br") {
          to.appendChild(element("br"));
        } else if (tag === "a" && /^https?:\/\//i.test(node.getAttribute("href") || "")) {
          copySafe(node, to.appendChild(link(node.getAttribute("href"))));
        } else {
          copySafe(node, to);
        }
        if (classes.contains("ellipsis")) to.appendChild(document.createTextNode("…"));
      }
    }
  }

  function safeText(html) {
    var text = element("div", "comment__text");
    copySafe(new DOMParser().parseFromString(String(html || ""), "text/html").body, text);
    return text;
  }

  /** One reply, shaped as the archived comments are. */
  function reply(status) {
    var id = "comment-mastodon-" + String(status.id).replace(/[^0-9A-Za-z]/g, "");
    var item = element("li", "comment");
    item.id = id;
    var body = item.appendChild(element("article", "comment__body"));
    body.setAttribute("aria-labelledby", id + "-author");
    var meta = body.appendChild(element("p", "comment__meta"));
    var account = status.account || {};
    var author = meta.appendChild(element("span", "comment__author"));
    author.id = id + "-author";
    var name = account.display_name || account.username || account.acct || "?";
    var authorLink = isHttps(account.url) ? author.appendChild(link(account.url)) : author;
    authorLink.textContent = name;
    var date = new Date(status.created_at);
    if (!isNaN(date) && isHttps(status.url)) {
      meta.appendChild(document.createTextNode(" "));
      var sep = meta.appendChild(element("span", "meta__sep"));
      sep.setAttribute("aria-hidden", "true");
      sep.textContent = "·";
      meta.appendChild(document.createTextNode(" "));
      var permalink = meta.appendChild(link(status.url, "nofollow noopener"));
      permalink.className = "comment__permalink";
      var time = permalink.appendChild(element("time"));
      time.dateTime = date.toISOString();
      time.textContent = date.toLocaleDateString(document.documentElement.lang || undefined, {
        year: "numeric", month: "long", day: "numeric",
      });
    }
    if (status.spoiler_text) {
      var details = body.appendChild(element("details"));
      details.appendChild(element("summary")).textContent = status.spoiler_text;
      details.appendChild(safeText(status.content));
    } else {
      body.appendChild(safeText(status.content));
    }
    return item;
  }

  /** The replies under `parent`, each followed by its own, as nested lists. */
  function thread(parent, children, list) {
    (children[parent] || []).forEach(function (status) {
      var item = list.appendChild(reply(status));
      if (children[status.id]) thread(status.id, children, item.appendChild(element("ol", "comments__replies")));
    });
    return list;
  }

  function mastodon(box, widget) {
    var instance = widget.getAttribute("data-instance");
    var id = widget.getAttribute("data-id");
    var status = box.querySelector(".discussion__status");
    if (!isHttps(instance) || !/^[0-9]+$/.test(id)) return;
    var api = instance + "/api/v1/statuses/" + id;
    status.textContent = box.getAttribute("data-loading");
    widget.setAttribute("aria-busy", "true");
    Promise.all([getJSON(api), getJSON(api + "/context")])
      .then(function (answers) {
        var replies = (answers[1] && answers[1].descendants) || [];
        var children = {};
        replies.forEach(function (r) {
          (children[r.in_reply_to_id] = children[r.in_reply_to_id] || []).push(r);
        });
        var list = thread(String(answers[0].id || id), children, element("ol", "comments__list discussion__thread"));
        if (list.firstChild) {
          widget.appendChild(list);
        } else {
          widget.appendChild(element("p", "discussion__empty")).textContent = box.getAttribute("data-empty");
        }
        var page = box.querySelector(".discussion__link a");
        if (page) {
          var again = widget.appendChild(element("p", "discussion__reply"));
          again.appendChild(link(page.href, "nofollow noopener")).textContent = box.getAttribute("data-reply");
        }
        status.textContent = "";
      })
      .catch(function () {
        status.textContent = box.getAttribute("data-failed");
      })
      .then(function () {
        widget.removeAttribute("aria-busy");
      });
  }

  function enhance(box) {
    var provider = PROVIDERS[box.getAttribute("data-provider")];
    var src = box.getAttribute("data-script");
    var button = box.querySelector(".discussion__show");
    var widget = box.querySelector(".discussion__widget");
    var privacy = box.querySelector(".discussion__privacy");
    // The build writes only https scripts; this guards markup a site wrote by hand.
    if (!provider || !button || !widget || (src !== null && !isHttps(src))) return;
    button.hidden = false;
    if (privacy) privacy.hidden = false;
    button.addEventListener("click", function () {
      widget.hidden = false;
      // The button goes away: focus moves to what replaces it, not to the page's top.
      widget.focus();
      button.hidden = true;
      if (privacy) privacy.hidden = true;
      provider(box, widget, src);
    });
  }

  function init() {
    var boxes = document.querySelectorAll(".discussion");
    for (var i = 0; i < boxes.length; i++) enhance(boxes[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
