// The change-class filter in Chromium: its links hide formatting (and editorial) changes
// without JavaScript (:target), and with it the choice is remembered for the next redline.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fixtureHub, launch, serve } from "./helpers.mjs";

const hidden = (page, selector) =>
  page.$$eval(selector, (rows) => rows.map((row) => getComputedStyle(row).display === "none"));

test("the class filter hides changes by class, with and without JavaScript, and is remembered", { timeout: 90000 }, async () => {
  const hub = fixtureHub("history");
  const server = await serve(hub.dir);
  const browser = await launch();
  try {
    const redline = `${server.url}/acme/privacy-policy/2021-01-01/diff/`;
    for (const javaScriptEnabled of [false, true]) {
      const context = await browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(redline);
      assert.ok((await hidden(page, ".redline .class-formatting")).every((h) => !h), "nothing hidden at first");
      assert.ok((await page.$$(".redline .class-formatting")).length > 0, "the fixture has a formatting change");
      await page.click('nav.class-filter a[href="#substantive-only"]');
      await page.waitForFunction(() => getComputedStyle(document.querySelector(".redline .class-formatting")).display === "none");
      assert.ok((await hidden(page, ".redline .class-substantive")).every((h) => !h), "substantive changes stay");
      assert.ok((await hidden(page, ".redline .class-editorial")).every((h) => h), "editorial changes go");
      // Another redline opened next: with JavaScript the filter is remembered, without it not.
      await page.goto(`${server.url}/acme/privacy-policy/2022-01-01/diff/`);
      await page.goto(redline);
      const remembered = (await hidden(page, ".redline .class-formatting")).every((h) => h);
      assert.equal(remembered, javaScriptEnabled, `remembered with JavaScript ${javaScriptEnabled}`);
      if (javaScriptEnabled) {
        const current = await page.getAttribute('nav.class-filter a[aria-current="true"]', "href");
        assert.equal(current, "#substantive-only");
        await page.click('nav.class-filter a[href="#every-change"]');
        await page.waitForFunction(() => getComputedStyle(document.querySelector(".redline .class-formatting")).display !== "none");
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
    hub.remove();
  }
});
