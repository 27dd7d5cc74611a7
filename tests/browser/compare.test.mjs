// The compare page in Chromium against `policyhub diff` on the same pairs: for every ordered
// pair of versions of a real history (three versions of GitHub's Privacy Statement, with long
// clauses, moves and edits: tests/fixtures/real-extract) and of a small one with a moved and a
// removed clause (tests/fixtures/history), the redline the page builds from the version JSON,
// written out as the terminal writes it (figures, then each changed clause with its id and
// label, words marked [-deleted-]{+inserted+}, unchanged runs counted), is the terminal's, byte
// for byte. Also: the page without JavaScript lists the consecutive redlines, and the script
// loads nothing from elsewhere (the Content-Security-Policy is kept: no bypass here).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { binary, fixtureHub, launch, repo, serve } from "./helpers.mjs";

let hub;
let server;
let browser;

before(async () => {
  hub = fixtureHub("real-extract");
  cpSync(join(repo, "tests", "fixtures", "history", "content", "acme"), join(hub.dir, "content", "acme"), { recursive: true });
  // A second text of 1 January 2021: "2021-01-01" names the day's last, "2021-01-01.1" its first.
  writeFileSync(
    join(hub.dir, "content", "acme", "privacy-policy", "2021-01-01.2.md"),
    "+++\n+++\n# Acme Privacy Policy\n\n## Data we collect\n\nWe collect your name, your phone number and your e-mail address when you sign up.\n\n## Retention\n\nWe keep your data for one year after you close your account.\n",
  );
  server = await serve(hub.dir);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  hub?.remove();
});

/**
 * `policyhub diff POLICY FROM TO`, plain: the pair of versions it chose (its first line) and the
 * redline, without the lines that say which version was in force on a date, nor the change
 * classes (the hub's classifier, which the compare page does not repeat).
 */
function terminal(policy, from, to) {
  const out = spawnSync(binary, ["diff", policy, from, to, "--root", hub.dir], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  assert.equal(out.status, 0, out.stderr);
  const [first, ...rest] = out.stdout.split("\n");
  const pair = first.slice(`${policy}: `.length).split(" → ");
  const said = (line) => /^On .*, in force /.test(line) || /^Classes: /.test(line) || line.startsWith("  · ");
  const lines = rest.filter((line) => !said(line));
  // The figures' line was followed by the classes' line and a blank one: keep one blank.
  return { pair, redline: lines.join("\n") };
}

/** Opens the compare page of FROM and TO (as written in the address) and waits for its redline. */
async function compared(page, policy, from, to) {
  await page.goto(`${server.url}/${policy}/compare/?from=${from}&to=${to}`);
  await page.waitForSelector("#compare-result:not([hidden])", { timeout: 20000 });
  return {
    pair: await page.evaluate(() => [document.getElementById("compare-result").dataset.from, document.getElementById("compare-result").dataset.to]),
    redline: await page.evaluate(pageAsTerminal),
  };
}

/** The compare page's redline, written out as `policyhub diff` writes its own. */
function pageAsTerminal() {
  const result = document.getElementById("compare-result");
  const lines = [result.querySelector(".compare-figures").textContent, ""];
  const signs = {
    added: ["+", "added"],
    removed: ["-", "removed"],
    moved: [">", "moved"],
    "moved-modified": ["~", "moved and edited"],
    modified: ["~", "edited"],
  };
  let unchanged = 0;
  const flush = () => {
    if (unchanged > 0) lines.push(`  … ${unchanged} unchanged`);
    unchanged = 0;
  };
  for (const row of result.querySelectorAll(".row")) {
    const change = row.dataset.change;
    if (change === "unchanged") {
      unchanged++;
      continue;
    }
    flush();
    const [sign, label] = signs[change];
    lines.push(`${sign} ${row.dataset.clause} (${label})`);
    const edited = change === "modified" || change === "moved-modified";
    let text = "";
    for (const node of row.querySelector(".row-text").childNodes) {
      if (edited && node.nodeName === "INS") text += `{+${node.textContent}+}`;
      else if (edited && node.nodeName === "DEL") text += `[-${node.textContent}-]`;
      else text += node.textContent;
    }
    lines.push(`  ${text}`);
  }
  flush();
  return `${lines.join("\n")}\n`;
}

const POLICIES = {
  "github/privacy-statement": ["2020-05-19", "2022-05-31", "2024-02-01"],
  "acme/privacy-policy": ["2020-01-01", "2021-01-01.1", "2021-01-01.2", "2022-01-01"],
};

test("the compare page builds the redline `policyhub diff` prints, for every pair of versions", { timeout: 240000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const external = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(server.url)) external.push(request.url());
  });
  const violations = [];
  page.on("console", (message) => {
    if (message.type() === "error") violations.push(message.text());
  });
  let count = 0;
  for (const [policy, versions] of Object.entries(POLICIES)) {
    for (const from of versions) {
      for (const to of versions) {
        if (from === to) continue;
        const shown = await compared(page, policy, from, to);
        const said = terminal(policy, from, to);
        assert.deepEqual(shown.pair, said.pair, `${policy} ${from} → ${to}: the same versions`);
        assert.equal(shown.redline, said.redline, `${policy} ${from} → ${to}`);
        count++;
      }
    }
  }
  assert.equal(count, 18);
  // A bare date names the version in force that day for both: the day's last text.
  for (const [from, to, pair] of [
    ["2021-01-01", "2020-01-01", ["2021-01-01.2", "2020-01-01"]],
    ["2020-06-30", "2021-01-01.1", ["2020-01-01", "2021-01-01"]],
  ]) {
    const shown = await compared(page, "acme/privacy-policy", from, to);
    const said = terminal("acme/privacy-policy", from, to);
    assert.deepEqual(said.pair, pair);
    assert.deepEqual(shown.pair, pair);
    assert.equal(shown.redline, said.redline, `${from} → ${to}`);
  }
  assert.deepEqual(external, [], "the page loads nothing from elsewhere");
  assert.deepEqual(violations, [], "no console error (a CSP violation would be one)");
  // The form compares another pair in place, and says which steps lie between.
  await page.selectOption("#compare-from", "2021-01-01");
  await page.selectOption("#compare-to", "2022-01-01");
  await page.click("#compare-form button[type=submit]");
  await page.waitForSelector('#compare-result[data-from="2021-01-01"][data-to="2022-01-01"]');
  assert.equal(await page.evaluate(pageAsTerminal), terminal("acme/privacy-policy", "2021-01-01.1", "2022-01-01").redline);
  assert.match(page.url(), /\?from=2021-01-01\.1&to=2022-01-01$/, "the first text of a day is named so");
  assert.equal(await page.locator(".compare-steps li.step-between").count(), 2);
  await context.close();
});

test("without JavaScript the compare page lists the consecutive redlines", { timeout: 60000 }, async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}/github/privacy-statement/compare/?from=2020-05-19&to=2024-02-01`);
  assert.equal(await page.locator("#compare-result").isHidden(), true);
  const steps = await page.locator(".compare-steps a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  assert.deepEqual(steps, ["/github/privacy-statement/2022-05-31/diff/", "/github/privacy-statement/2024-02-01/diff/"]);
  await context.close();
});
