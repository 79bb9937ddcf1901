// Bundles the vendor sandbox Worker into one ES module for the test runtime, where it runs as
// an auxiliary Worker beside the hub. `wrangler dev` builds it by itself for `npm start`.
import { build } from "esbuild";
import path from "node:path";

export async function buildSandbox(root) {
  const outfile = path.join(root, "node_modules", ".cache", "dealwire", "sandbox.mjs");
  await build({
    entryPoints: [path.join(root, "sandbox", "src", "index.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*"],
    outfile,
    logLevel: "warning",
  });
  return outfile;
}
