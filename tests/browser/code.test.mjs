// Loads the built `code` fixture in headless Chromium and checks code blocks as a reader
// meets them: the page asks nothing of another host (the copy button works offline), each
// highlighted block gets a copy button, a click copies exactly the code (no line numbers,
// no button label), and without JavaScript the code is there as plain, selectable text.
//
// Run by tests/testsuite/browser.rs with SITE_DIR (the built `code` fixture).
import { test } from "node:test";
import assert from "node:assert/strict";
import { builtSite, openPage } from "./site.mjs";

const PAGE = "/2025/03/options/";

const site = builtSite();

async function open(options = {}) {
  const opened = await openPage(site, PAGE, options);
  await opened.page.waitForLoadState("networkidle");
  return opened;
}

test("each block has a copy button that copies the code only", async () => {
  const { context, page, requests } = await open();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: site.server.origin });
  assert.deepEqual(requests.filter((url) => !url.startsWith(site.server.origin + "/")), []);
  const blocks = await page.locator("pre.code").count();
  assert.equal(await page.locator(".code-block > button.code__copy").count(), blocks);
  assert.equal(await page.locator(".code-block > button.code__copy").first().textContent(), "Copy");

  // The numbered block: line numbers are drawn by CSS and must not be copied.
  const first = page.locator(".code-block").first();
  await first.hover();
  await first.locator("button.code__copy").click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()),
    'fn main() {\n    println!("hello");\n}\n');
  assert.equal(await first.locator("button.code__copy").textContent(), "Copied");

  // The block with marked lines copies its five lines as written.
  const marked = page.locator(".code-block").nth(1);
  await marked.hover();
  await marked.locator("button.code__copy").click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()),
    "/* a comment\n   on two lines */\nlet a = 1;\nlet b = 2;\nlet c = 3;\n");
  await context.close();
});

test("without JavaScript the code is plain text, with no button", async () => {
  const { context, page } = await open({ javaScriptEnabled: false });
  // No copy button: the header's search form has its own, and the share buttons that need
  // a script are in the page, hidden.
  assert.equal(await page.locator(".code-block button, pre button").count(), 0);
  assert.equal(await page.locator("main button:visible").count(), 0);
  const text = await page.locator("pre.code code").first().innerText();
  assert.equal(text.trim(), 'fn main() {\n    println!("hello");\n}');
  await context.close();
});
