// Search in the browser: the repository's hub is built under a sub-path (/hub), served by a
// tiny static server, and a phrase of a seed policy is searched on /search/. The first result
// is that clause; following it lands on the clause's anchor. Pages run under their own CSP.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { build, launch, repo } from "./helpers.mjs";

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

    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    site.close();
    hub.remove();
  }
});
