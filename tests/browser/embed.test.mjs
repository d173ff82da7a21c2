// Loads the built `embeds` fixture in headless Chromium and checks the click-to-load players
// as a reader meets them: nothing is asked of any host but the local server until a facade is
// clicked (or pressed from the keyboard); the click swaps the facade for the provider's player,
// in the same box, from the privacy-enhanced host, and hands it the focus; native audio and
// video fetch nothing before play; with JavaScript off every facade is a plain link.
//
// Run by tests/testsuite/browser.rs with SITE_DIR (the built `embeds` fixture).
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { launchChromium, serveSite } from "./site.mjs";

const siteDir = path.resolve(process.env.SITE_DIR ?? assert.fail("SITE_DIR is not set"));

/** The fixture's pages, with how many players and native media files each holds. */
const PAGES = [
  { path: "/2025/02/urls/", facades: 8, media: 2 },
  { path: "/2025/02/shortcodes/", facades: 8, media: 2 },
  { path: "/2025/02/front-matter/", facades: 8, media: 2 },
  { path: "/2025/02/options/", facades: 6, media: 1 },
];
const ALL_PROVIDERS = "/2025/02/urls/";

/**
 * Every click-to-load provider: the name its label must carry, the page a link without
 * JavaScript leads to, and the player the click loads (for the fixture's media).
 */
const PROVIDERS = {
  youtube: {
    name: "YouTube",
    page: "https://www.youtube.com/watch?v=Kq7vT3mPz_A&t=90s",
    player: "https://www.youtube-nocookie.com/embed/Kq7vT3mPz_A",
  },
  vimeo: {
    name: "Vimeo",
    page: "https://vimeo.com/76979871",
    player: "https://player.vimeo.com/video/76979871",
  },
  dailymotion: {
    name: "Dailymotion",
    page: "https://www.dailymotion.com/video/x8m8jm4",
    player: "https://www.dailymotion.com/embed/video/x8m8jm4",
  },
  peertube: {
    name: "PeerTube",
    page: "https://framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv",
    player: "https://framatube.org/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv",
  },
  gist: {
    name: "GitHub Gist",
    page: "https://gist.github.com/octocat/6cad326836d38bd3a7ae",
    player: "https://gist.github.com/octocat/6cad326836d38bd3a7ae",
  },
  codepen: {
    name: "CodePen",
    page: "https://codepen.io/chriscoyier/pen/gfdDu",
    player: "https://codepen.io/chriscoyier/embed/gfdDu",
  },
  soundcloud: {
    name: "SoundCloud",
    page: "https://soundcloud.com/franceculture/la-science-cqfd",
    player: "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Ffranceculture%2Fla-science-cqfd",
  },
  spotify: {
    name: "Spotify",
    page: "https://open.spotify.com/episode/7makk4oTQel546B0PZlDM5",
    player: "https://open.spotify.com/embed/episode/7makk4oTQel546B0PZlDM5",
  },
};

let server;
let browser;
let origin;

before(async () => {
  server = await serveSite(siteDir);
  origin = server.origin;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

/**
 * A tab whose every request (its frames' included) is recorded in order, from the last
 * `open`; requests leaving this machine are refused. Each group of tests below shares one,
 * opening page after page in it: a browser context costs far more than a navigation.
 */
async function recordedTab(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 }, ...options });
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  await context.route("**/*", (route) =>
    route.request().url().startsWith(origin) ? route.continue() : route.abort());
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  return { page, requests };
}

/** Loads a page of the site afresh and lets it settle: `load`, then no network for 500 ms. */
async function open(tab, pagePath) {
  tab.requests.length = 0;
  await tab.page.goto(origin + pagePath, { waitUntil: "load" });
  await tab.page.waitForLoadState("networkidle");
  return tab;
}

/** The requests that went anywhere but the local server (data: and blob: never leave). */
function foreign(requests) {
  return requests.filter((url) => !url.startsWith(origin + "/") && !/^(data|blob):/.test(url));
}

function assertNothingLeft(requests, when) {
  const offenders = foreign(requests);
  assert.deepEqual(offenders, [], `requests to other hosts ${when}:\n  ${offenders.join("\n  ")}`);
}

/** The provider key of a player figure (`embed embed--vimeo embed--landscape` → `vimeo`). */
function providerOf(figureClass) {
  const key = Object.keys(PROVIDERS).find((name) => figureClass.split(/\s+/).includes(`embed--${name}`));
  assert.ok(key, `a player of an unknown provider: ${figureClass}`);
  return key;
}

