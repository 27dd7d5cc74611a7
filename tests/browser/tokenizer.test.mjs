// The client's tokenizer (the word pattern of static/search.js, applied after toLowerCase) on
// the texts of tests/fixtures/search-tokens.json gives the words the Rust index test expects:
// a query is split exactly as the indexed text was.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repo } from "./helpers.mjs";

test("the client splits text into the same words as the index", () => {
  const source = readFileSync(join(repo, "static", "search.js"), "utf8");
  const literal = source.match(/const WORD = \/(.+)\/([a-z]*);/);
  assert.ok(literal, "static/search.js defines const WORD = /…/flags;");
  const word = new RegExp(literal[1], literal[2]);
  const cases = JSON.parse(readFileSync(join(repo, "tests", "fixtures", "search-tokens.json"), "utf8"));
  assert.ok(cases.length >= 10);
  for (const { text, tokens } of cases) {
    assert.deepEqual(text.toLowerCase().match(word) || [], tokens, text);
  }
});
