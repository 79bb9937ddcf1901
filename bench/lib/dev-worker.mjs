// Runs one Worker on the local runtime (workerd, through wrangler's own dev server) with the
// DevTools inspector off. `wrangler dev` always attaches an inspector and enables the Runtime and
// Network domains, which costs every console.log and every subrequest an inspector event; that is
// a debugging aid, not the runtime, so the benchmarks and the soak run without it.
// Usage: node bench/lib/dev-worker.mjs --config wrangler.toml --port 8787 --persist DIR [--var K:V]...
import { unstable_startWorker } from "wrangler";

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const bindings = {};
for (let i = 0; i < args.length; i++) {
  if (args[i] !== "--var") continue;
  const [k, ...rest] = args[i + 1].split(":");
  bindings[k] = { type: "plain_text", value: rest.join(":") };
}
const worker = await unstable_startWorker({
  config: opt("--config") ?? "wrangler.toml",
  bindings,
  dev: {
    remote: false,
    inspector: false,
    watch: false,
    testScheduled: args.includes("--test-scheduled"),
    persist: opt("--persist"),
    server: { hostname: opt("--ip") ?? "127.0.0.1", port: Number(opt("--port") ?? 8787) },
  },
});
await worker.ready;
console.log(`ready on ${await worker.url}`);
const stop = async () => {
  await worker.dispose().catch(() => undefined);
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
