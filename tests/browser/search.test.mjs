// Search in the browser: the repository's hub is built under a sub-path (/hub), served by a
// tiny static server, and a phrase of a seed policy is searched on /search/. The first result
// is that clause; following it lands on the clause's anchor. Then the filters, search as you
// type, "Show more" and the excerpts; and, on a hub with history, the earlier wordings' group.
// Pages run under their own CSP.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { build, launch, repo } from "./helpers.mjs";

/** The first number of a status line ("12 clauses in force and …"). */
const count = (status) => Number(status.match(/\d+/)?.[0]);

/** Waits until the search status is settled (not empty, not "Searching…") and differs from `before`. */
async function settled(page, before = "") {
  await page.waitForFunction(
    (b) => { const s = document.getElementById("search-status").textContent; return s && s !== b && !s.startsWith("Searching"); },
    before, { timeout: 20000 },
  );
  return page.textContent("#search-status");
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml",
};

/** Serves DIR under PREFIX (e.g. /hub) on a free port; resolves to { url, close }. */
function serveStatic(dir, prefix) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(`${prefix}/`)) { res.writeHead(404).end(); return; }
    let file = normalize(join(dir, path.slice(prefix.length)));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}${prefix}`, close: () => server.close() });
    });
  });
}

function repositoryHub() {
  const dir = mkdtempSync(join(tmpdir(), "policyhub-search-"));
  for (const part of ["site.toml", "content", "templates", "static"]) {
    try { cpSync(join(repo, part), join(dir, part), { recursive: true }); } catch { /* optional */ }
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

test("a phrase of a seed policy is found and its result jumps to the clause", async () => {
  const hub = repositoryHub();
  const out = build(hub.dir, "https://example.org/hub");
  const site = await serveStatic(out, "/hub");
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });

    // The header's search box leads to /search/?q=…
    await page.goto(`${site.url}/xmatters/`);
    await page.fill("#site-search-q", "Work and salary history");
    await page.press("#site-search-q", "Enter");
    await page.waitForURL(/\/hub\/search\/\?q=/);
    await page.waitForSelector(".search-result a", { timeout: 20000 });
    assert.equal(await page.isHidden("#search-needs-js"), true);
    const status = await page.textContent("#search-status");
    assert.match(status, /in force/, status);

    const first = page.locator(".search-result").first();
    const text = await first.textContent();
    assert.match(text, /xMatters/, text);
    assert.match(text, /salary/i, text);
    const href = await first.locator("a").getAttribute("href");
    assert.match(href, /^\/hub\/xmatters\/privacy-policy\/#[a-z0-9-]+$/, href);
    const id = href.split("#")[1];

    await first.locator("a").click();
    await page.waitForURL((u) => u.hash === `#${id}`);
    const target = page.locator(`[id="${id}"]`);
    assert.equal(await target.getAttribute("data-clause"), id);
    assert.match(await target.textContent(), /Work and salary history/);
    assert.equal(await page.evaluate(() => document.querySelector(":target")?.id), id);

    // The organisation filter narrows the results to that organisation.
    await page.goto(`${site.url}/search/?q=privacy&org=nexmo`);
    await page.waitForSelector(".search-result a", { timeout: 20000 });
    const hrefs = await page.locator(".search-result a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.ok(hrefs.length > 0);
    for (const h of hrefs) assert.match(h, /^\/hub\/nexmo\//, h);

    // The topic filter offers the index's topics, narrows the results and is kept in the URL.
    await page.goto(`${site.url}/search/?q=data`);
    const all = await settled(page);
    assert.ok(count(all) > 0, all);
    await page.selectOption("#search-topic", "data-retention");
    const narrowed = await settled(page, all);
    assert.ok(count(narrowed) > 0 && count(narrowed) < count(all), `${narrowed} / ${all}`);
    assert.equal(new URL(page.url()).search, "?q=data&topic=data-retention");

    // Typing searches as you type (every word as the start of a word) and updates the URL.
    await page.fill("#search-q", "informat");
    await page.waitForURL((u) => u.search === "?q=informat&topic=data-retention");
    await page.selectOption("#search-topic", "");
    await page.waitForURL((u) => u.search === "?q=informat");
    const many = await settled(page, narrowed);

    // 20 results at a time; "Show more" adds the next ones and moves the focus to the first.
    const group = page.locator("#search-results section").first();
    assert.match(await group.locator("h2").textContent(), /^In force now \(\d+\)$/);
    assert.ok(count(many) > 20, many);
    assert.equal(await group.locator(".search-result").count(), 20);
    const more = group.locator("button.search-more");
    assert.equal(await more.textContent(), `Show more (${count(many) - 20} left)`);
    await more.click();
    await page.waitForFunction(() => document.querySelectorAll("#search-results section:first-child .search-result").length > 20);
    assert.equal(await group.locator(".search-result").count(), Math.min(40, count(many)));
    assert.equal(await page.evaluate(() => document.activeElement === document.querySelectorAll("#search-results section:first-child .search-result a")[20]), true);

    // Excerpts are text and <mark> only, around the words that match.
    const nodes = await page.$$eval(".search-excerpt", (ps) => ps.flatMap((p) => [...p.childNodes].map((n) => (n.nodeType === 3 ? "#text" : n.tagName))));
    assert.deepEqual([...new Set(nodes)].sort(), ["#text", "MARK"]);
    const marked = await page.$$eval(".search-excerpt mark", (ms) => ms.map((m) => m.textContent.toLowerCase()));
    assert.ok(marked.length >= 20 && marked.every((m) => m.startsWith("informat")), marked.join(", "));

    // A word of one letter alone finds nothing and says why.
    await page.goto(`${site.url}/search/?q=a`);
    assert.match(await settled(page), /at least two/);

    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    site.close();
    hub.remove();
  }
});

test("earlier wordings are listed after the clauses in force, linked to their version", async () => {
  const dir = mkdtempSync(join(tmpdir(), "policyhub-search-"));
  cpSync(join(repo, "tests", "fixtures", "history"), dir, { recursive: true });
  const out = build(dir, "https://example.org/h");
  const site = await serveStatic(out, "/h");
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${site.url}/search/?q=keep%20your%20data`);
    const status = await settled(page);
    assert.match(status, /^1 clause in force and 1 earlier wording match/, status);
    const headings = await page.locator("#search-results h2").allTextContents();
    assert.deepEqual(headings, ["In force now (1)", "Earlier wordings and removed clauses (1)"]);
    const [now, before] = await page.locator(".search-result").all();
    assert.match(await now.locator(".meta").textContent(), /^Acme Corp · .* · in force since /);
    assert.match(await before.locator(".meta").textContent(), /· wording of the version of 1 January 2020$/);
    assert.match(await before.locator(".search-excerpt").textContent(), /two years/);
    assert.match(await before.locator("a").getAttribute("href"), /^\/h\/acme\/privacy-policy\/2020-01-01\/#[a-z0-9-]+$/);
  } finally {
    await browser.close();
    site.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
