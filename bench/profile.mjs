// `npm run bench:profile` — where the intake's CPU goes, beside the floor Worker's. Starts the hub
// (inbound consumers paused, as the bench's headline run) and the floor Worker, each on workerd
// with its DevTools inspector open, puts the bench's signed lead load on each in turn and records
// a V8 CPU profile of each Worker while it runs. Prints each side's busy time per request and the
// hub's functions by self and inclusive time per request, mapped through the bundle's source map
// to the source files; writes both profiles (`.cpuprofile`, DevTools opens them) under --out.
// The sampler costs time of its own, so compare the two sides of one run, never with a bench run.
// Usage: npm run bench:profile -- [--seconds 15] [--interval-us 100] [--top 30] [--out DIR]
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SourceMapConsumer } from "source-map-js";
import { inspect } from "./lib/inspector.mjs";
import { leadLoad } from "./lib/lead-load.mjs";
import { bundleOf, startStack } from "./lib/stack.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const SECONDS = Number(arg("--seconds", 15));
const INTERVAL_US = Number(arg("--interval-us", 100));
const TOP = Number(arg("--top", 30));
const OUT = arg("--out", ".bench-profile");
const HUB_INSPECTOR = 9229;
const FLOOR_INSPECTOR = 9230;
const offset = Number(process.env.BENCH_PORT_OFFSET ?? 0);

/** Profiles one Worker while the load runs against `url`; returns the profile and the load's result. */
async function profileUnderLoad(port, worker, url) {
  const session = await inspect(port, worker);
  await session.send("Profiler.enable");
  await session.send("Profiler.setSamplingInterval", { interval: INTERVAL_US });
  await session.send("Profiler.start");
  const load = await leadLoad(url, { connections: 8, duration: SECONDS });
  const stopped = await session.send("Profiler.stop");
  session.close();
  return { profile: stopped.result.profile, requests: load.requests.total, rps: load.requests.average };
}

/** Self and inclusive sampled time per function (source file:line through the map), idle apart. */
function attribute(profile, map) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n) => {
    const f = n.callFrame;
    if (!f.url) return f.functionName || "(native)";
    const o = map?.originalPositionFor({ line: f.lineNumber + 1, column: f.columnNumber });
    if (!o?.source) return `${f.functionName || "(anonymous)"} ${path.basename(f.url)}:${f.lineNumber + 1}`;
    const file = o.source.replace(/^.*node_modules\//, "").replace(/^(\.\.\/)+/, "");
    return `${o.name ?? f.functionName ?? "(anonymous)"} ${file}:${o.line}`;
  };
  const self = new Map();
  const inclusive = new Map();
  let idle = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const node = nodes.get(id);
    const name = label(node);
    if (name === "(idle)") {
      idle += dt;
      return;
    }
    busy += dt;
    self.set(name, (self.get(name) ?? 0) + dt);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const n = label(nodes.get(at));
      if (n !== "(root)" && !seen.has(n)) inclusive.set(n, (inclusive.get(n) ?? 0) + dt);
      seen.add(n);
    }
  });
  return { self, inclusive, idle, busy };
}

function mapOf(config) {
  const dir = bundleOf(config);
  const file = readdirSync(dir).find((f) => f.endsWith(".map"));
  return file ? { consumer: new SourceMapConsumer(JSON.parse(readFileSync(path.join(dir, file), "utf8"))), dir, file } : null;
}

const perRequest = (us, n) => `${(us / n).toFixed(1).padStart(7)} µs`;

const stack = await startStack({
  floorPort: 8796,
  pausedQueues: ["inbound"],
  inspectorPorts: { "wrangler.toml": HUB_INSPECTOR, "bench/floor/wrangler.toml": FLOOR_INSPECTOR },
});
try {
  mkdirSync(OUT, { recursive: true });
  const sides = [
    { side: "hub", config: "wrangler.toml", worker: "dealwire", url: `${stack.hub}/hooks/idx`, port: HUB_INSPECTOR },
    { side: "floor", config: "bench/floor/wrangler.toml", worker: "dealwire-bench-floor", url: `${stack.floor}/`, port: FLOOR_INSPECTOR },
  ];
  // Warm both (the JIT, the runtime's storage) before anything is sampled.
  for (const s of sides) await leadLoad(s.url, { connections: 8, duration: 3 });
  const results = {};
  for (const s of sides) {
    const r = await profileUnderLoad(s.port + offset, s.worker, s.url);
    const map = mapOf(s.config);
    writeFileSync(path.join(OUT, `${s.side}.cpuprofile`), JSON.stringify(r.profile));
    if (map) copyFileSync(path.join(map.dir, map.file), path.join(OUT, `${s.side}.js.map`));
    results[s.side] = { ...r, ...attribute(r.profile, map?.consumer) };
  }
  for (const [side, r] of Object.entries(results)) {
    console.log(
      `${side}: ${r.requests} requests in ${SECONDS} s (${Math.round(r.rps)}/s under the sampler), busy ${perRequest(r.busy, r.requests)} a request, idle ${Math.round(r.idle / 1000)} ms`,
    );
  }
  const { hub } = results;
  for (const [title, table] of [
    ["hub, self time a request", hub.self],
    ["hub, inclusive time a request", hub.inclusive],
  ]) {
    console.log(`\n${title}`);
    for (const [name, us] of [...table].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${perRequest(us, hub.requests)}  ${name}`);
  }
  console.log(`\nprofiles in ${OUT}/ (hub.cpuprofile, floor.cpuprofile)`);
} finally {
  stack.stop();
}
process.exit(0);
