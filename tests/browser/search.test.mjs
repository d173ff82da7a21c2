// Loads the built `search` fixture (French at the root, English under /en/) in headless
// Chromium and searches it as a reader would: results appear as the reader types, from the
// site's own index, with the matched words marked; French words match by their stem; filters
// narrow the results; the language filter searches the English index too; an article's text
// that looks like markup stays text; the header's box leads to the search page; without
// JavaScript the search page leads to the archives. No request leaves the site.
//
// Run by tests/testsuite/search.rs with SITE_DIR (the built `search` fixture).
import { test } from "node:test";
import assert from "node:assert/strict";
import { builtSite, openPage } from "./site.mjs";

const site = builtSite();
const open = (path, options) => openPage(site, path, options);

// Titles as typed: French typography puts a narrow no-break space before ":" and curls quotes.
const titles = async (page) => (await page.locator(".search-result__title a").allTextContents())
  .map((title) => title.replace(/[\u202f\u00a0]/g, " ").replace(/’/g, "'"));
const offSite = (requests) => requests.filter((url) => !url.startsWith(site.server.origin + "/"));

test("results appear as the reader types, stemmed, marked and from the site only", async () => {
  const { context, page, requests } = await open("/search/");
  // "régulations" is in no text: "régulation" shares its French stem.
  await page.locator("#search-q").pressSequentially("régulations");
  await page.waitForFunction(() => document.querySelector(".search-status").textContent === "1 résultat pour « régulations »");
  assert.deepEqual(await titles(page), ["Sommet pour l'action sur l'IA : Paris réunit les dirigeants"]);
  assert.equal(await page.locator(".search-result__excerpt mark").first().textContent(), "régulation");
  assert.equal(await page.locator(".search-result time").first().getAttribute("datetime"), "2025-02-10T08:00:00Z");
  assert.equal(await page.locator(".search-result__title a").first().getAttribute("href"), "/2025/02/sommet-ia/");
  assert.equal(new URL(page.url()).searchParams.get("q"), "régulations");
  assert.deepEqual(offSite(requests), []);
  await context.close();
});

test("filters narrow the results and the language filter reaches the English index", async () => {
  const { context, page } = await open("/search/?q=Paris");
  await page.locator(".search-result").first().waitFor();
  assert.equal(await page.locator(".search-result").count(), 2);
  await page.locator("#search-author").selectOption("Léa Dubois");
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length === 1);
  assert.deepEqual(await titles(page), ["Mistral publie un nouveau modèle ouvert"]);
  await page.locator("#search-author").selectOption("");
  await page.locator("#search-category").selectOption("Politique");
  await page.waitForFunction(() => document.querySelector(".search-result__title")?.textContent.startsWith("Sommet")
    && document.querySelectorAll(".search-result").length === 1);
  await page.locator("#search-category").selectOption("");
  await page.locator("#search-lang").selectOption("all");
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length === 4);
  assert.ok((await titles(page)).includes("AI Action Summit: Paris gathers world leaders"));
  await page.locator("#search-lang").selectOption("en");
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length === 2);
  assert.deepEqual((await titles(page)).sort(), [
    "AI Action Summit: Paris gathers world leaders",
    "Mistral releases a new open model",
  ]);
  await context.close();
});

test("the English part searches its own index, stemmed as English", async () => {
  // "computers" is in no text: "computing" shares its English stem.
  const { context, page, requests } = await open("/en/search/?q=computers");
  await page.locator(".search-result").first().waitFor();
  assert.deepEqual(await titles(page), ["AI Action Summit: Paris gathers world leaders"]);
  assert.ok(requests.some((url) => url.includes("/en/search-index/")));
  assert.ok(!requests.some((url) => new URL(url).pathname.startsWith("/search-index/")));
  await context.close();
});

test("an article's text that looks like markup is shown as text", async () => {
  const { context, page, dialogs } = await open("/search/?q=alert");
  await page.locator(".search-result").first().waitFor();
  const excerpt = page.locator(".search-result__excerpt").first();
  assert.match(await excerpt.textContent(), /<img src=x onerror=alert\(1\)>/);
  assert.equal(await excerpt.locator("img").count(), 0);
  assert.deepEqual(dialogs, []);
  await context.close();
});

test("the header's box leads to the search page with the query", async () => {
  const { context, page } = await open("/");
  await page.locator("#site-search-q").fill("noyau");
  await page.locator("#site-search-q").press("Enter");
  await page.waitForURL(/\/search\/\?q=noyau$/);
  await page.locator(".search-result").first().waitFor();
  assert.deepEqual(await titles(page), ["Rust entre dans le noyau"]);
  await context.close();
});

test("without JavaScript the search page leads to the archives", async () => {
  const { context, page } = await open("/search/?q=noyau", { javaScriptEnabled: false });
  const fallback = page.locator(".search-nojs");
  assert.ok(await fallback.isVisible());
  assert.equal(await fallback.locator("a").first().getAttribute("href"), "/archives/");
  await context.close();
});
