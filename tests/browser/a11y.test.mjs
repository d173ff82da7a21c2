// axe-core, in headless Chromium, on the built `around` fixture: an article page with every
// block around the story on (search box, share links, newsletter form, archived and live
// comments, a video facade, code), the home page, and the search page showing results, in
// the light and dark schemes at phone and desktop widths. Every rule of WCAG 2.2 A and AA and
// axe's best practices must pass: no violation at all.
//
// Run by tests/testsuite/browser.rs with SITE_DIR (the built `around` fixture).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { builtSite } from "./site.mjs";

const axeSource = createRequire(import.meta.url)("axe-core").source;
const site = builtSite();

const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };
const SCHEMES = ["light", "dark"];

/** Opens `path` and returns axe's violations, each with the markup of its first nodes. */
async function violations(path, { viewport, colorScheme }, prepare = async () => {}) {
  const context = await site.browser.newContext({ viewport, colorScheme });
  await context.route("**/*", (route) =>
    route.request().url().startsWith(site.server.origin) ? route.continue() : route.abort());
  const page = await context.newPage();
  await page.goto(site.server.origin + path, { waitUntil: "load" });
  await prepare(page);
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
  }));
  await context.close();
  assert.ok(result.passes.length > 20, `axe ran its rules on ${path}`);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.html).join("\n    ")}`);
}

for (const [width, viewport] of Object.entries(VIEWPORTS)) {
  for (const colorScheme of SCHEMES) {
    const settings = { viewport, colorScheme };

    test(`the article page with every block, ${width}, ${colorScheme}`, async () => {
      const found = await violations("/2025/02/sommet/", settings, async (page) => {
        // Every block is there, and nothing is loaded from a provider.
        for (const block of [".site-search", ".share", ".newsletter", ".comments", ".discussion", ".embed"]) {
          assert.ok(await page.locator(block).count() > 0, `${block} is on the page`);
        }
      });
      assert.deepEqual(found, []);
    });

    test(`the home page with the newsletter form, ${width}, ${colorScheme}`, async () => {
      assert.deepEqual(await violations("/", settings), []);
    });

    test(`the search page showing results, ${width}, ${colorScheme}`, async () => {
      const found = await violations("/search/?q=sommet", settings, async (page) => {
        await page.locator(".search-result").first().waitFor();
      });
      assert.deepEqual(found, []);
    });
  }
}

test("the share dialog asking for a Mastodon server", async () => {
  const found = await violations("/2025/02/sommet/", { viewport: VIEWPORTS.phone, colorScheme: "light" }, async (page) => {
    await page.locator(".share button", { hasText: /Mastodon/ }).first().click();
  });
  assert.deepEqual(found, []);
});
