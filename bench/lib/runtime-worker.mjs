// Runs one Worker directly on the local runtime (workerd, through Miniflare), the way production
// runs it: the bundle `wrangler deploy` would upload, the bindings from its wrangler.toml, and no
// dev server in front. `wrangler dev` puts a proxy Worker in a second runtime process before the
// Worker (for live reload) and attaches a DevTools inspector; both are debugging aids that cost
// every request a hop, so the benchmarks and the soak measure without them. `DEALWIRE_STACK=dev`
// (bench/lib/dev-worker.mjs) and `DEALWIRE_STACK=wrangler` keep those paths for comparison.
// Usage: node bench/lib/runtime-worker.mjs --config wrangler.toml --port 8787 --persist DIR
//          [--var K:V]... [--paused inbound,crm] [--kv-outage-flag FILE] [--d1-outage-flag FILE]
//          [--floor-beside DIR] [--inspector-port N]
// `--floor-beside DIR` runs the bench's floor Worker (its bundle in DIR) in this same runtime
// process, behind the same entry at /__floor/: workerd runs every Worker of a process on one
// thread, so the floor then acknowledges while the hub's consumers take their share of that
// thread, as the hub's own intake does; it sends to the hub's inbound queue, so the consumers'
// share grows with the floor's deliveries as it does with the hub's.
// `--inspector-port N` opens workerd's DevTools inspector on N (the profiler, bench/profile.mjs);
// off otherwise, as on Cloudflare.
// `--kv-outage-flag FILE` (the soak's fault): while FILE exists, every call on the Worker's KV
// namespaces fails as KV does when it is unreachable; `--d1-outage-flag FILE` does the same to
// its D1 databases (every query and batch fails as D1 does when its connection is lost). The
// bindings are wrapped here, in the harness (Miniflare's wrapped bindings), so the Worker's own
// code has no fault switch.
// The state under DIR has wrangler's own layout (DIR/v3/...), so `wrangler d1 migrations apply
// --local --persist-to DIR` prepares it.
import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { Miniflare } from "miniflare";
import { bundle } from "./bundle.mjs";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const config = opt("--config") ?? "wrangler.toml";
const vars = {};
for (let i = 0; i < args.length; i++) {
  if (args[i] !== "--var") continue;
  const [k, ...rest] = args[i + 1].split(":");
  vars[k] = rest.join(":");
}
const paused = new Set(
  (opt("--paused") ?? "")
    .split(",")
    .filter(Boolean)
    .map((q) => `dealwire-${q}`),
);

// The production bundle, exactly as `wrangler deploy` builds it (`--bundle DIR`: built already).
const out = opt("--bundle") ?? bundle(config);
/** The entry module of a bundle directory that `wrangler deploy --dry-run` wrote. */
const entryOf = (dir) => readdirSync(dir).find((f) => /\.m?js$/.test(f));
const entry = entryOf(out);

const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
const queueConsumers = Object.fromEntries(Object.entries(workerOptions.queueConsumers ?? {}).filter(([queue]) => !paused.has(queue)));
const persist = opt("--persist");

/**
 * What every fault worker starts with: `check()` asks the harness (a Node function) at most every
 * 200 ms whether this fault is on, and throws `message` while it is.
 */
const faultCheck = (kind, message) => `
  let down = false;
  let asked = 0;
  const check = async () => {
    if (Date.now() - asked > 200) {
      asked = Date.now();
      down = (await (await env.FAULTS.fetch("http://faults/${kind}")).text()) === "down";
    }
    if (down) throw new Error(${JSON.stringify(message)});
  };`;

/** A KV namespace that fails every call while the fault is on, else passes it to the real one. */
const KV_FAULT_WORKER = `
export default function (env) {${faultCheck("kv", "KV namespace unavailable (soak fault: KV outage)")}
  const kv = env.INNER;
  const call = (name) => async (...args) => { await check(); return kv[name](...args); };
  return { get: call("get"), getWithMetadata: call("getWithMetadata"), put: call("put"), delete: call("delete"), list: call("list") };
}`;
/**
 * A D1 database that fails every query while the fault is on, else runs it on the real one.
 * Statements are kept as (sql, params) and prepared on the real database when they run, so a
 * batch of them runs as one real batch.
 */
