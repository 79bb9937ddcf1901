// Starts the hub and the vendor sandbox (and optionally the bare baseline Worker) on this
// machine on the local runtime, each with its own local state, and stops them all on exit.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundle } from "./bundle.mjs";
import { sandboxVendorVars } from "../../scripts/lib/local-vars.mjs";
import { ensureDevVars } from "../../scripts/lib/dev-vars.mjs";

const DEV_WORKER = fileURLToPath(new URL("./dev-worker.mjs", import.meta.url));
const RUNTIME_WORKER = fileURLToPath(new URL("./runtime-worker.mjs", import.meta.url));
const children = new Set();

// Each Worker is bundled once per process: every stack of a run (and a restarted hub) runs the
// same bytes, and `wrangler deploy --dry-run` takes seconds per Worker.
const bundles = new Map();
const bundleRoot = mkdtempSync(path.join(tmpdir(), "dealwire-bundles-"));
export function bundleOf(config) {
  if (!bundles.has(config)) bundles.set(config, bundle(config, path.join(bundleRoot, String(bundles.size))));
  return bundles.get(config);
}
function killAll() {
  for (const c of children) {
    try {
      process.kill(-c.pid, "SIGKILL");
    } catch {}
  }
  children.clear();
}
process.on("exit", () => {
  killAll();
  try {
    rmSync(bundleRoot, { recursive: true, force: true });
  } catch {}
});
for (const sig of ["SIGINT", "SIGTERM"])
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });

