// The dashboard's browser test: starts the hub (:8797) and the vendor sandbox (:8798) with
// `wrangler dev` on a throwaway state directory, runs test/browser/dashboard.mjs against them in
// headless Chromium, and stops everything it started. Last line: "N passed, M failed".
//   node scripts/browser-test.mjs        (needs /usr/bin/chromium; CHROMIUM=<path> to override)
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { localHubVars, varArgs } from "./lib/local-vars.mjs";
import { ensureDevVars } from "./lib/dev-vars.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const HUB_PORT = 8797;
const SANDBOX_PORT = 8798;
const HUB = `http://127.0.0.1:${HUB_PORT}`;
const SANDBOX = `http://127.0.0.1:${SANDBOX_PORT}`;
const DEADLINE_MS = 170_000;

const state = mkdtempSync(path.join(tmpdir(), "dealwire-browser-"));
const children = [];
let finished = false;

function stopAll() {
  for (const c of children) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    try {
      process.kill(-c.pid, "SIGTERM"); // the whole group: npx → wrangler → workerd
    } catch {
      /* already gone */
    }
  }
}

function finish(passed, failed, note) {
  if (finished) return;
  finished = true;
  stopAll();
  setTimeout(() => {
    for (const c of children) {
      try {
        process.kill(-c.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    rmSync(state, { recursive: true, force: true });
    if (note) console.log(note);
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed > 0 || passed === 0 ? 1 : 0);
  }, 1_500);
}

process.on("SIGINT", () => finish(0, 1, "interrupted"));
process.on("SIGTERM", () => finish(0, 1, "terminated"));
const deadline = setTimeout(() => finish(0, 1, `gave up after ${DEADLINE_MS / 1000}s`), DEADLINE_MS);
deadline.unref();

for (const note of ensureDevVars(ROOT)) console.log(`[browser] ${note}`);

const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", path.join(state, "hub")], {
  cwd: ROOT,
  encoding: "utf8",
  env: { ...process.env, CI: "true" },
});
if (migrate.status !== 0) {
  console.error(migrate.stdout, migrate.stderr);
  rmSync(state, { recursive: true, force: true });
  console.log("migrations failed\n0 passed, 1 failed");
  process.exit(1);
}

/** The hub serves /ops from src/index.ts once it is mounted there; until then from a test entry. */
const indexMountsOps = /route\(\s*["']\/ops["']/.test(readFileSync(path.join(ROOT, "src/index.ts"), "utf8"));
const entry = indexMountsOps ? [] : ["test/browser/hub-entry.ts"];
const vendorVars = localHubVars({ hub: HUB, sandbox: SANDBOX });

const logs = { hub: [], sandbox: [] };
function start(name, args) {
  const child = spawn("npx", args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  for (const s of [child.stdout, child.stderr]) s.on("data", (d) => logs[name].push(String(d)));
  child.on("exit", (code) => {
    if (!finished) finish(0, 1, `${name} exited early (${code})\n${logs[name].join("").slice(-3000)}`);
  });
  children.push(child);
}

start("sandbox", [
  "wrangler",
  "dev",
  "-c",
  "sandbox/wrangler.toml",
  "--port",
  String(SANDBOX_PORT),
  "--ip",
  "127.0.0.1",
  "--inspector-port",
  "9798",
  "--var",
  `HUB_URL:${HUB}`,
  "--persist-to",
  path.join(state, "sandbox"),
  "--show-interactive-dev-session=false",
]);
start("hub", [
  "wrangler",
  "dev",
  ...entry,
  "--port",
  String(HUB_PORT),
  "--ip",
  "127.0.0.1",
  "--inspector-port",
  "9797",
  "--test-scheduled",
  "--persist-to",
  path.join(state, "hub"),
  "--show-interactive-dev-session=false",
  ...varArgs(vendorVars),
]);

async function ready(url) {
  const end = Date.now() + 90_000;
  while (Date.now() < end && !finished) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not come up`);
}

try {
  const started = Date.now();
  await Promise.all([ready(`${HUB}/health`), ready(`${SANDBOX}/_sandbox`)]);
  console.log(
    `servers up in ${((Date.now() - started) / 1000).toFixed(1)}s (hub entry: ${indexMountsOps ? "src/index.ts" : "test/browser/hub-entry.ts"})`,
  );
  const { run } = await import("../test/browser/dashboard.mjs");
  const result = await run({
    hub: HUB,
    sandbox: SANDBOX,
    root: ROOT,
    vars: path.join(ROOT, ".dev.vars"),
    chromium: process.env.CHROMIUM ?? "/usr/bin/chromium",
  });
  if (result.failed > 0) console.log(`--- hub log (tail) ---\n${logs.hub.join("").slice(-4000)}`);
  finish(result.passed, result.failed);
} catch (err) {
  finish(0, 1, `${err instanceof Error ? err.stack : String(err)}\n--- hub log (tail) ---\n${logs.hub.join("").slice(-3000)}`);
}
