// Shared helpers for the browser tests: a temporary copy of a fixture hub, `policyhub serve`
// or `policyhub build` on it, and Debian's Chromium driven by playwright-core.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, "..", "..");
export const binary = join(repo, "target", "release", "policyhub");
export const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";

/** A temporary copy of tests/fixtures/NAME. */
export function fixtureHub(name) {
  const dir = mkdtempSync(join(tmpdir(), "policyhub-browser-"));
  cpSync(join(repo, "tests", "fixtures", name), dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts `policyhub serve` on a free port; resolves to { url, stop }. */
export function serve(root) {
  if (!existsSync(binary)) throw new Error(`no ${binary}: run cargo build --release first`);
  const child = spawn(binary, ["serve", "--port", "0", "--root", root], { stdio: ["ignore", "pipe", "pipe"] });
  const lines = createInterface({ input: child.stdout });
  // Read what it says on stderr too: a full pipe would stop the server.
  child.stderr.resume();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("serve did not start within 30 s")), 30000);
    lines.on("line", (line) => {
      const match = line.match(/ at (http:\/\/[^/\s]+)\//);
      if (match) {
        clearTimeout(timer);
        // Stopped as Ctrl-C stops it, waited for: it keeps its home page in the hub's
        // build cache as it stops, and the hub is removed after.
        const stop = () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGINT");
          });
        resolve({ url: match[1], stop });
      }
    });
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

/** Builds a hub into DIR/public with the given base URL. */
export function build(root, baseUrl) {
  const out = spawnSync(binary, ["build", "-q", "--root", root, "--base-url", baseUrl], { encoding: "utf8" });
  if (out.status !== 0) throw new Error(`build failed: ${out.stderr}`);
  return join(root, "public");
}

/** Debian's Chromium, headless. Fails loudly when it is missing: never skips. */
export async function launch() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is missing at ${chromiumPath}: install it (apt-get install chromium) or set CHROMIUM`);
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  // A busy machine (a CI runner's two shared cores) can take longer than Playwright's 30 s to
  // load a large page under axe; a page that never loads still fails, after NAVIGATION_MS.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultNavigationTimeout(NAVIGATION_MS);
    return context;
  };
  return browser;
}

/** How long a page may take to load before a test fails. */
const NAVIGATION_MS = 90000;
