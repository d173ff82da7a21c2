// Drives a page served by `kiosque serve` while its files change on disk, as a writer's
// editor would change them: a new title shows without a manual reload, a stylesheet is
// swapped in place (a JavaScript variable set on the page survives), a broken front matter
// shows an overlay naming the file, and fixing it removes the overlay.
//
// Run by tests/testsuite/browser.rs with SITE_URL (the preview) and SITE_ROOT (its files).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { launchChromium } from "./site.mjs";

const siteUrl = process.env.SITE_URL ?? assert.fail("SITE_URL is not set");
const root = process.env.SITE_ROOT ?? assert.fail("SITE_ROOT is not set");
let browser;

after(async () => {
  await browser?.close();
});

/** Waits until `check` (run in the page) is true, across the page's own reloads. */
async function until(page, check, what) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if (await page.evaluate(check)) return;
    } catch {
      // The page is reloading: its context is gone until the new one loads.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test("saves show up in the open page", async () => {
  browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(siteUrl + "2025/02/sommet/", { waitUntil: "load" });
  const article = path.join(root, "content/2025/sommet.md");
  const original = await readFile(article, "utf8");
  assert.match(original, /^title: "Sommet de l'IA à Paris"$/m);

  await writeFile(article, original.replace(/^title: .*$/m, 'title: "Titre en direct"'));
  await until(page, () => document.querySelector("h1")?.textContent.includes("Titre en direct"),
    "the new title");

  await page.evaluate(() => { window.kiosqueMarker = 42; });
  await writeFile(path.join(root, "static/style.css"), "body { background-color: rgb(1, 2, 3); }\n");
  await until(page, () => getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)",
    "the new stylesheet");
  assert.equal(await page.evaluate(() => window.kiosqueMarker), 42,
    "a stylesheet change does not reload the page");

  await writeFile(article, "---\ntitle: [\n---\n");
  await until(page, () => document.getElementById("kiosque-errors")?.textContent
    .includes("content/2025/sommet.md"), "the error overlay naming the file");
  assert.equal(await page.evaluate(() => window.kiosqueMarker), 42,
    "the overlay comes over the page, which is not reloaded");

  await writeFile(article, original);
  await until(page, () => !document.getElementById("kiosque-errors") &&
    document.querySelector("h1")?.textContent.includes("Sommet"), "the overlay gone");
});
