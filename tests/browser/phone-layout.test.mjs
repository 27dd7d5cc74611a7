// Reading on a phone: one page of every kind, from a hub with real, long clauses (three
// versions of GitHub's Privacy Statement, and a made-up policy of long words, long URLs, a wide
// table and a long code line: tests/fixtures/real-extract) joined by the hostile captures
// (tests/fixtures/hostile), opened at 320, 375 and 414 px wide in the light and the dark theme:
// no page is wider than the screen (no horizontal scrolling of the page) and no element sticks
// out of it, except inside a container that scrolls by itself (a table, a code block). Then, in
// a touch screen's browser, the clause tools (¶ permalink, history link) show without hover
// and are targets of at least 24 × 24 CSS pixels (WCAG 2.2, 2.5.8).
//
// PHONE_LAYOUT_STATIC=static node --test phone-layout.test.mjs tries the theme files of a
// folder (here the worktree's static/) without rebuilding the binary, as a hub's own static/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { binary, fixtureHub, launch, repo, serve } from "./helpers.mjs";

const WIDTHS = [320, 375, 414];
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const PAGES = {
  home: "/",
  organisation: "/github/",
  "organisation (long name and website)": "/edge/",
  "organisation (hostile)": "/evil/",
  "policy (latest)": "/github/privacy-statement/",
  "policy (latest, wide things)": "/edge/privacy-policy/",
  "policy (latest, hostile)": "/evil/privacy-policy/",
  version: "/github/privacy-statement/2020-05-19/",
  "version (wide things)": "/edge/privacy-policy/2023-01-01/",
  redline: "/github/privacy-statement/2024-02-01/diff/",
  "redline (2022)": "/github/privacy-statement/2022-05-31/diff/",
  "redline (wide things)": "/edge/privacy-policy/2024-01-01/diff/",
  timeline: "/github/privacy-statement/changes/",
  "timeline (wide things)": "/edge/privacy-policy/changes/",
  "clause history": "/github/privacy-statement/clauses/",
  "clause history (wide things)": "/edge/privacy-policy/clauses/",
  "point in time": "/github/privacy-statement/at/?date=2023-01-01",
  "compare (redline made)": "/github/privacy-statement/compare/?from=2020-05-19&to=2024-02-01",
  "compare (wide things)": "/edge/privacy-policy/compare/?from=2023-01-01&to=2024-01-01",
  "recent changes": "/changes/",
  topics: "/topics/",
  topic: "/topics/cookies-tracking/",
  glossary: "/glossary/",
  releases: "/releases/",
  "published release (redline)": "/releases/r1/edge/privacy-policy/2024-01-01/diff/",
  "search (with results)": "/search/?q=personal%20data",
  "search (a long word)": "/search/?q=pneumonoultramicroscopicsilicovolcanoconiosis",
  "not found": "/no/such/page/",
};

let hub;
let server;
let browser;

before(async () => {
  hub = fixtureHub("real-extract");
  cpSync(join(repo, "tests", "fixtures", "hostile", "content", "evil"), join(hub.dir, "content", "evil"), { recursive: true });
  if (process.env.PHONE_LAYOUT_STATIC) {
    cpSync(resolve(process.env.PHONE_LAYOUT_STATIC), join(hub.dir, "static"), { recursive: true });
  }
  const released = spawnSync(binary, ["release", "r1", "-q", "--root", hub.dir], {
    encoding: "utf8",
    env: { ...process.env, SOURCE_DATE_EPOCH: "1700000000" },
  });
  assert.equal(released.status, 0, `policyhub release failed: ${released.stderr}`);
  server = await serve(hub.dir);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  hub?.remove();
});

/** Opens PATH; on the search page, waits for the results. */
async function open(page, path) {
  const response = await page.goto(server.url + path);
  if (path === "/no/such/page/") assert.equal(response.status(), 404);
  else assert.equal(response.status(), 200, `${path}: status ${response.status()}`);
  if (path.startsWith("/search/")) await page.waitForSelector(".search-result mark", { timeout: 20000 });
  if (path.includes("/compare/")) await page.waitForSelector("#compare-result:not([hidden]) .row", { timeout: 20000 });
}

