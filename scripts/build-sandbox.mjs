// Bundles the vendor sandbox Worker into one ES module for the test runtime, where it runs as
// an auxiliary Worker beside the hub. `wrangler dev` builds it by itself for `npm start`.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import path from "node:path";

export async function buildSandbox(root) {
  // One bundle per checkout: worktrees that share node_modules must not run each other's sandbox.
  const checkout = createHash("sha256").update(path.resolve(root)).digest("hex").slice(0, 12);
  const outfile = path.join(root, "node_modules", ".cache", "dealwire", `sandbox-${checkout}.mjs`);
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
