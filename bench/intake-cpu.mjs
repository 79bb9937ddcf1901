// `npm run bench:cpu` — the intake's own CPU a delivery beside the floor Worker's, without I/O.
// One workerd isolate holds the hub's production entry and the floor Worker (bench/intake-cpu/);
// the same signed lead deliveries the ingest bench sends run through each one's `fetch` in
// alternating turns, with KV and the queue answering at once, and each turn is timed from here.
// What it prints is the part of the ingest comparison that is the hub's own work: the floor's
// per-delivery cost in the ingest bench is this figure plus its KV read and queue send.
// `--profile` records a V8 CPU profile of one more hub turn and prints its functions by self time.
// Usage: npm run bench:cpu -- [--deliveries 20000] [--rounds 9] [--profile]
import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { inspect } from "./lib/inspector.mjs";
import { devSecrets } from "./lib/sign.mjs";
import { signedLead } from "./lib/lead-load.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const DELIVERIES = arg("--deliveries", 20000);
const ROUNDS = arg("--rounds", 9);
const PROFILE = process.argv.includes("--profile");
const INSPECTOR = 9240 + Number(process.env.BENCH_PORT_OFFSET ?? 0);

const out = "/tmp/dealwire-intake-cpu.mjs";
await build({
  entryPoints: ["bench/intake-cpu/index.ts"],
  bundle: true,
  format: "esm",
  outfile: out,
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  external: ["cloudflare:*"],
  logLevel: "error",
});
const secrets = devSecrets();
const mf = new Miniflare({
  name: "intake-cpu",
  ...(PROFILE ? { inspectorPort: INSPECTOR } : {}),
  modules: [{ type: "ESModule", path: "index.mjs", contents: readFileSync(out, "utf8") }],
  compatibilityDate: "2026-04-20",
  bindings: { WEBHOOK_SCHEMES: "{}", WEBHOOK_SECRET_IDX: secrets.WEBHOOK_SECRET_IDX },
});
await mf.ready;
// Signed once: verification checks the timestamp against a five-minute window.
const deliveries = Array.from({ length: DELIVERIES }, () => signedLead("cpu"));
await (await mf.dispatchFetch("http://x/", { method: "POST", body: JSON.stringify(deliveries) })).text();

/** Runs `work` under the V8 sampling profiler of the Worker's isolate; returns the profile. */
async function profiled(work) {
  const session = await inspect(INSPECTOR, "intake-cpu");
  await session.send("Profiler.enable");
  await session.send("Profiler.setSamplingInterval", { interval: 50 });
  await session.send("Profiler.start");
  await work();
  const stopped = await session.send("Profiler.stop");
  session.close();
  return stopped.result.profile;
}

/** Self time a delivery by function (name and line of the bundle), largest first. */
function selfTimes(profile, top = 30) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const { functionName, lineNumber } = nodes.get(id).callFrame;
    const name = `${functionName || "(anonymous)"}${lineNumber >= 0 ? `:${lineNumber + 1}` : ""}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => `${(us / DELIVERIES).toFixed(2).padStart(8)} µs  ${name}`);
}

const turn = async (side) => {
  const t = performance.now();
  const res = await mf.dispatchFetch(`http://x/?side=${side}`);
  const text = await res.text();
  if (res.status !== 200 || Number(text) !== DELIVERIES) throw new Error(`${side}: ${text}`);
  return ((performance.now() - t) * 1000) / DELIVERIES;
};
await turn("floor");
await turn("hub"); // warm-up turns, not counted
const times = { hub: [], floor: [] };
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? ["floor", "hub"] : ["hub", "floor"];
  for (const side of order) times[side].push(await turn(side));
}
const profile = PROFILE ? await profiled(() => turn("hub")) : undefined;
await mf.dispose();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const hub = median(times.hub);
const floorUs = median(times.floor);
console.log(`hub intake  ${hub.toFixed(1)} µs a delivery (rounds ${times.hub.map((x) => x.toFixed(1)).join(", ")})`);
console.log(`floor       ${floorUs.toFixed(1)} µs a delivery (rounds ${times.floor.map((x) => x.toFixed(1)).join(", ")})`);
if (profile) console.log(`hub, self time a delivery (bundle ${out}):\n${selfTimes(profile).join("\n")}`);
console.log(
  JSON.stringify({
    deliveries: DELIVERIES,
    rounds: ROUNDS,
    hub_cpu_us: Number(hub.toFixed(1)),
    floor_cpu_us: Number(floorUs.toFixed(1)),
    hub_extra_us: Number((hub - floorUs).toFixed(1)),
  }),
);
