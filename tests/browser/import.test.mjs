// Loads an article imported from WordPress (the `wordpress/newsroom.xml` fixture, imported
// then built) in headless Chromium, as a reader meets it: the page asks nothing of another
// host, its comments are there under the text with their count, each reply drawn inside the
// comment it answers, every comment reachable from the keyboard by its permalink, and no
// commenter's e-mail address anywhere on the page.
//
// Run by tests/testsuite/browser.rs with SITE_DIR (the built import).
import { test } from "node:test";
import assert from "node:assert/strict";
import { builtSite } from "./site.mjs";

const PAGE = "/2025/06/wi-fi-7-box/";

const site = builtSite();

test("the imported article shows its threaded comments", async () => {
  const context = await site.browser.newContext({ viewport: { width: 1000, height: 900 } });
  const requests = [];
  const errors = [];
  context.on("request", (request) => requests.push(request.url()));
  await context.route("**/*", (route) =>
    route.request().url().startsWith(site.server.origin) ? route.continue() : route.abort());
  const page = await context.newPage();
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  await page.goto(site.server.origin + PAGE, { waitUntil: "load" });
  await page.waitForLoadState("networkidle");

  assert.deepEqual(requests.filter((url) => !url.startsWith(site.server.origin + "/")), []);
  assert.deepEqual(errors, [], "no console error (a missing file, a failed script)");
  // French typography puts a narrow no-break space before the colon.
  const title = (await page.locator("h1").textContent()).replace(/\s+/gu, " ");
  assert.equal(title, "Wi-Fi 7 : ce que change la nouvelle génération de box");

  const comments = page.getByRole("region", { name: "3 commentaires" });
  assert.equal(await comments.count(), 1, "a labelled region with the count");
  await comments.scrollIntoViewIfNeeded();
  assert.ok(await comments.isVisible());

  // Each reply is drawn inside, and to the right of, the comment it answers.
  const box = async (id) => page.locator(`#comment-${id} > article`).boundingBox();
  const [first, reply, answer] = [await box(1001), await box(1002), await box(1003)];
  assert.ok(reply.x > first.x && answer.x > reply.x, `indented: ${first.x} < ${reply.x} < ${answer.x}`);
  assert.ok(reply.y > first.y && answer.y > reply.y, "in thread order");
  assert.equal(
    await page.getByRole("article", { name: "Marie Lefèvre" }).count(),
    1,
    "each comment is an article named by its author",
  );

  // The keyboard reaches every comment's permalink, which leads to its anchor.
  const permalinks = page.locator(".comment__permalink");
  assert.equal(await permalinks.count(), 3);
  await permalinks.nth(2).focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.hash === "#comment-1003");

  const text = await page.locator("body").innerText();
  for (const secret of ["helene.d@example.fr", "marie.lefevre@lepetitnumerique.fr", "192.0.2.10"]) {
    assert.ok(!text.includes(secret), secret);
  }
  assert.ok(!(await page.content()).includes("@example.fr"));
  await context.close();
});