const D1_FAULT_WORKER = `
export default function (env) {${faultCheck("d1", "D1_ERROR: Network connection lost. (soak fault: D1 outage)")}
  const db = env.INNER;
  class Statement {
    constructor(sql, params) { this.sql = sql; this.params = params; }
    bind(...params) { return new Statement(this.sql, params); }
    real() { const s = db.prepare(this.sql); return this.params.length ? s.bind(...this.params) : s; }
    async first(col) { await check(); return col === undefined ? this.real().first() : this.real().first(col); }
    async run() { await check(); return this.real().run(); }
    async all() { await check(); return this.real().all(); }
    async raw(o) { await check(); return this.real().raw(o); }
  }
  return {
    prepare: (sql) => new Statement(sql, []),
    batch: async (stmts) => { await check(); return db.batch(stmts.map((s) => s.real())); },
    exec: async (q) => { await check(); return db.exec(q); },
    dump: async () => { await check(); return db.dump(); },
  };
}`;
/**
 * Wraps each binding of one kind (`kvNamespaces`, `d1Databases`) in a fault worker running
 * `source`, which asks the harness whether FLAG exists: the hub's own binding is replaced by the
 * wrapper, and the wrapper holds the real one as INNER.
 */
function faultLayer(flag, kind, source, tag) {
  const bindings = workerOptions[kind] ?? {};
  if (!flag) return { hub: {}, workers: [] };
  return {
    hub: { [kind]: {}, wrappedBindings: Object.fromEntries(Object.keys(bindings).map((b) => [b, { scriptName: `${tag}-fault-${b}` }])) },
    workers: Object.entries(bindings).map(([b, real]) => ({
      name: `${tag}-fault-${b}`,
      modules: [{ type: "ESModule", path: `${tag}-fault.mjs`, contents: source }],
      [kind]: { INNER: typeof real === "string" ? real : real.id },
      serviceBindings: { FAULTS: async () => new Response(existsSync(flag) ? "down" : "up") },
    })),
  };
}
/** The hub's inbound queue, as its wrangler.toml names it. */
function inboundQueue() {
  const queue = workerOptions.queueProducers?.INBOUND?.queueName;
  if (!queue) throw new Error("the hub has no INBOUND queue producer for the floor to send to");
  return queue;
}

/** The floor Worker beside the hub (see `--floor-beside`), routed by path through the same entry. */
function floorBeside(dir) {
  if (!dir) return [];
  const floorConfig = "bench/floor/wrangler.toml";
  const { workerOptions: floor } = unstable_getMiniflareWorkerOptions(floorConfig);
  return [
    {
      ...floor,
      name: unstable_readConfig({ config: floorConfig }).name,
      modules: true,
      modulesRoot: dir,
      scriptPath: path.join(dir, entryOf(dir)),
      routes: ["*/__floor*"],
      // Its deliveries go to the hub's inbound queue, so the hub's consumers ingest them as they
      // do the hub's own (bench/floor/index.ts).
      queueProducers: { INBOUND: { queueName: inboundQueue() } },
    },
  ];
}
const kvFault = faultLayer(opt("--kv-outage-flag"), "kvNamespaces", KV_FAULT_WORKER, "kv");
const d1Fault = faultLayer(opt("--d1-outage-flag"), "d1Databases", D1_FAULT_WORKER, "d1");
const mf = new Miniflare({
  host: opt("--ip") ?? "127.0.0.1",
  port: Number(opt("--port") ?? 8787),
  // /cdn-cgi/handler/scheduled, as `wrangler dev` offers it: the soak fires cron runs through it.
  unsafeTriggerHandlers: true,
  ...(opt("--inspector-port") ? { inspectorPort: Number(opt("--inspector-port")) } : {}),
  defaultPersistRoot: persist ? path.join(persist, "v3") : undefined,
  workers: [
    {
      ...workerOptions,
      name: unstable_readConfig({ config }).name,
      modules: true,
      modulesRoot: out,
      scriptPath: path.join(out, entry),
      bindings: { ...workerOptions.bindings, ...vars },
      queueConsumers,
      ...kvFault.hub,
      ...d1Fault.hub,
      wrappedBindings: { ...kvFault.hub.wrappedBindings, ...d1Fault.hub.wrappedBindings },
    },
    ...kvFault.workers,
    ...d1Fault.workers,
    ...floorBeside(opt("--floor-beside")),
  ],
});
const url = await mf.ready;
console.log(`ready on ${url}`);
const stop = async () => {
  await mf.dispose().catch(() => undefined);
  if (!opt("--bundle")) rmSync(out, { recursive: true, force: true });
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
