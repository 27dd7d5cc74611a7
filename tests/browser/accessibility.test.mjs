// axe-core in Chromium on one page of every kind, in the light and the dark theme: no serious
// or critical violation of WCAG 2.1 A/AA.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { fixtureHub, launch, serve } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");

const pages = {
  home: "/",
  organisation: "/acme/",
  "policy (latest)": "/acme/privacy-policy/",
  version: "/acme/privacy-policy/2020-01-01/",
  redline: "/acme/privacy-policy/2021-01-01/diff/",
  timeline: "/acme/privacy-policy/changes/",
  "clause history": "/acme/privacy-policy/clauses/",
  "point in time (answered)": "/acme/privacy-policy/at/?date=2021-06-01",
  "compare (redline made)": "/acme/privacy-policy/compare/?from=2020-01-01&to=2022-01-01",
  "recent changes": "/changes/",
  releases: "/releases/",
  "search (with results)": "/search/?q=keep%20data",
  "not found": "/no/such/page/",
};

test("no serious or critical accessibility violation, light and dark", { timeout: 180000 }, async () => {
  const hub = fixtureHub("history");
  const server = await serve(hub.dir);
  const browser = await launch();
  const problems = [];
  try {
    for (const scheme of ["light", "dark"]) {
      const context = await browser.newContext({ bypassCSP: true, colorScheme: scheme });
      const page = await context.newPage();
      for (const [kind, path] of Object.entries(pages)) {
        await page.goto(server.url + path);
        if (path.startsWith("/search/")) await page.waitForSelector(".search-result mark", { timeout: 20000 });
        if (path.includes("/compare/")) await page.waitForSelector("#compare-result:not([hidden]) .row", { timeout: 20000 });
        if (path.includes("/at/")) await page.waitForSelector("#at-answer a", { timeout: 20000 });
        await page.addScriptTag({ path: axePath });
        const result = await page.evaluate(() =>
          window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }),
        );
        for (const v of result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
          problems.push(`${kind} (${scheme}): ${v.id} — ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
    hub.remove();
  }
  assert.deepEqual(problems, [], problems.join("\n"));
});
