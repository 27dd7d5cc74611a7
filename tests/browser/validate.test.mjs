// The Nu Html Checker (vnu-jar, the W3C validator) on every page of the example hub (with GitHub's
// real history), of the fixture hubs (several versions, hostile captures, a sub-path base URL, real
// long clauses, a policy's own anchors, a pending version), and of a hub imported from the Open
// Terms Archive extract of real histories: zero errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { binary, repo } from "./helpers.mjs";

const require = createRequire(import.meta.url);

test("every page is valid HTML (Nu Html Checker)", { timeout: 600000 }, () => {
  const java = spawnSync("java", ["-version"], { encoding: "utf8" });
  assert.equal(java.status, 0, "Java is missing: install it (apt-get install default-jre-headless)");
  const out = mkdtempSync(join(tmpdir(), "policyhub-vnu-"));
  try {
    const hubs = [
      ["repo", repo],
      ...["history", "hostile", "basic", "real-extract", "fidelity", "pending"].map((f) => [f, join(repo, "tests", "fixtures", f)]),
      ["ota", otaHub(out)],
    ];
    for (const [name, root] of hubs) {
      const built = spawnSync(binary, ["build", "-q", "--no-cache", "--root", root, "--output", join(out, name)], { encoding: "utf8" });
      assert.equal(built.status, 0, `build of ${name} failed: ${built.stderr}`);
    }
    const vnu = require("vnu-jar");
    const result = spawnSync("java", ["-jar", vnu, "--errors-only", "--skip-non-html", out], { encoding: "utf8" });
    assert.equal(result.stderr.trim(), "", `the Nu Html Checker found errors:\n${result.stderr}`);
    assert.equal(result.status, 0);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

/** A hub under a sub-path imported (`import --ota`) from tests/fixtures/data's extract. */
function otaHub(work) {
  const clone = join(work, "ota-repo");
  const bundle = join(repo, "tests", "fixtures", "data", "ota-airbnb-the-register.bundle");
  const cloned = spawnSync("git", ["-c", "init.defaultBranch=main", "clone", "-q", bundle, clone], { encoding: "utf8" });
  assert.equal(cloned.status, 0, `git clone of the extract failed: ${cloned.stderr}`);
  const hub = join(work, "ota-hub");
  mkdirSync(join(hub, "content"), { recursive: true });
  writeFileSync(join(hub, "site.toml"), 'title = "Real histories"\nbase_url = "https://example.org/hub"\n');
  const imported = spawnSync(binary, ["import", "--quiet", "--ota", clone, "--root", hub], { encoding: "utf8" });
  assert.equal(imported.status, 0, `import --ota failed: ${imported.stderr}`);
  return hub;
}
