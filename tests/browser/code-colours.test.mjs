// Loads the built `code-colours` fixture in headless Chromium, in light and in dark mode, and
// checks every character of its highlighted blocks as a reader sees it: the colour, weight,
// slant, underline and background the page computes for the character must be the ones
// syntect's theme gives the scope stack at that character, as EXPECTED_STYLES lists them
// (computed in tests/testsuite/browser.rs from syntect alone, without Kiosque's renderer).
// White space shows no colour, weight or slant, so only its background and underline count;
// line breaks show nothing at all.
//
// Run by tests/testsuite/browser.rs with SITE_DIR (the built fixture) and EXPECTED_STYLES.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { builtSite, openPage } from "./site.mjs";

const PAGE = "/2025/03/colours/";

const site = builtSite();
const expected = JSON.parse(
  readFileSync(process.env.EXPECTED_STYLES ?? assert.fail("EXPECTED_STYLES is not set"), "utf8"));

/** Each highlighted block of the page: its language, and each character with its computed style. */
function shownStyles() {
  const rgba = (css) => {
    const [r, g, b, a = 1] = css.match(/[\d.]+/g).map(Number);
    return [r, g, b, Math.round(a * 255)];
  };
  return [...document.querySelectorAll("pre.code[data-lang]")].map((pre) => {
    const chars = [];
    const walker = document.createTreeWalker(pre.querySelector("code"), NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      const style = getComputedStyle(element);
      // The background the reader sees is the nearest one painted, up to the block's own;
      // an underline drawn by any element around the text shows under it.
      let background = null;
      let underline = false;
      for (let e = element; ; e = e.parentElement) {
        const own = getComputedStyle(e);
        underline ||= own.textDecorationLine.includes("underline");
        if (!background && (own.backgroundColor !== "rgba(0, 0, 0, 0)" || e === pre)) {
          background = rgba(own.backgroundColor);
        }
        if (e === pre) break;
      }
      const shown = {
        color: rgba(style.color),
        background,
        bold: Number(style.fontWeight) >= 600,
        italic: style.fontStyle === "italic",
        underline,
      };
      for (const char of node.data) chars.push({ char, ...shown });
    }
    return { lang: pre.dataset.lang, chars };
  });
}

/** Equal styles; an alpha may differ by one, as the browser keeps it as a fraction. */
function same(shown, wanted) {
  if (!Array.isArray(wanted)) return shown === wanted;
  return wanted.every((value, i) => Math.abs(shown[i] - value) <= (i === 3 ? 1 : 0));
}

for (const scheme of ["light", "dark"]) {
  test(`every highlighted character shows its ${scheme} theme's style`, async () => {
    const { context, page } = await openPage(site, PAGE, { colorScheme: scheme });
    const blocks = await page.evaluate(shownStyles);
    assert.deepEqual(blocks.map((b) => b.lang), expected.map((b) => b.lang));
    const wrong = [];
    let compared = 0;
    blocks.forEach((block, index) => {
      const want = expected[index];
      assert.equal(block.chars.map((c) => c.char).join(""), want.text, `text of the ${block.lang} block`);
      block.chars.forEach(({ char, ...shown }, at) => {
        if (char === "\n") return;
        const style = want[scheme][at];
        const keys = /\s/.test(char) ? ["background", "underline"]
          : ["color", "background", "bold", "italic", "underline"];
        compared++;
        for (const key of keys) {
          if (!same(shown[key], style[key])) {
            wrong.push(`${block.lang} character ${at} ${JSON.stringify(char)}: ${key} ` +
              `${JSON.stringify(shown[key])}, expected ${JSON.stringify(style[key])}`);
          }
        }
      });
    });
    assert.ok(compared > 500, `only ${compared} characters compared`);
    assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} characters differ`);
    await context.close();
  });
}
