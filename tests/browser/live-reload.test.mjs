// Watch mode in a real browser: an edit reloads the open page, a CSS change applies without a
// reload, a broken edit shows its error over the last good page, and the fix recovers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fixtureHub, launch, repo, serve } from "./helpers.mjs";

test("live reload, CSS swap, error overlay and recovery", { timeout: 90000 }, async () => {
  const hub = fixtureHub("history");
  const server = await serve(hub.dir);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/acme/privacy-policy/`);
    await page.waitForFunction(() => document.querySelector("#cookies-1") !== null);

    // 1. A content edit: the page reloads by itself and shows the new text; a page the edit
    // does not change stays as it is, also when the hub-wide pages follow.
    const other = await browser.newPage();
    await other.goto(`${server.url}/releases/`, { waitUntil: "domcontentloaded" });
    await other.evaluate(() => { window.untouched = true; });
    const version = join(hub.dir, "content/acme/privacy-policy/2022-01-01.md");
    const good = readFileSync(version, "utf8") + "\nA clause about pangolins, added while the page was open.\n";
    await page.evaluate(() => { window.beforeReload = true; });
    writeFileSync(version, good);
    await page.waitForFunction(() => document.body.innerText.includes("pangolins"), null, { timeout: 15000 });
    assert.equal(await page.evaluate(() => window.beforeReload), undefined, "the page was not reloaded");
    await other.waitForFunction(async () => {
      // The hub-wide part of the search index, which follows the policy's own pages.
      const terms = await fetch("/search-index/terms/7061.json").then((r) => r.text());
      return terms.includes('"pangolins"');
    }, null, { timeout: 15000, polling: 100 });

    // 2. A CSS change applies without a reload (events come in order: when the other page
    // has the new style, it has had the hub refresh's reload event too).
    await page.evaluate(() => { window.sameDocument = true; });
    mkdirSync(join(hub.dir, "static"));
    await new Promise((r) => setTimeout(r, 500));
    writeFileSync(join(hub.dir, "static", "style.css"), readFileSync(join(repo, "static", "style.css"), "utf8") + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n");
    await page.waitForFunction(() => getComputedStyle(document.body).outlineWidth === "7px", null, { timeout: 15000 });
    assert.equal(await page.evaluate(() => window.sameDocument), true, "a CSS change reloaded the page");
    await other.waitForFunction(() => getComputedStyle(document.body).outlineWidth === "7px", null, { timeout: 15000 });
    assert.equal(await other.evaluate(() => window.untouched), true, "a page the edit did not change reloaded");
    await other.close();

    // 3. A broken edit: the last good page stays, with the error over it.
    writeFileSync(version, "+++\neffective = \"broken\n+++\n");
    await page.waitForSelector("#policyhub-error", { timeout: 15000 });
    const overlay = await page.textContent("#policyhub-error");
    assert.match(overlay, /2022-01-01\.md:2/, "the overlay does not name the file and line");
    assert.ok((await page.textContent("body")).includes("pangolins"), "the last good page was replaced");

    // 4. The fix recovers by itself.
    writeFileSync(version, good.replace("pangolins", "armadillos"));
    await page.waitForFunction(() => document.body.innerText.includes("armadillos"), null, { timeout: 15000 });
    assert.equal(await page.$("#policyhub-error"), null, "the error overlay stayed after the fix");
  } finally {
    await browser.close();
    await server.stop();
    hub.remove();
  }
});
