// Shared by the browser tests: a static server for a built site on 127.0.0.1, and Debian's
// Chromium, launched so that no host but the local one even resolves.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";

const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".svg": "image/svg+xml", ".mp3": "audio/mpeg", ".jpg": "image/jpeg", ".png": "image/png",
  ".webp": "image/webp", ".avif": "image/avif",
};

/** Serves `siteDir`; resolves to `{ origin, close }`. */
export async function serveSite(siteDir) {
  const root = path.resolve(siteDir);
  const server = createServer(async (request, response) => {
    let file = path.join(root, decodeURIComponent(new URL(request.url, "http://x").pathname));
    if (!file.startsWith(root)) return response.writeHead(400).end();
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
      const body = await readFile(file);
      response.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** Headless Chromium, hermetic even if a request escaped a test's routes. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
  });
}

/**
 * Opens `path` of `site` (see `builtSite`) in a new context with `options`, every request off
 * the site aborted; resolves to `{ context, page, requests, dialogs }`: every URL asked for,
 * and the message of every dialog (each dismissed).
 */
export async function openPage(site, path, options = {}) {
  const context = await site.browser.newContext(options);
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  await context.route("**/*", (route) =>
    route.request().url().startsWith(site.server.origin) ? route.continue() : route.abort());
  const page = await context.newPage();
  const dialogs = [];
  page.on("dialog", (dialog) => { dialogs.push(dialog.message()); dialog.dismiss(); });
  await page.goto(site.server.origin + path, { waitUntil: "load" });
  return { context, page, requests, dialogs };
}

/**
 * The built site at SITE_DIR served, and Chromium, for the tests of one file: both started
 * before its first test and stopped after its last. `server` and `browser` are set once the
 * tests run.
 */
export function builtSite() {
  const siteDir = path.resolve(process.env.SITE_DIR ?? assert.fail("SITE_DIR is not set"));
  const site = { server: undefined, browser: undefined };
  before(async () => {
    site.server = await serveSite(siteDir);
    site.browser = await launchChromium();
  });
  after(async () => {
    await site.browser?.close();
    site.server?.close();
  });
  return site;
}
