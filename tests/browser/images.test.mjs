// Loads the built `photos` fixture in headless Chromium on a phone-sized screen and checks
// what a reader's browser does with the processed photos: it downloads a small WebP variant,
// never the camera original nor the fallback JPEG, and the hero keeps its box while the photo
// is still on its way, so nothing on the page moves (no layout shift).
//
// Run by tests/testsuite/browser.rs with SITE_DIR (the built `photos` fixture).
import { test } from "node:test";
import assert from "node:assert/strict";
import { builtSite } from "./site.mjs";

const PAGE = "/2025/02/envol/";
// A phone at one device pixel per CSS pixel, so the choice among the fixture's widths
// (320, 640, 1000; originals 1200 wide) is plain: the hero is 100vw - 2rem = 343 px wide.
const PHONE = { viewport: { width: 375, height: 740 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };

const site = builtSite();

/** Opens the article on a phone; `delay` holds image responses back that many ms. */
async function open(delay = 0) {
  const context = await site.browser.newContext(PHONE);
  const images = [];
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    if (!url.startsWith(site.server.origin)) return route.abort();
    if (route.request().resourceType() === "image") {
      images.push(new URL(url).pathname);
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    }
    return route.continue();
  });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__shifts = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__shifts += entry.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  return { context, page, images };
}

test("a phone downloads a small WebP variant of the hero, not the original", async () => {
  const { context, page, images } = await open();
  await page.goto(site.server.origin + PAGE, { waitUntil: "load" });
  await page.waitForLoadState("networkidle");
  const hero = page.locator("figure.hero img");
  const { currentSrc, naturalWidth } = await hero.evaluate((img) =>
    ({ currentSrc: img.currentSrc, naturalWidth: img.naturalWidth }));
  assert.match(currentSrc, /\/images\/goshawk-640\.[0-9a-f]{8}\.webp$/);
  // With `w` descriptors the natural width is the slot's: 640 px drawn at 343 CSS px.
  assert.equal(naturalWidth, 343);
  const goshawk = images.filter((p) => p.includes("goshawk"));
  assert.deepEqual(goshawk.map((p) => p.replace(/\.[0-9a-f]{8}\./, ".")), ["/images/goshawk-640.webp"]);
  assert.ok(!images.some((p) => /\/(goshawk|sumo|retina)\.jpg$/.test(p)), `originals: ${images}`);
  assert.ok(!images.some((p) => p.endsWith(".jpg")), `fallback JPEGs: ${images}`);
  await context.close();
});

test("the hero keeps its box while the photo loads: no layout shift", async () => {
  // Held back long enough that the page is laid out before they come, on a loaded machine too.
  const { context, page } = await open(2500);
  await page.goto(site.server.origin + PAGE, { waitUntil: "domcontentloaded" });
  const hero = page.locator("figure.hero img");
  const before = await hero.boundingBox();
  const complete = await hero.evaluate((img) => img.complete && img.naturalWidth > 0);
  assert.equal(complete, false, "the photo is still on its way");
  // 343 px wide at 1200×897: the box the attributes reserve.
  assert.equal(Math.round(before.width), 343);
  assert.ok(Math.abs(before.height - 343 * 897 / 1200) < 1, `height ${before.height}`);
  const title = await page.locator("h1").boundingBox();
  await page.waitForLoadState("networkidle");
  await hero.evaluate((img) => img.decode());
  const after = await hero.boundingBox();
  // The same box, give or take the rounding of the variant's height (640×478 for 1200×897).
  assert.deepEqual([after.x, after.y, after.width], [before.x, before.y, before.width]);
  assert.ok(Math.abs(after.height - before.height) < 0.5, `${before.height} → ${after.height}`);
  assert.deepEqual(await page.locator("h1").boundingBox(), title);
  // Scroll through the story: the body's photos reserve their boxes too.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__shifts), 0);
  await context.close();
});
