// The self-hosted comment services in Chromium, one per run: tests/testsuite/discussion.rs
// builds the `comments` fixture with `[comments]` set to PROVIDER (isso, remark42 or cusdis)
// and runs this file on it. Nothing leaves the machine before "Show comments" is pressed;
// then the provider's own script, and only it, is requested (a fake stands in for it) and
// finds its settings where its documentation puts them.
//
// Run by tests/testsuite/discussion.rs with SITE_DIR and PROVIDER.
import { test } from "node:test";
import assert from "node:assert/strict";
import { builtSite } from "./site.mjs";

const site = builtSite();
const provider = process.env.PROVIDER ?? assert.fail("PROVIDER is not set");
const PAGE = "/2025/03/live/";

/** Draws what a provider's script found as JSON into an element of the page. */
const report = (target, seen) =>
  `var found = document.createElement("div"); found.className = "fake-widget";
   found.setAttribute("data-seen", JSON.stringify(${seen})); ${target}.appendChild(found);`;

/** Per provider: the scripts a click must ask for, in order, their fakes, what they must find. */
const PROVIDERS = {
  isso: {
    scripts: {
      "https://talk.example.org/isso/js/embed.min.js": `(function () {
        var script = document.currentScript, thread = document.getElementById("isso-thread");
        ${report("thread", `{ isso: script.dataset.isso, lang: script.dataset.issoLang,
          requireAuthor: script.dataset.issoRequireAuthor, id: thread.dataset.issoId, title: thread.dataset.title }`)}
      })();`,
    },
    seen: {
      isso: "https://talk.example.org/isso/", lang: "en", requireAuthor: "true",
      id: "/2025/03/live/", title: "Live comments only",
    },
  },
  remark42: {
    scripts: {
      "https://remark.example.org/web/embed.mjs": `const c = window.remark_config;
        ${report(`document.getElementById("remark42")`, `{ host: c.host, site_id: c.site_id, url: c.url,
          page_title: c.page_title, locale: c.locale, theme: c.theme, components: c.components }`)}`,
    },
    seen: {
      host: "https://remark.example.org", site_id: "news", url: "https://comments.example/2025/03/live/",
      page_title: "Live comments only", locale: "fr", theme: "light", components: ["embed"],
    },
  },
  cusdis: {
    scripts: {
      "https://cusdis.example.org/js/widget/lang/fr.js": `window.CUSDIS_LOCALE = { powered_by: "Commentaires propulsés par Cusdis" };`,
      "https://cusdis.example.org/js/cusdis.es.js": `(function () {
        var thread = document.getElementById("cusdis_thread");
        ${report("thread", `{ host: thread.dataset.host, appId: thread.dataset.appId, pageId: thread.dataset.pageId,
          pageUrl: thread.dataset.pageUrl, pageTitle: thread.dataset.pageTitle, theme: thread.dataset.theme,
          translated: !!window.CUSDIS_LOCALE }`)}
      })();`,
    },
    seen: {
      host: "https://cusdis.example.org", appId: "0b5e-app", pageId: "/2025/03/live/",
      pageUrl: "https://comments.example/2025/03/live/", pageTitle: "Live comments only", theme: "auto",
      translated: true,
    },
  },
};

test(`${provider}: its script loads after the click, with its settings, and nothing before`, { timeout: 30_000 }, async () => {
  const expected = PROVIDERS[provider] ?? assert.fail(`unknown PROVIDER ${provider}`);
  const origin = site.server.origin;
  const context = await site.browser.newContext({ viewport: { width: 390, height: 800 } });
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + "/")) return route.continue();
    const body = expected.scripts[url];
    return body ? route.fulfill({ status: 200, contentType: "text/javascript", body }) : route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(origin + PAGE, { waitUntil: "load" });
  await page.waitForLoadState("networkidle");
  const foreign = () => requests.filter((url) => !url.startsWith(origin + "/"));
  assert.deepEqual(foreign(), [], "requests to other hosts before the click");
  assert.equal(await page.locator("script[src^='https://']").count(), 0);

  await page.getByRole("button", { name: "Show comments" }).click();
  const widget = page.locator(".fake-widget");
  await widget.waitFor({ state: "attached" });
  assert.deepEqual(foreign(), Object.keys(expected.scripts), "the provider's scripts, in order, and nothing else");
  assert.deepEqual(JSON.parse(await widget.getAttribute("data-seen")), expected.seen);
  assert.ok(await page.locator(".discussion__widget").evaluate((w) => w === document.activeElement), "focus on the widget");
  assert.deepEqual(errors, []);
  await context.close();
});