function run(name, args, logs) {
  const child = spawn(args[0] === "wrangler" ? "npx" : process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  children.add(child);
  const tail = [];
  const keep = (d) => {
    tail.push(String(d));
    if (tail.length > 40) tail.shift();
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  if (logs) {
    child.stdout.pipe(process.stderr);
    child.stderr.pipe(process.stderr);
  }
  child.on("exit", () => children.delete(child));
  return { child, name, tail };
}

async function waitFor(url, proc, timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited:\n${proc.tail.join("")}`);
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${proc.name} did not answer at ${url}:\n${proc.tail.join("")}`);
}

/**
 * The hub's wrangler.toml without the consumers of `queues`: deliveries pile up in those queues
 * as they do on Cloudflare while delivery is paused (`wrangler queues pause-delivery`). Written
 * beside wrangler.toml (paths in it are relative to it) under a git-ignored name.
 */
function configWithPausedConsumers(queues) {
  const text = readFileSync("wrangler.toml", "utf8");
  const blocks = text.split(/(?=^\[)/m);
  const kept = blocks.filter((b) => !(b.startsWith("[[queues.consumers]]") && queues.some((q) => b.includes(`queue = "dealwire-${q}"`))));
  const file = ".wrangler.paused.toml";
  writeFileSync(file, kept.join(""));
  return file;
}

/**
 * Starts the stack. Ports default away from `npm start`'s so a developer's running hub is
 * untouched. Returns base URLs, a restart of the hub process (chaos), and stop().
 */
export async function startStack(options = {}) {
  // BENCH_PORT_OFFSET moves every port of the stack, so two benches can run side by side.
  const offset = Number(process.env.BENCH_PORT_OFFSET ?? 0);
  const moved = (port) => (port === undefined ? undefined : port + offset);
  const {
    hubVars = {},
    sandboxVars = {},
    logs = false,
    mode = process.env.DEALWIRE_STACK ?? "runtime",
    pausedQueues = [],
    kvOutageFlag,
    d1OutageFlag,
    floorBeside = false,
    inspectorPorts = {},
  } = options;
  const [hubPort, sandboxPort, barePort, floorPort] = [
    options.hubPort ?? 8797,
    options.sandboxPort ?? 8798,
    options.barePort,
    options.floorPort,
  ].map(moved);
  if (!["runtime", "dev", "wrangler"].includes(mode)) throw new Error(`DEALWIRE_STACK must be runtime, dev or wrangler, not ${mode}`);
  for (const note of ensureDevVars()) console.error(`[stack] ${note}`);
  // `hubVars` may depend on where the stack's Workers answer (ports move with BENCH_PORT_OFFSET).
  const hubVarsOf = typeof hubVars === "function" ? hubVars : () => hubVars;
  const state = mkdtempSync(path.join(tmpdir(), "dealwire-bench-"));
  const hub = `http://127.0.0.1:${hubPort}`;
  const sandbox = `http://127.0.0.1:${sandboxPort}`;
  const mig = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", path.join(state, "hub")], {
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  if (mig.status !== 0) throw new Error(`migrations failed:\n${mig.stdout}${mig.stderr}`);
  const vars = (o) => Object.entries(o).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const procs = [];
  // The Workers start one after another: workerd picks internal ports at start-up and concurrent
  // starts can collide. "runtime": each Worker's production bundle straight on workerd (bench/lib/runtime-worker.mjs
  // says why); "dev": wrangler's dev server without the DevTools inspector; "wrangler": plain
  // `wrangler dev`, inspector and all.
  const worker = (config, port, persist, extra, paused = []) => {
    if (mode === "wrangler")
      return [
        "wrangler",
        "dev",
        "-c",
        paused.length ? configWithPausedConsumers(paused) : config,
        "--port",
        String(port),
        "--ip",
        "127.0.0.1",
        "--inspector-port",
        String(port + 1000),
        "--show-interactive-dev-session=false",
        "--persist-to",
        persist,
        ...extra,
      ];
    if (mode === "dev")
      return [
        DEV_WORKER,
        "--config",
        paused.length ? configWithPausedConsumers(paused) : config,
        "--port",
        String(port),
        "--ip",
        "127.0.0.1",
        "--persist",
        persist,
        ...extra,
      ];
    return [
      RUNTIME_WORKER,
      "--config",
      config,
      "--bundle",
      bundleOf(config),
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist",
      persist,
      ...(paused.length ? ["--paused", paused.join(",")] : []),
      ...(inspectorPorts[config] ? ["--inspector-port", String(moved(inspectorPorts[config]))] : []),
      ...extra.filter((a) => a !== "--test-scheduled"),
    ];
  };
  // The soak's KV outage wraps the hub's KV binding in the runtime (bench/lib/runtime-worker.mjs).
  const hubWorker = (...a) => {
    const args = worker(...a);
    if ((kvOutageFlag || d1OutageFlag) && mode !== "runtime") throw new Error("the KV and D1 outage faults need DEALWIRE_STACK=runtime");
    if (floorBeside && mode !== "runtime") throw new Error("a floor beside the hub needs DEALWIRE_STACK=runtime");
    return [
      ...args,
      ...(floorBeside ? ["--floor-beside", bundleOf("bench/floor/wrangler.toml")] : []),
      ...(kvOutageFlag ? ["--kv-outage-flag", kvOutageFlag] : []),
      ...(d1OutageFlag ? ["--d1-outage-flag", d1OutageFlag] : []),
    ];
  };
  const startSandbox = () =>
    run("sandbox", worker("sandbox/wrangler.toml", sandboxPort, path.join(state, "sandbox"), vars({ HUB_URL: hub, ...sandboxVars })), logs);
  const startHub = () =>
    run(
      "hub",
      hubWorker(
        "wrangler.toml",
        hubPort,
        path.join(state, "hub"),
        ["--test-scheduled", ...vars({ ...sandboxVendorVars(sandbox), HUB_PUBLIC_URL: hub, ...hubVarsOf({ hub, sandbox }) })],
        pausedQueues,
      ),
      logs,
    );
  const sb = startSandbox();
  procs.push(sb);
  await waitFor(`${sandbox}/_sandbox`, sb);
  let hubProc = startHub();
  await waitFor(`${hub}/health`, hubProc);
  // The benchmarks' baseline Workers (bench/<name>/), each on its own port when asked for.
  const baseline = async (name, port) => {
    if (!port) return undefined;
    const url = `http://127.0.0.1:${port}`;
    const proc = run(name, worker(`bench/${name}/wrangler.toml`, port, path.join(state, name), []), logs);
    procs.push(proc);
    await waitFor(url, proc);
    return url;
  };
  const bare = await baseline("bare", barePort);
  // The floor beside the hub answers under the hub's own address (bench/lib/runtime-worker.mjs).
  const floor = floorBeside ? `${hub}/__floor` : await baseline("floor", floorPort);
  return {
    hub,
    sandbox,
    bare,
    floor,
    async restartHub() {
      try {
        process.kill(-hubProc.child.pid, "SIGKILL");
      } catch {}
      await new Promise((r) => setTimeout(r, 500));
      hubProc = startHub();
      await waitFor(`${hub}/health`, hubProc);
    },
    stop() {
      killAll();
      try {
        rmSync(state, { recursive: true, force: true });
      } catch {}
    },
  };
}
