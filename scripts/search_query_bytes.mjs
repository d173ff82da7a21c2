// The bytes a reader's search downloads, in headless Chromium: serves a built site, opens its
// search page with a query, waits for the results, and adds up what was fetched from the
// index (/search-index/) for it: its description, the pieces of the query's words and the
// pages of the results shown. Used by scripts/bench_search.sh.
//
// Usage: node scripts/search_query_bytes.mjs SITE_DIR
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../tests/browser/package.json"));
const { chromium } = require("playwright-core");
const { serveSite } = await import(path.join(here, "../tests/browser/site.mjs"));

const site = process.argv[2];
const server = await serveSite(site);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
// Words of the generated corpus (scripts/gen_corpus.py): one in every article, one in about
// 500, two together, and one in none.
for (const query of ["version", "postgresql", "webassembly postgresql", "zzzz"]) {
  const context = await browser.newContext();
  const page = await context.newPage();
  let bytes = 0;
  let files = 0;
  page.on("response", async (response) => {
    if (!new URL(response.url()).pathname.includes("/search-index/")) return;
    const body = await response.body().catch(() => Buffer.alloc(0));
    bytes += body.length;
    files += 1;
  });
  await page.goto(`${server.origin}/search/?q=${encodeURIComponent(query)}`);
  await page.waitForFunction(() => /\d|«|“/.test(document.querySelector(".search-status")?.textContent ?? ""));
  await page.waitForLoadState("networkidle");
  const status = await page.locator(".search-status").textContent();
  console.log(`query "${query}": ${(bytes / 1024).toFixed(0)} KiB in ${files} files (${status})`);
  await context.close();
}
await browser.close();
server.close();
