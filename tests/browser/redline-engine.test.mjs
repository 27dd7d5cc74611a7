// The compare page's redline engine (static/compare.js, run here as the browser would load
// it) on tests/fixtures/redline-cases.json: texts in many scripts whose redlines and word
// counts the Rust test `redline_cases_are_what_policyhub_makes` (tests/timelines.rs) keeps as
// policyhub makes them. The same cuts, the same common words, the same slides and merges.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import { repo } from "./helpers.mjs";

function engine() {
  const source = readFileSync(join(repo, "static", "compare.js"), "utf8");
  const context = vm.createContext({ Intl, URL });
  vm.runInContext(source, context, { filename: "compare.js" });
  return context.policyhubCompare;
}

test("the compare page's script makes the redlines and word counts policyhub makes", () => {
  const { redline, wordChanges } = engine();
  // Values from the script's own realm, as plain data.
  const plain = (value) => JSON.parse(JSON.stringify(value));
  const cases = JSON.parse(readFileSync(join(repo, "tests", "fixtures", "redline-cases.json"), "utf8"));
  assert.ok(cases.length >= 15);
  for (const { old, new: updated, redline: expected, words } of cases) {
    assert.deepEqual(plain(redline(old, updated)), expected, `${old} → ${updated}`);
    assert.deepEqual(plain(wordChanges(old, updated)), words, `words of ${old} → ${updated}`);
  }
});
