// Loads the built `comments` fixture in headless Chromium and checks live comments as a reader
// meets them: nothing is asked of any host but the local server until "Show comments" is
// pressed; then giscus gets its script with the site's settings (a fake client.js stands in for
// giscus.app and draws an element from them), or, for an article discussed on Mastodon, the
// instance's public API is read (fake answers) and the replies appear threaded, as text: a
// reply's script, image or javascript: link does nothing. Without JavaScript the button stays
// hidden and a link leads to the discussion.
//
// Run by tests/testsuite/discussion.rs with SITE_DIR (the built `comments` fixture).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { builtSite } from "./site.mjs";

const site = builtSite();

const LIVE = "/2025/03/live/";
const ARCHIVED = "/2025/03/archived/";
const TOOT = "/2025/03/toot/";
const API = "https://mastodon.example/api/v1/statuses/109876543210";
const POST = "https://mastodon.example/@kiosque/109876543210";

/** giscus's client.js as a stand-in: it draws its settings into the `.giscus` element. */
const FAKE_GISCUS = `
  (function () {
    var settings = document.currentScript.dataset;
    var widget = document.createElement("div");
    widget.className = "fake-giscus";
    widget.textContent = "giscus for " + settings.repo;
    for (var key in settings) widget.setAttribute("data-" + key.replace(/[A-Z]/g, function (c) { return "-" + c.toLowerCase(); }), settings[key]);
    document.querySelector(".giscus").appendChild(widget);
  })();`;

function status(id, replyTo, content, extra = {}) {
  return {
    id,
    in_reply_to_id: replyTo,
    created_at: "2025-03-04T10:00:00.000Z",
    url: `https://mastodon.example/@reader/${id}`,
    content,
    spoiler_text: "",
    account: { display_name: `Reader ${id}`, acct: "reader", url: "https://mastodon.example/@reader" },
    ...extra,
  };
}

/** The post's replies: 201 and 203 answer the post, 202 answers 201; 203 is hostile. */
const CONTEXT = {
  ancestors: [],
  descendants: [
    status("201", "109876543210", "<p>First reply, with <a href=\"https://example.org/read\" class=\"x\" onclick=\"window.pwned = 'onclick'\">a link</a>.</p><p>Second paragraph<br>and a line.</p>"),
    status("202", "201", "<p><span class=\"h-card\"><a href=\"https://mastodon.example/@reader\">@<span>reader</span></a></span> agreed: <a href=\"https://example.org/a/very/long/path\"><span class=\"invisible\">https://</span><span class=\"ellipsis\">example.org/a/ve</span><span class=\"invisible\">ry/long/path</span></a></p>"),
    status("203", "109876543210",
      "<p>Hostile <script>window.pwned = 'script'</script><img src=\"https://tracker.example/pixel.gif\" onerror=\"window.pwned = 'img'\"><a href=\"javascript:window.pwned = 'link'\">click</a> &lt;b&gt;kept as text&lt;/b&gt;</p><style>body { display: none }</style>",
      { account: { display_name: "<img src=x onerror=\"window.pwned = 'name'\">Mallory", url: "javascript:alert(1)" } }),
  ],
};

/**
 * A tab whose every request is recorded; the fake provider answers are served from here and
 * anything else off the machine is refused.
 */
async function recordedTab(options = {}, answers = {}) {
  const context = await site.browser.newContext({ viewport: { width: 1000, height: 800 }, ...options });
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  const origin = site.server.origin;
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + "/")) return route.continue();
    const answer = answers[url];
    return answer ? route.fulfill(answer) : route.abort();
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return { context, page, requests, errors };
}

async function open(tab, pagePath) {
  tab.requests.length = 0;
  await tab.page.goto(site.server.origin + pagePath, { waitUntil: "load" });
  await tab.page.waitForLoadState("networkidle");
}

function foreign(requests) {
  return requests.filter((url) => !url.startsWith(site.server.origin + "/") && !/^(data|blob):/.test(url));
}

const json = (body, status = 200) => ({
  status,
  contentType: "application/json",
  headers: { "access-control-allow-origin": "*" },
  body: JSON.stringify(body),
});

const isFocused = (locator) => locator.evaluate((element) => element === document.activeElement);

