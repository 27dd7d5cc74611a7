// The compare page's redline engine (static/compare.js, run here as the browser would load
// it) on tests/fixtures/redline-cases.json: texts in many scripts whose redlines and word
// counts the Rust test `redline_cases_are_what_policyhub_makes` (tests/timelines.rs) keeps as
// policyhub makes them. The same cuts, the same common words, the same slides and merges.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
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
  let generated = 0;
  for (const { old, new: updated, redline: expected, words, generated: g, redline_sha256: digest } of cases) {
    if (g) {
      // Two long texts drawn as the Rust test draws them; their redline kept as a digest.
      const [a, b] = [generatedText(g, "old"), generatedText(g, "new")];
      const made = createHash("sha256").update(JSON.stringify(plain(redline(a, b)))).digest("hex");
      assert.equal(made, digest, "the redline of the generated texts");
      assert.deepEqual(plain(wordChanges(a, b)), words, "words of the generated texts");
      generated++;
      continue;
    }
    assert.deepEqual(plain(redline(old, updated)), expected, `${old} → ${updated}`);
    assert.deepEqual(plain(wordChanges(old, updated)), words, `words of ${old} → ${updated}`);
  }
  assert.ok(generated >= 1);
});

// The `side` text of a generated case, as `generated_text` (tests/timelines.rs) draws it: a
// 32-bit linear congruential generator picks each word of the side's part of the vocabulary.
function generatedText(g, side) {
  const { seed, from, to } = g[side];
  let state = seed >>> 0;
  const words = [];
  for (let i = 0; i < g.words; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    words.push(g.vocabulary[from + ((state >>> 16) % (to - from))]);
  }
  return words.join(" ");
}
