// Builds a Worker's bundle exactly as `wrangler deploy` would upload it, into a fresh directory.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Returns the directory holding the bundle of the Worker that `config` (a wrangler.toml) describes. */
export function bundle(config, out = mkdtempSync(path.join(tmpdir(), "dealwire-bundle-"))) {
  const r = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "-c", config, "--outdir", out], {
    encoding: "utf8",
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  if (r.status !== 0) throw new Error(`bundling ${config} failed:\n${r.stdout}${r.stderr}`);
  return out;
}
