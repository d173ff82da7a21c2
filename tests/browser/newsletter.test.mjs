// Loads the built `newsletter` fixture in headless Chromium and signs up as a reader would:
// the e-mail field found by its label, the form sent by its button. The form's https action
// (Brevo's host) is answered by a local Node server the request is forwarded to, which
// records what arrives: exactly the e-mail, the preset's hidden fields and an empty
// honeypot, posted as a form. Nothing is asked of any other host; the honeypot is out of the
// tab order; an address the browser finds invalid is not sent.
//
// Run by tests/testsuite/newsletter.rs with SITE_DIR (the built `newsletter` fixture).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { builtSite } from "./site.mjs";

const ACTION = "https://a1b2c3.sibforms.com/serve/MUIFAKEFORM";
const ARTICLE = "/2025/03/avec-lettre/";

const site = builtSite();

/** A stand-in for the provider on 127.0.0.1, recording each request and its form fields. */
async function provider() {
  const received = [];
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk) => { body += chunk; });
    request.on("end", () => {
      received.push({
        method: request.method,
        path: request.url,
        type: request.headers["content-type"],
        fields: [...new URLSearchParams(body)],
      });
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end("<!doctype html><html lang=\"fr\"><title>Merci</title><p>Merci</p></html>");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, received, close: () => server.close() };
}

/** A page of the site whose requests to ACTION go to `stand_in`; every other host refused. */
async function open(standIn, path) {
  const context = await site.browser.newContext();
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  await context.route("**/*", async (route) => {
    const request = route.request();
    if (request.url().startsWith(site.server.origin)) return route.continue();
    if (request.url() === ACTION) {
      // Chromium cannot continue an https request to http: the test forwards it itself.
      const answer = await fetch(standIn.origin + new URL(ACTION).pathname, {
        method: request.method(),
        headers: { "content-type": request.headers()["content-type"] },
        body: request.postData(),
      });
      return route.fulfill({
        status: answer.status,
        headers: { "content-type": answer.headers.get("content-type") },
        body: await answer.text(),
      });
    }
    return route.abort();
  });
  const page = await context.newPage();
  await page.goto(site.server.origin + path, { waitUntil: "load" });
  return { context, page, requests };
}

const elsewhere = (requests) =>
  requests.filter((url) => !url.startsWith(site.server.origin + "/") && url !== ACTION);

test("the form sends exactly the e-mail, the hidden fields and an empty honeypot", async () => {
  const standIn = await provider();
  const { context, page, requests } = await open(standIn, ARTICLE);
  assert.deepEqual(requests.filter((url) => !url.startsWith(site.server.origin + "/")), [],
    "nothing but the site before the reader signs up");

  await page.getByLabel("Votre adresse e-mail").fill("lectrice@example.org");
  await Promise.all([
    page.waitForURL(ACTION),
    page.getByRole("button", { name: "S’abonner" }).click(),
  ]);
  assert.equal(standIn.received.length, 1);
  const [sent] = standIn.received;
  assert.equal(sent.method, "POST");
  assert.equal(sent.path, "/serve/MUIFAKEFORM");
  assert.equal(sent.type, "application/x-www-form-urlencoded");
  assert.deepEqual(sent.fields, [
    ["EMAIL", "lectrice@example.org"],
    ["locale", "fr"],
    ["html_type", "simple"],
    ["email_address_check", ""],
  ]);
  assert.match(await page.textContent("body"), /Merci/);
  assert.deepEqual(elsewhere(requests), []);
  await context.close();
  standIn.close();
});

test("from the keyboard the honeypot is skipped, and a bad address is not sent", async () => {
  const standIn = await provider();
  const { context, page, requests } = await open(standIn, "/en/");
  const email = page.getByLabel("Your e-mail address");
  await email.focus();
  await page.keyboard.type("not-an-address");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Sign me up",
    "Tab goes from the e-mail straight to the button");
  await page.keyboard.press("Enter");
  await page.waitForTimeout(300);
  assert.equal(standIn.received.length, 0, "the browser refuses an invalid address");
  assert.equal(await email.evaluate((input) => input.validity.typeMismatch), true);

  await email.fill("reader@example.org");
  await Promise.all([page.waitForURL(ACTION), email.press("Enter")]);
  assert.deepEqual(standIn.received[0].fields, [
    ["EMAIL", "reader@example.org"],
    ["locale", "en"],
    ["html_type", "simple"],
    ["email_address_check", ""],
  ]);
  assert.deepEqual(elsewhere(requests), []);
  await context.close();
  standIn.close();
});