/** The page's widths, and every element outside the viewport that no scrolling container holds. */
function measure() {
  const width = document.documentElement.clientWidth;
  const name = (el) =>
    el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "") + (el.classList.length ? `.${[...el.classList].join(".")}` : "");
  const inScroller = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const out = [];
  const reported = new Set();
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right <= width + 0.5 && r.left >= -0.5) continue;
    if (inScroller(el) || reported.has(el.parentElement)) {
      reported.add(el);
      continue;
    }
    reported.add(el);
    out.push(`${name(el)} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
  }
  return { scrollWidth: document.documentElement.scrollWidth, bodyWidth: document.body.scrollWidth, innerWidth, width, out };
}

test("no page is wider than a phone's screen: 320, 375, 414 px, light and dark", { timeout: 600000 }, async (t) => {
  const problems = [];
  const widest = {};
  for (const scheme of ["light", "dark"]) {
    for (const width of WIDTHS) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
      const page = await context.newPage();
      for (const [kind, path] of Object.entries(PAGES)) {
        await open(page, path);
        const m = await page.evaluate(measure);
        widest[kind] ??= {};
        widest[kind][width] = Math.max(widest[kind][width] ?? 0, m.scrollWidth);
        const at = `${kind} ${path} at ${width} px (${scheme})`;
        if (m.innerWidth !== width || m.width !== width) problems.push(`${at}: the viewport is ${m.innerWidth} px (client ${m.width})`);
        if (m.scrollWidth > width) problems.push(`${at}: the page is ${m.scrollWidth} px wide`);
        if (m.out.length) problems.push(`${at}: sticking out: ${m.out.slice(0, 4).join(", ")}${m.out.length > 4 ? ` and ${m.out.length - 4} more` : ""}`);
      }
      await context.close();
    }
  }
  t.diagnostic(`widest page (document scrollWidth, px) by kind at ${WIDTHS.join(" / ")} px:`);
  for (const [kind, w] of Object.entries(widest)) t.diagnostic(`  ${kind}: ${WIDTHS.map((x) => w[x]).join(" / ")}`);
  assert.ok(problems.length === 0, `${problems.length} problems:\n${problems.join("\n")}`);
});

/** Every clause tool's box, visibility and whether a tap at its centre reaches it. */
async function tools(page) {
  return page.evaluate(async () => {
    // The tools of clauses folded away (a redline's unchanged runs) are not shown until opened.
    const found = [...document.querySelectorAll("main a.permalink, main .clause-tools a")].filter((el) => !el.closest("details:not([open])"));
    const result = [];
    for (const [i, el] of found.entries()) {
      const style = getComputedStyle(el);
      let reachable = null;
      if (i < 12) {
        el.scrollIntoView({ block: "center", behavior: "instant" });
        const r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        reachable = hit === el || el.contains(hit);
      }
      const r = el.getBoundingClientRect();
      result.push({
        what: `${el.className} ${el.getAttribute("href")}`,
        width: r.width,
        height: r.height,
        opacity: Number(style.opacity),
        visible: style.visibility === "visible" && style.display !== "none",
        reachable,
      });
    }
    return result;
  });
}

const TOOL_PAGES = {
  "policy (latest)": "/github/privacy-statement/",
  "policy (latest, wide things)": "/edge/privacy-policy/",
  version: "/github/privacy-statement/2022-05-31/",
  redline: "/edge/privacy-policy/2024-01-01/diff/",
};

test("clause tools: shown without hover on a touch screen, targets of at least 24 × 24 px", { timeout: 300000 }, async () => {
  const problems = [];
  for (const width of WIDTHS) {
    for (const touch of [true, false]) {
      const context = await browser.newContext({
        viewport: { width, height: 800 },
        ...(touch ? { hasTouch: true, isMobile: true, deviceScaleFactor: 2 } : {}),
      });
      const page = await context.newPage();
      const how = touch ? "touch screen" : "mouse";
      if (touch) assert.ok(await page.evaluate(() => matchMedia("(hover: none)").matches), "the touch context has no hover");
      for (const [kind, path] of Object.entries(TOOL_PAGES)) {
        await open(page, path);
        const found = await tools(page);
        if (found.length === 0) problems.push(`${kind} ${path}: no clause tools found`);
        const small = found.filter((f) => f.width < 24 || f.height < 24);
        const hidden = touch ? found.filter((f) => f.opacity < 1 || !f.visible) : [];
        const unreachable = found.filter((f) => f.reachable === false);
        const at = `${kind} ${path} at ${width} px (${how})`;
        if (small.length) {
          problems.push(`${at}: ${small.length} of ${found.length} tools under 24 × 24 px, e.g. ${small.slice(0, 2).map((f) => `${f.what} ${f.width.toFixed(1)} × ${f.height.toFixed(1)}`).join("; ")}`);
        }
        if (hidden.length) problems.push(`${at}: ${hidden.length} of ${found.length} tools hidden without hover, e.g. ${hidden[0].what} (opacity ${hidden[0].opacity})`);
        if (unreachable.length) problems.push(`${at}: a tap at the centre of ${unreachable.map((f) => f.what).slice(0, 2).join(", ")} does not reach it`);
      }
      await context.close();
    }
  }
  assert.ok(problems.length === 0, `${problems.length} problems:\n${problems.join("\n")}`);
});

test("wide tables and code blocks scroll in their own box, with a cue; definitions stay on screen", { timeout: 120000 }, async () => {
  const problems = [];
  for (const width of WIDTHS) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    for (const path of ["/edge/privacy-policy/", "/github/privacy-statement/2022-05-31/"]) {
      await open(page, path);
      const boxes = await page.evaluate(() =>
        [...document.querySelectorAll(".policy-body table, .policy-body pre")].map((el) => {
          // A table of its own clause scrolls in its .table-scroll box; any other (raw HTML, in a
          // list item) scrolls by itself, like a code block.
          const box = el.parentElement.classList.contains("table-scroll") ? el.parentElement : el;
          const style = getComputedStyle(box);
          return {
            what: `${el.tagName.toLowerCase()} in ${box.closest("[data-clause]")?.id}`,
            wide: el.scrollWidth > box.clientWidth,
            scrolls: ["auto", "scroll"].includes(style.overflowX),
            cue: style.backgroundImage.includes("gradient"),
            focusable: box.tabIndex >= 0,
            boxed: box !== el || el.tagName === "PRE",
          };
        }),
      );
      if (path.startsWith("/edge/") && !boxes.some((b) => b.wide)) problems.push(`${path} at ${width} px: no table or code block is wider than the screen: the test shows nothing`);
      for (const b of boxes.filter((b) => b.wide)) {
        if (!b.scrolls) problems.push(`${path} at ${width} px: ${b.what} is wider than its box, which does not scroll`);
        if (!b.cue) problems.push(`${path} at ${width} px: ${b.what} scrolls without a cue (no shadow)`);
        if (!b.focusable && b.boxed) problems.push(`${path} at ${width} px: ${b.what} scrolls in a box the keyboard cannot reach`);
      }
    }
    // A defined term's tooltip (shown on keyboard focus) stays inside the screen.
    await open(page, "/github/privacy-statement/");
    const terms = await page.locator("main a.term").count();
    if (terms === 0) problems.push("no defined term on /github/privacy-statement/");
    for (let i = 0; i < Math.min(terms, 6); i++) {
      await page.locator("main a.term").nth(i).focus();
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Tab");
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > width) problems.push(`/github/privacy-statement/ at ${width} px: with term ${i} focused the page is ${wide} px wide`);
    }
    await context.close();
  }
  assert.ok(problems.length === 0, `${problems.length} problems:\n${problems.join("\n")}`);
});

// The pages where the phone layout differs most (the rest are in accessibility.test.mjs).
const AXE_PAGES = [
  "home", "organisation (hostile)", "policy (latest)", "policy (latest, wide things)", "version (wide things)",
  "redline", "redline (wide things)", "clause history (wide things)", "topic", "releases", "search (with results)",
];

test("on a phone's touch screen, with the tools shown: no serious or critical accessibility violation", { timeout: 300000 }, async () => {
  const problems = [];
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ viewport: { width: 320, height: 800 }, colorScheme: scheme, hasTouch: true, isMobile: true, bypassCSP: true });
    const page = await context.newPage();
    for (const kind of AXE_PAGES) {
      const path = PAGES[kind];
      await open(page, path);
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(() =>
        window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } }),
      );
      for (const v of result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
        problems.push(`${kind} (${scheme}): ${v.id} — ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      }
    }
    await context.close();
  }
  assert.ok(problems.length === 0, `${problems.length} problems:\n${problems.join("\n")}`);
});
