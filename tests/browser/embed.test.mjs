// Loads a built article in headless Chromium and checks the YouTube facade as a reader meets
// it: nothing requested from any host but the local server before the click, then the
// privacy-enhanced player; a plain link when JavaScript is off.
//
// Run by tests/testsuite/browser.rs with SITE_DIR (a built site), PAGE and VIDEO_ID.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";

const siteDir = process.env.SITE_DIR;
const pagePath = process.env.PAGE;
const videoId = process.env.VIDEO_ID;
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml" };

let server;
let browser;
let origin;

async function serve(request, response) {
  let file = path.join(siteDir, decodeURIComponent(new URL(request.url, "http://x").pathname));
  if (!file.startsWith(siteDir)) return response.writeHead(400).end();
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
    const body = await readFile(file);
    response.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" }).end(body);
  } catch {
    response.writeHead(404).end();
  }
}

before(async () => {
  server = createServer(serve);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A page whose every request is recorded; requests leaving this machine are refused. */
async function recordedPage(options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const requests = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    requests.push(url);
    return url.startsWith(origin) ? route.continue() : route.abort();
  });
  return { page, requests };
}

test("nothing leaves the local server before the click; the click loads the nocookie player", async () => {
  const { page, requests } = await recordedPage();
  await page.goto(origin + pagePath, { waitUntil: "load" });

  const foreign = requests.filter((url) => !url.startsWith(origin));
  assert.deepEqual(foreign, [], "requests to other hosts before any click");
  assert.equal(await page.locator("iframe").count(), 0, "no player before the click");

  const button = page.locator("button.embed__facade").first();
  assert.equal(await button.count(), 1, "the script turned the link into a button");
  assert.match(await button.getAttribute("aria-label"), /Discours de clôture/);

  await button.click();
  const iframe = page.locator("iframe").first();
  await iframe.waitFor({ state: "attached" });
  const src = await iframe.getAttribute("src");
  assert.ok(src.startsWith(`https://www.youtube-nocookie.com/embed/${videoId}`), src);
});

test("without JavaScript the facade is a plain link to the video", async () => {
  const { page } = await recordedPage({ javaScriptEnabled: false });
  await page.goto(origin + pagePath, { waitUntil: "load" });
  const link = page.locator("a.embed__facade").first();
  assert.equal(await link.getAttribute("href"), `https://www.youtube.com/watch?v=${videoId}&t=90s`);
  assert.equal(await page.locator("button.embed__facade").count(), 0);
});