describe("live comments", { concurrency: true, timeout: 60_000 }, () => {
  test("giscus: nothing leaves before the click, then its script with the site's settings", async () => {
    const tab = await recordedTab({}, {
      "https://giscus.app/client.js": { status: 200, contentType: "text/javascript", body: FAKE_GISCUS },
    });
    const { page, requests } = tab;
    for (const path of [LIVE, ARCHIVED]) {
      await open(tab, path);
      assert.deepEqual(foreign(requests), [], `requests to other hosts while loading ${path}`);
      assert.equal(await page.locator("iframe, .fake-giscus").count(), 0);
      const button = page.getByRole("button", { name: "Show comments" });
      assert.ok(await button.isVisible(), "the button is shown once the script runs");
      assert.match(await button.evaluate((b) => b.getAttribute("aria-describedby")), /^discussion-privacy$/);
      assert.ok(await page.locator("#discussion-privacy").isVisible());
    }

    // The archive sits above the button on the imported article.
    const above = await page.evaluate(() =>
      !!(document.querySelector(".comments__list").compareDocumentPosition(document.querySelector(".discussion__show"))
        & Node.DOCUMENT_POSITION_FOLLOWING));
    assert.ok(above, "archived comments come before the live widget");

    await page.waitForTimeout(300);
    assert.deepEqual(foreign(requests), [], "nothing left while the page sat");
    await page.getByRole("button", { name: "Show comments" }).click();
    const widget = page.locator(".fake-giscus");
    await widget.waitFor();
    assert.deepEqual(foreign(requests), ["https://giscus.app/client.js"], "only giscus's script after the click");
    const settings = await widget.evaluate((element) => Object.fromEntries(
      [...element.attributes].filter((a) => a.name.startsWith("data-")).map((a) => [a.name, a.value])));
    for (const [name, value] of Object.entries({
      "data-repo": "kiosque-news/site",
      "data-repo-id": "R_kgDOTEST",
      "data-category": "Comments",
      "data-category-id": "DIC_kwDOTEST",
      "data-mapping": "pathname",
      "data-reactions-enabled": "1",
      "data-input-position": "bottom",
      "data-theme": "preferred_color_scheme",
      "data-lang": "en",
    })) assert.equal(settings[name], value, name);
    const script = page.locator("script[src='https://giscus.app/client.js']");
    assert.equal(await script.getAttribute("crossorigin"), "anonymous");
    assert.equal(await page.getByRole("button", { name: "Show comments" }).count(), 0, "the button is gone");
    assert.ok(await isFocused(page.locator(".discussion__widget")), "focus moves to the widget");
    assert.deepEqual(tab.errors, []);
    await tab.context.close();
  });

  test("from the keyboard: the button is reached with Tab, Enter loads the comments", async () => {
    const tab = await recordedTab({}, {
      "https://giscus.app/client.js": { status: 200, contentType: "text/javascript", body: FAKE_GISCUS },
    });
    await open(tab, LIVE);
    const { page } = tab;
    await page.locator(".discussion__link a").focus();
    await page.keyboard.press("Shift+Tab");
    const button = page.locator(".discussion__show");
    assert.ok(await isFocused(button), "the button comes just before the link in tab order");
    const outline = await button.evaluate((b) => getComputedStyle(b).outlineStyle);
    assert.notEqual(outline, "none", "the focused button shows it");
    await page.keyboard.press("Enter");
    await page.locator(".fake-giscus").waitFor();
    assert.ok(await isFocused(page.locator(".discussion__widget")));
    await tab.context.close();
  });

  test("Mastodon: the replies of the post, threaded and as text, after the click", async () => {
    const tab = await recordedTab({}, {
      [API]: json(status("109876543210", null, "<p>New article!</p>")),
      [`${API}/context`]: json(CONTEXT),
    });
    const { page, requests } = tab;
    await open(tab, TOOT);
    assert.deepEqual(foreign(requests), [], "requests to other hosts before the click");
    assert.equal(await page.locator(".discussion__link a").getAttribute("href"), POST);

    await page.getByRole("button", { name: "Show comments" }).click();
    const thread = page.locator(".discussion__thread");
    await thread.waitFor();
    await page.waitForLoadState("networkidle");
    assert.deepEqual(foreign(requests).sort(), [API, `${API}/context`], "only the instance's API");

    const seen = await page.evaluate(() => {
      const list = document.querySelector(".discussion__thread");
      const items = (ol) => [...ol.children].map((li) => ({
        id: li.id,
        author: li.querySelector(".comment__author").textContent,
        text: li.querySelector(".comment__text").textContent,
        paragraphs: li.querySelectorAll(":scope > article .comment__text > p").length,
        replies: li.querySelector(":scope > ol.comments__replies") ? items(li.querySelector(":scope > ol.comments__replies")) : [],
      }));
      const widget = document.querySelector(".discussion__widget");
      return {
        tree: items(list),
        pwned: window.pwned ?? null,
        dangerous: widget.querySelectorAll("script, img, style, iframe, [onclick], [onerror]").length,
        links: [...widget.querySelectorAll("a")].map((a) => ({ href: a.getAttribute("href"), rel: a.rel, text: a.textContent })),
        hidden: getComputedStyle(document.body).display,
        labelled: [...widget.querySelectorAll("article")].every((a) => document.getElementById(a.getAttribute("aria-labelledby"))),
      };
    });
    assert.deepEqual(seen.tree.map((r) => r.id), ["comment-mastodon-201", "comment-mastodon-203"]);
    assert.deepEqual(seen.tree[0].replies.map((r) => r.id), ["comment-mastodon-202"], "202 inside the reply it answers");
    assert.equal(seen.tree[0].author, "Reader 201");
    assert.equal(seen.tree[0].paragraphs, 2);
    assert.match(seen.tree[0].replies[0].text, /@reader agreed: example\.org\/a\/ve…$/, "Mastodon's hidden link parts stay hidden");
    assert.equal(seen.tree[1].author, "<img src=x onerror=\"window.pwned = 'name'\">Mallory", "a name is text");
    assert.match(seen.tree[1].text, /Hostile click <b>kept as text<\/b>/);
    assert.equal(seen.pwned, null, "nothing of a reply ran");
    assert.equal(seen.dangerous, 0, "no script, image, style or handler from a reply");
    assert.notEqual(seen.hidden, "none", "a reply's stylesheet did not apply");
    assert.ok(seen.labelled, "each reply is an article named by its author");
    const external = seen.links.filter((a) => a.href === "https://example.org/read")[0];
    assert.equal(external?.rel, "nofollow ugc noopener", "links of a reply");
    assert.ok(seen.links.every((a) => /^https:\/\//.test(a.href)), `only https links: ${JSON.stringify(seen.links)}`);
    assert.ok(seen.links.some((a) => a.href === POST && a.text === "Reply on mastodon.example"), "a link to reply");
    assert.deepEqual(foreign(requests).filter((url) => url.includes("tracker")), [], "a reply's image was never fetched");
    assert.deepEqual(tab.errors, []);
    await tab.context.close();
  });

  test("Mastodon: an instance that does not answer is said so", async () => {
    const tab = await recordedTab({}, { [API]: json({ error: "gone" }, 500), [`${API}/context`]: json({}, 500) });
    await open(tab, TOOT);
    await tab.page.getByRole("button", { name: "Show comments" }).click();
    const said = tab.page.locator(".discussion__status");
    await tab.page.waitForFunction(() => document.querySelector(".discussion__status").textContent !== "Loading comments…");
    assert.equal(await said.textContent(), "The comments could not be loaded.");
    assert.equal(await said.getAttribute("role"), "status");
    assert.ok(await tab.page.locator(".discussion__link a").isVisible(), "the link to the post stays");
    await tab.context.close();
  });

  test("on a phone in the dark scheme: the button and notes fit and read", async () => {
    const tab = await recordedTab({ viewport: { width: 360, height: 740 }, colorScheme: "dark" });
    await open(tab, ARCHIVED);
    const seen = await tab.page.evaluate(() => {
      const button = document.querySelector(".discussion__show");
      const box = button.getBoundingClientRect();
      const style = getComputedStyle(button);
      return {
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        inside: box.left >= 0 && box.right <= innerWidth,
        colours: [style.color, style.backgroundColor],
        page: getComputedStyle(document.body).backgroundColor,
      };
    });
    assert.equal(seen.overflow, 0, "nothing wider than the screen");
    assert.ok(seen.inside, "the button fits");
    assert.notEqual(seen.colours[0], seen.colours[1], "the label stands out of the button");
    assert.equal(seen.page, "rgb(18, 20, 23)", "the dark scheme applies");
    assert.deepEqual(foreign(tab.requests), []);
    await tab.context.close();
  });

  test("without JavaScript: no button, a link to the discussion, nothing requested", async () => {
    const tab = await recordedTab({ javaScriptEnabled: false });
    for (const [path, href] of [[LIVE, "https://github.com/kiosque-news/site/discussions"], [TOOT, POST]]) {
      await open(tab, path);
      assert.deepEqual(foreign(tab.requests), [], `requests to other hosts on ${path}`);
      assert.equal(await tab.page.locator(".discussion__show").isVisible(), false, "no button that would do nothing");
      const link = tab.page.locator(".discussion__link a");
      assert.ok(await link.isVisible());
      assert.equal(await link.getAttribute("href"), href);
    }
    await tab.context.close();
  });
});
