// Loads an article of the built `newsletter` fixture (every share link, in the default
// order) in headless Chromium: nothing is asked of another host on load; copy puts the
// permalink in the clipboard and says so; Mastodon asks the reader's server once, in a
// labelled form, then opens https://<server>/share?text=… without asking again, on this
// page and the next; without JavaScript the script-only buttons are hidden and the plain
// links are there; where the browser has the Web Share API, "Other apps…" hands it the title
// and address.
//
// Run by tests/testsuite/share.rs with SITE_DIR (the built `newsletter` fixture).
import { test } from "node:test";
import assert from "node:assert/strict";
import { builtSite } from "./site.mjs";

const ARTICLE = "/2025/03/avec-lettre/";
const PERMALINK = "https://lettre.example/2025/03/avec-lettre/";
const TITLE = "Un article suivi de la lettre";
const SERVER = "mastodon.example";

const site = builtSite();

async function open(options = {}) {
  const context = await site.browser.newContext(options);
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(site.server.origin)) return route.continue();
    // The reader's Mastodon server, answered here: the test looks at the address only.
    if (url.startsWith(`https://${SERVER}/`)) {
      return route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>Mastodon</title>" });
    }
    return route.abort();
  });
  const page = await context.newPage();
  await page.goto(site.server.origin + ARTICLE, { waitUntil: "load" });
  await page.waitForLoadState("networkidle");
  return { context, page, requests };
}

const elsewhere = (requests) =>
  requests.filter((url) => !url.startsWith(site.server.origin + "/") && !url.startsWith(`https://${SERVER}/`));

test("nothing is requested on load, and every button has its visible name", async () => {
  const { context, page, requests } = await open();
  assert.deepEqual(requests.filter((url) => !url.startsWith(site.server.origin + "/")), []);
  for (const name of ["Copier le lien", "Mastodon"]) {
    assert.equal(await page.getByRole("button", { name, exact: true }).isVisible(), true, name);
  }
  for (const name of ["E-mail", "Bluesky", "LinkedIn", "X", "WhatsApp"]) {
    assert.equal(await page.locator(".share a", { hasText: name }).first().isVisible(), true, name);
  }
  // The system's share sheet only where the browser has one.
  const hasShare = await page.evaluate(() => typeof navigator.share === "function");
  assert.equal(await page.locator("[data-share-native]").isVisible(), hasShare);
  await context.close();
});

test("copy puts the permalink in the clipboard and says so", async () => {
  const { context, page, requests } = await open();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: site.server.origin });
  await page.getByRole("button", { name: "Copier le lien" }).click();
  await page.waitForFunction(() => document.querySelector("[data-share-status]").textContent !== "");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), PERMALINK);
  assert.equal(await page.getByRole("status").textContent(), "Lien copié");
  assert.deepEqual(elsewhere(requests), []);
  await context.close();
});

test("Mastodon asks the reader's server once, then remembers it", async () => {
  const { context, page, requests } = await open();
  const mastodon = page.getByRole("button", { name: "Mastodon", exact: true });
  const server = page.getByLabel("Votre serveur Mastodon");
  assert.equal(await server.isVisible(), false);
  await mastodon.click();
  assert.equal(await mastodon.getAttribute("aria-expanded"), "true");
  assert.equal(await server.evaluate((input) => input === document.activeElement), true,
    "the question takes the focus");
  // Escape closes it and gives the focus back; a second click asks again.
  await page.keyboard.press("Escape");
  assert.equal(await server.isVisible(), false);
  assert.equal(await mastodon.getAttribute("aria-expanded"), "false");
  assert.equal(await mastodon.evaluate((button) => button === document.activeElement), true);
  await page.keyboard.press("Enter");
  assert.equal(await server.isVisible(), true);

  // A server is refused until it is one, then written as readers do.
  await server.fill("pas un serveur");
  await page.getByRole("button", { name: "Partager sur Mastodon" }).click();
  assert.equal(await server.getAttribute("aria-invalid"), "true");
  assert.equal(context.pages().length, 1);
  await server.fill(`https://${SERVER}/@lectrice`);
  const [first] = await Promise.all([
    context.waitForEvent("page"),
    page.getByRole("button", { name: "Partager sur Mastodon" }).click(),
  ]);
  await first.waitForLoadState();
  const url = new URL(first.url());
  assert.equal(url.origin + url.pathname, `https://${SERVER}/share`);
  assert.equal(url.searchParams.get("text"), `${TITLE} ${PERMALINK}`);
  assert.equal(await server.isVisible(), false);
  await first.close();

  // The second time, straight to the server.
  const [second] = await Promise.all([context.waitForEvent("page"), mastodon.click()]);
  await second.waitForLoadState();
  assert.equal(new URL(second.url()).host, SERVER);
  assert.equal(await server.isVisible(), false, "not asked again");
  await second.close();

  // And on the next page the reader opens.
  const next = await context.newPage();
  await next.goto(site.server.origin + ARTICLE, { waitUntil: "load" });
  const [third] = await Promise.all([
    context.waitForEvent("page"),
    next.getByRole("button", { name: "Mastodon", exact: true }).click(),
  ]);
  await third.waitForLoadState();
  assert.equal(new URL(third.url()).host, SERVER);
  assert.equal(await next.getByLabel("Votre serveur Mastodon").isVisible(), false);
  assert.equal(await next.getByRole("button", { name: "Changer de serveur Mastodon" }).isVisible(), true);
  assert.deepEqual(elsewhere(requests), []);
  await context.close();
});

test("where the browser has a share sheet, the last button opens it with the title and address", async () => {
  const context = await site.browser.newContext();
  // Headless Chromium on Linux has no Web Share API: a stand-in records what it is given.
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, "share", {
      configurable: true,
      value: async (data) => { window.sharedWith = data; },
    });
  });
  await context.route("**/*", (route) =>
    route.request().url().startsWith(site.server.origin) ? route.continue() : route.abort());
  const page = await context.newPage();
  await page.goto(site.server.origin + ARTICLE, { waitUntil: "load" });
  await page.getByRole("button", { name: "Autres applications…" }).click();
  assert.deepEqual(await page.evaluate(() => window.sharedWith), { title: TITLE, url: PERMALINK });
  await context.close();
});

test("without JavaScript the plain links are there and no button is", async () => {
  const { context, page } = await open({ javaScriptEnabled: false });
  assert.equal(await page.locator(".share button:visible").count(), 0);
  assert.equal(await page.locator(".share a:visible").count(), 5);
  await context.close();
});
