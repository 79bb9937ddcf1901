// Generates (or, with --check, verifies) the binding types of the hub and the sandbox from
// their wrangler.toml files, so a binding added to the config cannot drift from the code.
// Secret names come from the committed .dev.vars.example, never from a developer's .dev.vars.
import { spawnSync } from "node:child_process";

const check = process.argv.includes("--check");
const targets = [
  { config: "wrangler.toml", out: "src/env.d.ts", iface: "Env" },
  { config: "sandbox/wrangler.toml", out: "sandbox/env.d.ts", iface: "SandboxEnv" },
];
let failed = false;
for (const t of targets) {
  const args = ["wrangler", "types", t.out, "-c", t.config, "--env-interface", t.iface,
    "--include-runtime=false", "--strict-vars=false", "--env-file", ".dev.vars.example"];
  if (check) args.push("--check");
  const r = spawnSync("npx", args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (r.status !== 0) {
    failed = true;
    console.error(`${t.out} is out of date with ${t.config}: run \`npm run types\``);
    console.error((r.stdout + r.stderr).split("\n").filter((l) => !l.includes("Unknown user config")).join("\n"));
  }
}
process.exit(failed ? 1 : 0);