/** An element's box in document coordinates, so that scrolling does not move it. */
function documentBox(locator) {
  return locator.evaluate((element) => {
    const r = element.getBoundingClientRect();
    return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height };
  });
}

function assertSameBox(after, before, what) {
  for (const side of ["x", "y", "width", "height"]) {
    assert.ok(Math.abs(after[side] - before[side]) <= 1,
      `${what}: ${side} moved from ${before[side]} to ${after[side]} (before ${JSON.stringify(before)}, after ${JSON.stringify(after)})`);
  }
}

/**
 * Clicks (or runs `press`) on a facade and checks the player that replaces it: the iframe's
 * source, the only host asked after the click, the box kept by the facade, the element after
 * the figure unmoved. Returns the iframe.
 */
async function play(page, requests, figure, expected, press = () => figure.locator("button.embed__facade").click()) {
  const button = figure.locator("button.embed__facade");
  const facadeBox = await documentBox(button);
  const next = figure.locator("xpath=following-sibling::*[1]");
  const nextBox = (await next.count()) ? await documentBox(next) : null;
  const host = new URL(expected.player).host;
  const asked = requests.length;

  // The route refuses the player's request: wait until it has failed, then a little more for
  // anything else the click might have set off.
  const playerFailed = page.waitForEvent("requestfailed", { predicate: (request) => new URL(request.url()).host === host, timeout: 5000 });
  playerFailed.catch(() => {}); // awaited below, unless an assertion fails first
  await press();
  const iframe = figure.locator("iframe");
  await iframe.waitFor({ state: "attached", timeout: 5000 });
  const src = await iframe.getAttribute("src");
  assert.ok(src.startsWith(expected.player), `player ${src}, expected ${expected.player}…`);
  assert.equal(await button.count(), 0, "the facade is gone");
  await playerFailed;
  await page.waitForTimeout(100);
  const hosts = [...new Set(foreign(requests.slice(asked)).map((url) => new URL(url).host))];
  assert.deepEqual(hosts, [host], `hosts asked after the click: ${requests.slice(asked).join(", ")}`);

  assertSameBox(await documentBox(iframe), facadeBox, "the player's box against the facade's");
  if (nextBox) assertSameBox(await documentBox(next), nextBox, "the element after the player");
  return iframe;
}

describe("embeds", { concurrency: true, timeout: 60_000 }, () => {
  describe("each page, with JavaScript", { concurrency: false }, () => {
    let tab;
    before(async () => { tab = await recordedTab(); });
    for (const { path: pagePath, facades, media } of PAGES) {
      test(`${pagePath}: nothing leaves the machine before a click`, async () => {
        const { page, requests } = await open(tab, pagePath);

        assertNothingLeft(requests, `while loading ${pagePath}`);

        // Read the page in one go (one round trip), then check.
        const seen = await page.evaluate(() => ({
          iframes: document.querySelectorAll("iframe").length,
          hints: [...document.querySelectorAll("link[rel~=preconnect], link[rel~=dns-prefetch], link[rel~=prefetch], link[rel~=preload]")]
            .map((link) => link.href),
          links: document.querySelectorAll("a.embed__facade").length,
          players: [...document.querySelectorAll("figure.embed")].map((figure) => {
            const facade = figure.querySelector(":scope > .embed__facade");
            return {
              figure: figure.className,
              tag: facade?.tagName,
              type: facade?.getAttribute("type"),
              label: facade?.getAttribute("aria-label"),
            };
          }),
          files: [...document.querySelectorAll("figure.embed-file :is(audio, video)")].map((file) => ({
            html: file.outerHTML,
            preload: file.getAttribute("preload"),
            sources: [...file.querySelectorAll("source")].map((source) => source.src),
          })),
        }));

        assert.equal(seen.iframes, 0, "no player before a click");
        assert.deepEqual(seen.hints.filter((href) => !href.startsWith(origin + "/")), [], "resource hints to other hosts");
        assert.equal(seen.links, 0, "every facade link became a button");
        assert.equal(seen.players.length, facades, "players on the page");
        for (const player of seen.players) {
          const { name } = PROVIDERS[providerOf(player.figure)];
          assert.equal(player.tag, "BUTTON", `the ${name} facade`);
          assert.equal(player.type, "button", `the ${name} facade's type`);
          assert.ok(player.label?.trim() && player.label.includes(name),
            `the ${name} facade's aria-label: ${JSON.stringify(player.label)}`);
        }

        assert.equal(seen.files.length, media, "native audio and video on the page");
        for (const file of seen.files) assert.equal(file.preload, "none", file.html);
        const sources = seen.files.flatMap((file) => file.sources);
        assert.equal(sources.length, media);
        const fetched = requests.filter((url) => sources.includes(url) || new URL(url).host === "media.example.org");
        assert.deepEqual(fetched, [], "media files fetched before play");
      });
    }
  });

  describe("each page, without JavaScript", { concurrency: false }, () => {
    let tab;
    before(async () => { tab = await recordedTab({ javaScriptEnabled: false }); });
    for (const { path: pagePath, facades } of PAGES) {
      test(`${pagePath}: every facade is a plain link to the medium's page`, async () => {
        const { page, requests } = await open(tab, pagePath);

        assertNothingLeft(requests, `while loading ${pagePath} without JavaScript`);
        const seen = await page.evaluate(() => ({
          buttons: document.querySelectorAll("button.embed__facade").length,
          iframes: document.querySelectorAll("iframe").length,
          players: [...document.querySelectorAll("figure.embed")].map((figure) => {
            const facade = figure.querySelector(":scope > .embed__facade");
            return {
              figure: figure.className,
              tag: facade?.tagName,
              href: facade?.getAttribute("href"),
              player: facade?.getAttribute("data-embed-src"),
            };
          }),
        }));

        assert.equal(seen.buttons, 0, "no facade became a button");
        assert.equal(seen.iframes, 0, "no player");
        assert.equal(seen.players.length, facades, "players on the page");
        for (const player of seen.players) {
          const provider = PROVIDERS[providerOf(player.figure)];
          assert.equal(player.tag, "A", `the ${provider.name} facade is a link`);
          assert.match(player.href ?? "", /^https:\/\//, `the ${provider.name} link`);
          assert.ok(!player.href.startsWith(player.player), `the ${provider.name} link leads to the player: ${player.href}`);
          // The options page gives other media; the others each give the fixture's one.
          if (pagePath !== "/2025/02/options/") assert.equal(player.href, provider.page, `the ${provider.name} link`);
        }
        assert.equal(seen.players[0].href, PROVIDERS.youtube.page, "the first YouTube link keeps its start time");
      });
    }
  });

  describe("playing", { concurrency: false }, () => {
    let tab;
    before(async () => { tab = await recordedTab(); });
    test("a click loads the player, YouTube's from youtube-nocookie.com, each in its facade's box", async () => {
      const { page, requests } = await open(tab, ALL_PROVIDERS);

      const clicked = requests.length;
      const youtube = await play(page, requests, page.locator("figure.embed--youtube"), PROVIDERS.youtube);
      assert.equal(await page.locator("iframe").count(), 1, "only the clicked player loads");
      const after = foreign(requests.slice(clicked));
      assert.ok(after[0]?.startsWith(PROVIDERS.youtube.player), `first request out after the click: ${after[0]}`);
      assert.deepEqual(after.filter((url) => new URL(url).host === "www.youtube.com"), [], "nothing asked of www.youtube.com");
      assert.equal(await youtube.getAttribute("title"), "Vidéo YouTube");

      for (const [key, expected] of Object.entries(PROVIDERS)) {
        if (key !== "youtube") await play(page, requests, page.locator(`figure.embed--${key}`), expected);
      }
      assert.equal(await page.locator("iframe").count(), Object.keys(PROVIDERS).length);
    });

    test("from the keyboard: Tab reaches a facade, Enter or Space plays it and focuses the player", async () => {
      const { page, requests } = await open(tab, ALL_PROVIDERS);
      const isFocused = (locator) => locator.evaluate((element) => element === document.activeElement);
      const focused = () => page.evaluate(() => {
        const element = document.activeElement;
        return element ? `<${element.tagName.toLowerCase()} class="${element.className}">` : "nothing";
      });

      await page.locator("figure.embed--youtube button.embed__facade").focus();
      await page.keyboard.press("Tab");
      const vimeo = page.locator("figure.embed--vimeo");
      assert.ok(await isFocused(vimeo.locator("button.embed__facade")),
        `Tab goes from the YouTube facade to the Vimeo one, not to ${await focused()}`);
      const player = await play(page, requests, vimeo, PROVIDERS.vimeo, () => page.keyboard.press("Enter"));
      assert.match(await player.getAttribute("src"), /[?&]dnt=1(&|$)/);
      assert.ok(await isFocused(player), `the Vimeo player has the focus, not ${await focused()}`);

      const dailymotion = page.locator("figure.embed--dailymotion");
      await dailymotion.locator("button.embed__facade").focus();
      const other = await play(page, requests, dailymotion, PROVIDERS.dailymotion, () => page.keyboard.press("Space"));
      assert.ok(await isFocused(other), `the Dailymotion player has the focus, not ${await focused()}`);
    });
  });
});
